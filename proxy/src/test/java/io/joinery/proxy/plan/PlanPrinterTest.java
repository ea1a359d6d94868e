package io.joinery.proxy.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.proxy.schema.JoinForm;
import io.joinery.proxy.schema.RemotePathStep;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.SchemaModelBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The printed plan of a small operation: what golden tests compare. */
class PlanPrinterTest {

    private static final DatabaseCatalog CATALOG = new DatabaseCatalog(tables(
            table("author", List.of(), column("id", "int4"), column("name", "text")),
            table("article", List.of(new ForeignKey("article_author_id_fkey", QualifiedName.parse("author"), Map.of("author_id", "id"))),
                    column("id", "int4"), column("title", "text"), column("author_id", "int4"), column("published", "bool"))),
            Map.of());
    private static final SchemaModel MODEL = SchemaModelBuilder.build(MetadataCodec.parse("""
            version: 1
            sources:
              - name: default
                tables:
                  - table: author
                    relationships:
                      articles: { array: article, on: { id: author_id } }
                    permissions:
                      reader: { select: { columns: [id, name], filter: { id: { _eq: X-Joinery-User-Id } }, limit: 5 } }
                  - table: article
                    permissions:
                      reader: { select: { columns: [id, title, author_id], filter: { published: { _eq: true } } } }
            """), Map.of("default", CATALOG));

    @Test
    void printsRootsFieldsFiltersOrderLimitsAndValues() {
        QueryPlan plan = plan("""
                query Writers($name: String, $limit: Int) {
                  writers: author(where: {_or: [{name: {_ilike: $name}}, {articles: {title: {_in: ["a", $name]}}}]},
                                  order_by: [{name: desc}], limit: $limit, offset: 2) {
                    id
                    articles(order_by: {id: asc}) { title }
                    stats: articles_aggregate { aggregate { count(columns: [id], distinct: true) max { id } } }
                    kind: __typename
                  }
                }""", Map.of("name", "%a%", "limit", 10));

        assertEquals("""
                query Writers
                  writers: select-many
                    from default/public.author
                    where
                      and
                        or
                          name _ilike $name
                          related articles -> default/public.article
                            and
                              title _in ["a", $name]
                              published _eq true
                        id _eq session(x-joinery-user-id)
                    order-by
                      name desc
                    limit $limit
                    offset 2
                    permission-limit 5
                    fields
                      id: column id
                      articles: array-relationship articles -> default/public.article
                        from default/public.article
                        where
                          published _eq true
                        order-by
                          id asc
                        fields
                          title: column title
                      stats: array-aggregate articles -> default/public.article
                        from default/public.article
                        where
                          published _eq true
                        parts
                          aggregate: aggregate
                            count: count [id] distinct
                            max: max (article_max_fields)
                              id: column id
                      kind: __typename author
                """, PlanPrinter.print(plan));
    }

    @Test
    void printsARemoteJoinWithItsKeysPathAndForm() throws Exception {
        RootField.SelectMany writers = (RootField.SelectMany) plan("{ author { id } }", Map.of()).roots().getFirst();
        Field selection = (Field) Parser.parse("{ profiles { bio } }").getDefinitionsOfType(OperationDefinition.class).getFirst()
                .getSelectionSet().getSelections().getFirst();
        JoinSpec join = new JoinSpec("profile", "profiles", List.of("id"),
                List.of(new RemotePathStep("profiles", new ObjectMapper().readTree("{\"authorIds\": \"$id\"}"),
                        new JoinForm.ListArgument(List.of("authorId"), false))),
                selection.getSelectionSet(), Map.of(), List.of(), "profile");
        List<RowField> fields = new ArrayList<>(writers.fields());
        fields.add(new RowField.RemoteJoin("profile", join, List.of()));
        QueryPlan plan = new QueryPlan("query", null, List.of(new RootField.SelectMany("author", writers.select(), fields)));

        assertEquals("""
                query
                  author: select-many
                    from default/public.author
                    where
                      id _eq session(x-joinery-user-id)
                    permission-limit 5
                    fields
                      id: column id
                      profile: remote-join
                        remote profiles keys [id] phantom __joinery_key_profile
                        path profiles({"authorIds":"$id"})
                        form list-argument keys [authorId]
                        selection {bio}
                """, PlanPrinter.print(plan));
    }

    /** The reader's plan; scalar variables stay references, but one that is null or missing is no condition. */
    private static QueryPlan plan(String query, Map<String, Object> variables) {
        OperationDefinition operation = Parser.parse(query).getDefinitionsOfType(OperationDefinition.class).getFirst();
        return new QueryPlanner(new RoleAccess("reader", MODEL), Map.of(), variables, Set.of()).plan(operation);
    }

    private static ColumnInfo column(String name, String type) {
        return new ColumnInfo(name, type, false, true, List.of(), null);
    }

    private static TableInfo table(String name, List<ForeignKey> keys, ColumnInfo... columns) {
        return new TableInfo(QualifiedName.parse(name), false, List.of(columns), List.of("id"), keys, null);
    }

    private static Map<QualifiedName, TableInfo> tables(TableInfo... tables) {
        Map<QualifiedName, TableInfo> map = new LinkedHashMap<>();
        for (TableInfo table : tables) {
            map.put(table.name(), table);
        }
        return map;
    }
}
