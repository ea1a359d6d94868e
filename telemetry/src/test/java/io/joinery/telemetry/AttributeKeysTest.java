package io.joinery.telemetry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Note [Attribute keys made once]: one key object per name and type, and never more than the bound. */
class AttributeKeysTest {

    @Test
    void aNameGetsOneKeyObjectPerType() {
        AttributeKeys keys = new AttributeKeys();
        assertSame(keys.string(SpanNames.JOIN_RELATIONSHIP), keys.string(SpanNames.JOIN_RELATIONSHIP));
        assertSame(keys.number(SpanNames.JOIN_KEYS), keys.number(SpanNames.JOIN_KEYS));
        assertSame(keys.flag(SpanNames.PLAN_CACHE_HIT), keys.flag(SpanNames.PLAN_CACHE_HIT));
        assertEquals("joinery.join.keys", keys.number(SpanNames.JOIN_KEYS).getKey());
    }

    @Test
    void namesPastTheBoundGetAKeyPerCallInsteadOfGrowingTheMap() {
        AttributeKeys keys = new AttributeKeys();
        for (int i = 0; i < AttributeKeys.MAX_NAMES; i++) {
            keys.string("test.name." + i);
        }
        String past = "test.past.the.bound";
        assertNotSame(keys.string(past), keys.string(past));
        assertEquals(past, keys.string(past).getKey());
    }
}
