package io.joinery.proxy.execute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A statement's {@code db.operation.name}: its first word in capitals. */
class StatementsTest {

    @ParameterizedTest
    @CsvSource({"SELECT 1, SELECT", "select x from t, SELECT", "WITH a AS (SELECT 1) SELECT * FROM a, WITH",
            "insert into t values ($1), INSERT", "UPDATE t SET a = $1, UPDATE", "DELETE FROM t, DELETE",
            "vacuum, VACUUM", "selection x, SELECTION"})
    void theOperationIsTheFirstWordInCapitals(String text, String operation) {
        assertEquals(operation, Statements.operation(text));
    }
}
