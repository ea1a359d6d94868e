package io.joinery.proxy.schema;

import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.EnumValue;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enum tables in the model and in the schemas of roles; the kinds of the problems left out. */
class SchemaModelBuilderTest {

    /** status(value, comment) is an enum table; post.status references its key, post.label its unique comment. */
    private static final DatabaseCatalog CATALOG = new DatabaseCatalog(tables(
            table("status", List.of("value"), List.of(), column("value", "text", false), column("comment", "text", true)),
            table("post", List.of("id"), List.of(
                            new ForeignKey("post_status_fkey", QualifiedName.parse("status"), Map.of("status", "value")),
                            new ForeignKey("post_label_fkey", QualifiedName.parse("status"), Map.of("label", "comment"))),
                    column("id", "int4", false), column("status", "text", false), column("label", "text", true))),
            Map.of(QualifiedName.parse("status"), List.of(new EnumValue("DRAFT", "Not visible yet"), new EnumValue("LIVE", null))));

    @Test
    void aColumnReferencingTheKeyOfAnEnumTableHasItsEnumInEveryRolesSchema() {
        SchemaModel model = SchemaModelBuilder.build(metadata("""
                sources: [ { name: default, tables: [ { table: status, is_enum: true },
                  { table: post, permissions: { reader: { select: { columns: [id, status, label] } } } } ] } ]"""), Map.of("default", CATALOG));

        TableModel post = model.table("default/public.post");
        assertEquals("status_enum", post.column("status").orElseThrow().scalar());
        assertEquals("String", post.column("label").orElseThrow().scalar(), "a key to another column than the primary key");
        assertTrue(model.isEnumTableType("status_enum"));
        for (String role : List.of(RoleAccess.ADMIN, "reader")) {
            GraphQLSchema schema = GraphqlSchemaBuilder.build(new RoleAccess(role, model));
            GraphQLEnumType status = (GraphQLEnumType) GraphQLTypeUtil.unwrapAll(
                    ((GraphQLObjectType) schema.getType("post")).getFieldDefinition("status").getType());
            assertEquals("status_enum", status.getName(), role);
            assertEquals(List.of("DRAFT", "LIVE"), status.getValues().stream().map(v -> v.getName()).toList(), role);
            assertEquals("Not visible yet", status.getValue("DRAFT").getDescription(), role);
            assertEquals("DRAFT", status.getValue("DRAFT").getValue(), "the value binds as the text: " + role);
        }
        assertNull(GraphqlSchemaBuilder.build(new RoleAccess("reader", model)).getType("status"), "the reader cannot read the enum table");
    }

    @Test
    void anEnumTypeNameTakenByATableLeavesTheEnumOut() {
        SchemaModel model = SchemaModelBuilder.build(metadata("""
                sources: [ { name: default, tables: [ { table: status, is_enum: true }, { table: post, name: status_enum } ] } ]"""),
                Map.of("default", CATALOG));

        assertEquals("String", model.table("default/public.post").column("status").orElseThrow().scalar());
        assertEquals(List.of(new SchemaProblem(SchemaProblem.Kind.GENERATED_NAME,
                        "table status: enum type name 'status_enum' is already used by another table; served as a plain table")),
                model.problems());
    }

    @Test
    void aComputedFieldNamedLikeAColumnIsAGeneratedNameProblem() {
        SchemaModel model = SchemaModelBuilder.build(metadata("""
                sources: [ { name: default, tables: [ { table: post,
                  computed_fields: { status: { function: post_status } } } ] } ]"""), Map.of("default", CATALOG));

        assertEquals(List.of(new SchemaProblem(SchemaProblem.Kind.GENERATED_NAME,
                        "table post, computed field status: not a valid GraphQL name, or the name of a column or relationship; left out")),
                model.problems());
    }

    @Test
    void aComputedFieldOfAMissingFunctionIsReportedElsewhere() {
        SchemaModel model = SchemaModelBuilder.build(metadata("""
                sources: [ { name: default, tables: [ { table: post,
                  computed_fields: { summary: { function: post_summary } } } ] } ]"""), Map.of("default", CATALOG));

        assertEquals(List.of(new SchemaProblem(SchemaProblem.Kind.REPORTED_ELSEWHERE, "table post, computed field summary: function "
                        + "post_summary does not exist once as a STABLE or IMMUTABLE function; left out")),
                model.problems());
    }

    @Test
    void anEnumTableWhoseRowsWereNotReadIsAPlainTable() {
        DatabaseCatalog withoutRows = new DatabaseCatalog(CATALOG.tables());

        SchemaModel model = SchemaModelBuilder.build(metadata("""
                sources: [ { name: default, tables: [ { table: status, is_enum: true }, { table: post } ] } ]"""), Map.of("default", withoutRows));

        assertEquals("String", model.table("default/public.post").column("status").orElseThrow().scalar());
        assertEquals(List.of(new SchemaProblem(SchemaProblem.Kind.REPORTED_ELSEWHERE,
                        "table status: it does not qualify as an enum table (see its consistency problems); served as a plain table")),
                model.problems());
        assertTrue(model.tables().containsKey("default/public.status"), "the table is served");
    }

    private static Metadata metadata(String yaml) {
        return MetadataCodec.parse("version: 1\n" + yaml);
    }

    private static ColumnInfo column(String name, String type, boolean nullable) {
        return new ColumnInfo(name, type, false, nullable, List.of(), null);
    }

    private static TableInfo table(String name, List<String> primaryKey, List<ForeignKey> keys, ColumnInfo... columns) {
        return new TableInfo(QualifiedName.parse(name), false, List.of(columns), primaryKey, keys, null);
    }

    private static Map<QualifiedName, TableInfo> tables(TableInfo... tables) {
        Map<QualifiedName, TableInfo> map = new LinkedHashMap<>();
        for (TableInfo table : tables) {
            map.put(table.name(), table);
        }
        return map;
    }
}
