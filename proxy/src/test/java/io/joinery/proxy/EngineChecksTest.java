package io.joinery.proxy;

import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.check.Problem;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.ValueFrom;
import io.joinery.proxy.remote.RemoteSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's checks of custom types and actions against the names it generates for tables and merges from remote schemas. */
class EngineChecksTest {

    private static final DatabaseCatalog CATALOG = new DatabaseCatalog(Map.of(QualifiedName.parse("author"),
            new TableInfo(QualifiedName.parse("author"), false, List.of(column("id", "int4"), column("name", "text"), column("account", "uuid")),
                    List.of("id"), List.of(), null)));
    private static final RemoteSchemaConfig PROFILES = new RemoteSchemaConfig("profiles", new ValueFrom("http://profiles.test/graphql", null),
            Map.of(), false, null, null, null);
    private static final RemoteSchema REMOTE = new RemoteSchema(PROFILES, null, new SchemaGenerator().makeExecutableSchema(
            new SchemaParser().parse("""
                    type Query { profile(id: Int!): Profile }
                    type Mutation { updateProfile(id: Int!): Profile }
                    type Profile { id: Int! bio: String }
                    """), RuntimeWiring.newRuntimeWiring().build()));

    private static ColumnInfo column(String name, String type) {
        return new ColumnInfo(name, type, false, true, List.of(), null);
    }

    private static List<String> problems(List<CustomType> types, List<Action> actions) {
        Metadata metadata = new Metadata(1, List.of(new Source(Source.DEFAULT, null, false, List.of(TableConfig.of("author")))),
                List.of(PROFILES), types, actions);
        return EngineChecks.all(config -> REMOTE).getFirst().check(metadata, Map.of(Source.DEFAULT, CATALOG)).stream()
                .map(Problem::message).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", textBlock = """
            type Order { id: Int }                  ;;
            scalar uuid                             ;;
            scalar Email                            ;;
            type author { id: Int }                 ;; custom type author: type author: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            input author_bool_exp { id: Int }       ;; custom type author_bool_exp: type author_bool_exp: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            enum author_select_column { id }        ;; custom type author_select_column: type author_select_column: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            enum order_by { asc }                   ;; custom type order_by: type order_by: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            enum uuid { A }                         ;; custom type uuid: type uuid: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            type Profile { id: Int }                ;; custom type Profile: type Profile: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            type query_root { a: Int }              ;; custom type query_root: type query_root: the generated GraphQL schema already has a type of this name (for a table or from a remote schema)
            """)
    void aCustomTypeMayNotTakeAGeneratedTypesName(String definition, String expected) {
        assertEquals(expected == null ? List.of() : List.of(expected), problems(List.of(CustomType.of(definition)), List.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiterString = ";;", textBlock = """
            query    ;; createOrder   ;;
            mutation ;; author        ;;
            query    ;; author        ;; action author: root field query_root.author: the generated GraphQL schema already has a query root field of this name
            query    ;; author_by_pk  ;; action author_by_pk: root field query_root.author_by_pk: the generated GraphQL schema already has a query root field of this name
            query    ;; profile       ;; action profile: root field query_root.profile: the generated GraphQL schema already has a query root field of this name
            mutation ;; updateProfile ;; action updateProfile: root field mutation_root.updateProfile: the generated GraphQL schema already has a mutation root field of this name
            query    ;; updateProfile ;;
            """)
    void anActionMayNotTakeTheNameOfARootFieldOfItsOperation(String kind, String name, String expected) {
        Action action = new Action(name, kind, null, "String", new ValueFrom("http://actions.test", null), null, false, null, null, null);
        assertEquals(expected == null ? List.of() : List.of(expected), problems(List.of(), List.of(action)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", textBlock = """
            createReport ;;
            profile      ;; action profile: root field query_root.profile: the generated GraphQL schema already has a query root field of this name, which the asynchronous action's result needs
            author_bool_exp ;; action author_bool_exp: type author_bool_exp: the asynchronous action's result type takes the action's name, which another type has
            """)
    void anAsynchronousActionsResultTakesAQueryFieldAndATypeOfItsName(String name, String expected) {
        Action action = new Action(name, null, null, "String", new ValueFrom("http://actions.test", null), null, false, null, null, null,
                null, null, true);
        assertEquals(expected == null ? List.of() : List.of(expected), problems(List.of(), List.of(action)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", textBlock = """
            Profile ;; {remote_schema: profiles, remote_field: {profile: {arguments: {id: $id}}}}  ;;
            Profile ;; {remote_schema: profiles, remote_field: {profile: {arguments: {id: $nope}}}} ;; remote schema: remote schema: remote schema 'profiles', type Profile, relationship next: argument id uses $nope, which is not a field of type Profile
            Profile ;; {remote_schema: profiles, remote_field: {profile: {arguments: {id: $bio}}}}  ;; remote schema: remote schema: remote schema 'profiles', type Profile, relationship next: argument id of profile: $bio: remote type Int does not compare with field type String
            Profile ;; {remote_schema: profiles, remote_field: {profil: {arguments: {id: $id}}}}  ;; remote schema: remote schema: remote schema 'profiles', type Profile, relationship next: uses field Query.profil of remote schema 'profiles', which does not exist
            Nope    ;; {remote_schema: profiles, remote_field: {profile: {arguments: {id: $id}}}}  ;; remote schema: remote schema: remote schema 'profiles', type Nope, relationship next: the remote has no object type Nope (other than its root types)
            Query   ;; {remote_schema: profiles, remote_field: {profile: {arguments: {id: $id}}}}  ;; remote schema: remote schema: remote schema 'profiles', type Query, relationship next: the remote has no object type Query (other than its root types)
            Profile ;; {remote_schema: elsewhere, remote_field: {profile: {arguments: {id: $id}}}} ;;
            """)
    void aRemoteTypesRelationshipToARemoteSchemaIsCheckedAgainstBothRemotes(String type, String relationship, String expected) {
        RemoteSchemaConfig profiles = io.joinery.admin.metadata.MetadataCodec.parse(
                "remote_schemas: [{name: profiles, url: 'http://profiles.test/graphql', relationships: {" + type + ": {next: " + relationship + "}}}]")
                .remoteSchemas().getFirst();
        Metadata metadata = new Metadata(1, List.of(new Source(Source.DEFAULT, null, false, List.of(TableConfig.of("author")))), List.of(profiles));
        List<String> problems = EngineChecks.all(config -> REMOTE).getFirst().check(metadata, Map.of(Source.DEFAULT, CATALOG)).stream()
                .map(Problem::message).toList();
        assertEquals(expected == null ? List.of() : List.of(expected), problems, "an undeclared remote is the admin checks' problem, reported once");
    }
}
