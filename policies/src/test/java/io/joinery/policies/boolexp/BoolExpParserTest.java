package io.joinery.policies.boolexp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.policies.boolexp.BoolExpression.And;
import io.joinery.policies.boolexp.BoolExpression.ColumnReference;
import io.joinery.policies.boolexp.BoolExpression.ColumnTerm;
import io.joinery.policies.boolexp.BoolExpression.Comparison;
import io.joinery.policies.boolexp.BoolExpression.Exists;
import io.joinery.policies.boolexp.BoolExpression.InvalidOperand;
import io.joinery.policies.boolexp.BoolExpression.Malformed;
import io.joinery.policies.boolexp.BoolExpression.Or;
import io.joinery.policies.boolexp.BoolExpression.RelatedTerm;
import io.joinery.policies.boolexp.BoolExpression.Subject;
import io.joinery.policies.boolexp.BoolExpression.UnknownField;
import io.joinery.policies.boolexp.BoolExpression.UnknownTable;
import io.joinery.policies.boolexp.BoolExpression.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoolExpParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** article(id, author_id, data jsonb) -author-> author(id, name); tag(label) for _exists. */
    private record Fields(Set<String> columns, Map<String, Fields> relationships) implements BoolExpFields {
        static final Fields AUTHOR = new Fields(Set.of("id", "name"), Map.of());
        static final Fields ARTICLE = new Fields(Set.of("id", "author_id", "data"), Map.of("author", AUTHOR));
        static final Fields TAG = new Fields(Set.of("label"), Map.of());

        @Override
        public Kind kind(String name) {
            return columns.contains(name) ? Kind.COLUMN : relationships.containsKey(name) ? Kind.RELATIONSHIP : Kind.UNKNOWN;
        }

        @Override
        public Optional<Fields> target(String name) {
            return Optional.ofNullable(relationships.get(name));
        }

        @Override
        public Optional<Fields> table(TableName name) {
            return name.equals(new TableName("public", "tag")) ? Optional.of(TAG) : Optional.empty();
        }
    }

    private static BoolExpression parse(String json) {
        try {
            return BoolExpParser.parse(JSON.readTree(json), Fields.ARTICLE);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static ColumnTerm eq(String path, String column, String value) {
        return new ColumnTerm(path, column, List.of(new Comparison(path, ComparisonOperator.EQ, new Value(json(value)))));
    }

    @Test
    void aBareValueIsEqWithTheSessionVariableAsItsValue() {
        assertEquals(eq("$.author_id", "author_id", "\"X-Joinery-User-Id\""), parse("{\"author_id\": \"X-Joinery-User-Id\"}"));
        assertEquals(new ColumnTerm("$.id", "id", List.of(new Comparison("$.id._eq", ComparisonOperator.EQ, new Value(json("1"))))),
                parse("{\"id\": {\"_eq\": 1}}"), "the written-out form is the same comparison");
    }

    @Test
    void hasurasDollarSpellingOfTheOperatorsReadsAsTheUnderscoreOne() {
        assertEquals(parse("{\"_or\": [{\"id\": {\"_eq\": 1}}, {\"_not\": {\"id\": {\"_gt\": 2}}}]}").toString().replace("$._or", "$.X"),
                parse("{\"$or\": [{\"id\": {\"$eq\": 1}}, {\"$not\": {\"id\": {\"$gt\": 2}}}]}").toString().replace("$.$or", "$.X")
                        .replace("$eq", "_eq").replace("$gt", "_gt").replace("$not", "_not"), "the same tree; only the paths keep what was written");
    }

    @Test
    void aBareValueInsideExistsWhere() {
        assertEquals(new Exists("$._exists", new TableName("public", "tag"), eq("$._exists._where.label", "label", "\"x-joinery-tag\"")),
                parse("{\"_exists\": {\"_table\": \"tag\", \"_where\": {\"label\": \"x-joinery-tag\"}}}"));
    }

    @Test
    void aBareValueThroughARelationship() {
        assertEquals(new RelatedTerm("$.author", "author", eq("$.author.id", "id", "\"x-joinery-user-id\"")),
                parse("{\"author\": {\"id\": \"x-joinery-user-id\"}}"));
    }

    @Test
    void bareValuesOfEveryKindButObjectsAreEq() {
        for (String value : List.of("7", "true", "null", "[1, 2]", "\"text\"")) {
            assertEquals(eq("$.data", "data", value), parse("{\"data\": " + value + "}"), value);
        }
    }

    @Test
    void anObjectGivenToAJsonbColumnIsStillOperators() {
        assertEquals(new ColumnTerm("$.data", "data", List.of(new Malformed("$.data.a", Subject.OPERATOR, "a", "unknown operator"))),
                parse("{\"data\": {\"a\": 1}}"));
        assertEquals(new ColumnTerm("$.data", "data", List.of(new Comparison("$.data._eq", ComparisonOperator.EQ, new Value(json("{\"a\": 1}"))))),
                parse("{\"data\": {\"_eq\": {\"a\": 1}}}"), "a document is compared written out");
    }

    @Test
    void aRelationshipsValueIsStillAnExpression() {
        assertEquals(new RelatedTerm("$.author", "author", new Malformed("$.author", Subject.EXPRESSION, null,
                "a boolean expression is an object such as {column: {_eq: value}}")), parse("{\"author\": \"x-joinery-user-id\"}"));
    }

    @Test
    void termsKeepDocumentOrderAndTheirPaths() {
        BoolExpression parsed = parse("{\"_or\": [{\"id\": 1}, {\"nope\": 2}], \"id\": {\"_ceq\": [\"$\", \"author_id\"], \"_in\": 3}}");
        And and = assertInstanceOf(And.class, parsed);
        assertEquals(new Or("$._or", List.of(eq("$._or[0].id", "id", "1"), new UnknownField("$._or[1].nope", "nope"))), and.operands().get(0));
        assertEquals(new ColumnTerm("$.id", "id", List.of(
                new Comparison("$.id._ceq", ComparisonOperator.CEQ, new ColumnReference("author_id", true)),
                new Comparison("$.id._in", ComparisonOperator.IN, new InvalidOperand(Subject.EXPRESSION, "expected a list or a session variable")))),
                and.operands().get(1));
    }

    @Test
    void existsOfAMissingTable() {
        assertEquals(new UnknownTable("$._exists._table", new TableName("other", "nope")),
                parse("{\"_exists\": {\"_table\": {\"schema\": \"other\", \"name\": \"nope\"}}}"));
    }

    @ParameterizedTest
    @EnumSource(ComparisonOperator.class)
    void everyOperatorIsFoundByItsHasuraName(ComparisonOperator operator) {
        assertEquals(Optional.of(operator), ComparisonOperator.byName(operator.hasuraName()));
        assertTrue(operator.hasuraName().startsWith("_"), operator.hasuraName());
    }
}
