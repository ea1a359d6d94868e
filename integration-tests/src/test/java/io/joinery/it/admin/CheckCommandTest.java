package io.joinery.it.admin;

import io.joinery.it.support.JoinedRemoteServer;
import io.joinery.it.support.TestDatabase;
import io.joinery.proxy.cli.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code joinery check --metadata FILE [--database-url URL]} as a CI pipeline runs it (in process,
 * through {@link Commands}): 0 for a consistent file, 1 with one readable line per problem, 1 for a
 * file that is not metadata, 2 for a usage error.
 */
class CheckCommandTest {

    static final String CONSISTENT = """
            version: 1
            sources:
              - name: default
                tables:
                  - table: author
                    relationships:
                      articles: { array: article, on: { id: author_id } }
                    permissions:
                      user: { select: { columns: [id, name], filter: { id: { _eq: X-Joinery-User-Id } } } }
                  - table: article
            """;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("check_command").load("/it/schema.sql");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void aConsistentFileExitsZero() throws IOException {
        Run run = check(write("metadata.yaml", CONSISTENT), "--database-url", db.url());
        assertEquals(Commands.OK, run.exit(), run.toString());
        assertTrue(run.out().contains("consistent (2 tables, 0 remote schemas, 0 actions, 0 custom types)"), run.toString());
        assertEquals("", run.err());
    }

    @Test
    void theDatabaseUrlMayComeFromTheEnvironment() throws IOException {
        Run run = new Run(Map.of("JOINERY_DATABASE_URL", db.url()), "check", "--metadata", write("metadata.yaml", CONSISTENT).toString());
        assertEquals(Commands.OK, run.exit(), run.toString());
    }

    @Test
    void aMissingColumnExitsOneWithALineNamingTheObject() throws IOException {
        Path file = write("metadata.yaml", CONSISTENT.replace("author_id", "writer_id"));
        Run run = check(file, "--database-url", db.url());
        assertEquals(Commands.PROBLEMS, run.exit(), run.toString());
        assertTrue(run.err().contains(file + ": 1 problem(s)"), run.toString());
        assertTrue(run.err().lines().anyMatch(line -> line.equals(
                        "  - table author, relationship articles: column article.writer_id: the column does not exist")),
                "one line names the object, what it needs and why: " + run);
    }

    @Test
    void anActionOfTypesNoOneDefinesExitsOneWithALinePerReference() throws IOException {
        Path file = write("metadata.yaml", CONSISTENT + """
                actions:
                  - name: createOrder
                    arguments: { input: "OrderInput!" }
                    output: OrderResult
                    handler: http://orders.test/create
                """);
        Run run = check(file, "--database-url", db.url());
        assertEquals(Commands.PROBLEMS, run.exit(), run.toString());
        assertTrue(run.err().contains(file + ": 2 problem(s)"), run.toString());
        assertEquals(List.of(
                        "  - action createOrder: type OrderInput: no such type: not a built-in or Postgres scalar, nor a custom type (argument input)",
                        "  - action createOrder: type OrderResult: no such type: not a built-in or Postgres scalar, nor a custom type (output)"),
                run.err().lines().filter(line -> line.startsWith("  - ")).toList(), run.toString());
    }

    @Test
    void aRemoteRelationshipToAnUndeclaredRemoteSchemaIsAProblemAsInTheAdminApi() throws IOException {
        Path file = write("metadata.yaml", CONSISTENT.replace("      - table: article\n", """
                      - table: article
                        remote_relationships:
                          reviewer: { remote_schema: reviews, remote_field: { reviewer: { arguments: { articleId: $id } } } }
                """));
        Run run = check(file, "--database-url", db.url());
        assertEquals(Commands.PROBLEMS, run.exit(), run.toString());
        assertTrue(run.err().lines().anyMatch(line -> line.contains("remote schema reviews") && line.contains("the remote schema is not declared")),
                run.toString());
    }

    @Test
    void actionsWithTheirCustomTypesJoinedToTablesAreConsistent() throws IOException {
        Path file = write("metadata.yaml", CONSISTENT + """
                custom_types:
                  - definition: "input OrderInput { article_id: Int!, note: String }"
                  - definition: "type OrderResult { order_id: Int!, article_id: Int, placed_at: timestamptz }"
                    relationships:
                      article: { object: article, on: { article_id: id } }
                actions:
                  - name: createOrder
                    arguments: { input: "OrderInput!" }
                    output: OrderResult
                    handler: { from_env: ORDERS_URL }
                    roles: [user]
                """);
        Run run = check(file, "--database-url", db.url());
        assertEquals(Commands.OK, run.exit(), run.toString());
    }

    @Test
    void remoteToRemoteRelationshipsAreCheckedAgainstBothRemotes() throws IOException {
        try (JoinedRemoteServer profiles = JoinedRemoteServer.profiles(); JoinedRemoteServer accounts = JoinedRemoteServer.accounts()) {
            Map<String, String> env = Map.of("PROFILES_URL", profiles.url(), "ACCOUNTS_URL", accounts.url());
            String metadata = """
                    version: 1
                    sources: [ { name: default, tables: [ { table: author } ] } ]
                    remote_schemas:
                      - name: accounts
                        url: { from_env: ACCOUNTS_URL }
                      - name: profiles
                        url: { from_env: PROFILES_URL }
                        relationships:
                          Profile:
                            account: { remote_schema: accounts, remote_field: { account: { arguments: { id: $accountId } } } }
                            entity: { remote_schema: accounts, federation: { type: Account, key: { id: accountId } } }
                    """;
            Run consistent = new Run(env, "check", "--metadata", write("metadata.yaml", metadata).toString(), "--database-url", db.url());
            assertEquals(Commands.OK, consistent.exit(), consistent.toString());
            assertTrue(consistent.out().contains("consistent (1 tables, 2 remote schemas, 0 actions, 0 custom types)"), consistent.toString());

            Path broken = write("broken.yaml", metadata + """
                            byNope: { remote_schema: accounts, remote_field: { account: { arguments: { id: $nope } } } }
                            misspelt: { remote_schema: accounts, remote_field: { acount: { arguments: { id: $accountId } } } }
                            byHandle: { remote_schema: accounts, remote_field: { account: { arguments: { id: $handle } } } }
                    """);
            Run run = new Run(env, "check", "--metadata", broken.toString(), "--database-url", db.url());
            assertEquals(Commands.PROBLEMS, run.exit(), run.toString());
            assertTrue(run.err().contains(broken + ": 3 problem(s)"), run.toString());
            List<String> lines = run.err().lines().filter(line -> line.startsWith("  - ")).toList();
            assertTrue(lines.get(0).endsWith("remote schema 'profiles', type Profile, relationship byNope: argument id uses $nope, which is not a field of type Profile"), run.toString());
            assertTrue(lines.get(1).endsWith("remote schema 'profiles', type Profile, relationship misspelt: uses field Query.acount of remote schema 'accounts', which does not exist"), run.toString());
            assertTrue(lines.get(2).endsWith("remote schema 'profiles', type Profile, relationship byHandle: argument id of account: $handle: remote type Int does not compare with field type String"), run.toString());
        }
    }

    @Test
    void aFileThatIsNotMetadataExitsOneNamingTheFile() throws IOException {
        for (String text : new String[]{"version: 1\nsources: [ { name: default, tables: [ {table: author} ]", "version: 1\nsourcez: []\n", "{\"version\": 1, \"sources\": 3}"}) {
            Path file = write("broken.yaml", text);
            Run run = check(file, "--database-url", db.url());
            assertEquals(Commands.PROBLEMS, run.exit(), text + " → " + run);
            assertTrue(run.err().startsWith(file + ": "), "the error names the file: " + run);
            assertTrue(!run.err().contains("\tat ") && !run.err().contains("Exception"), "a readable message, no stack trace: " + run);
        }
    }

    @Test
    void missingArgumentsExitTwoWithTheUsage() throws IOException {
        Path file = write("metadata.yaml", CONSISTENT);
        for (String[] args : new String[][]{{"check"}, {"check", "--metadata"}, {"check", "--database-url", db.url()},
                {"check", "--metadata", file.toString()}, {"check", "metadata.yaml"}, {"chek", "--metadata", file.toString()}}) {
            Run run = new Run(Map.of(), args);
            assertEquals(Commands.USAGE, run.exit(), String.join(" ", args) + " → " + run);
            assertTrue(run.err().startsWith("joinery: ") && run.err().contains("usage: "), String.join(" ", args) + " → " + run);
        }
    }

    @Test
    void aMissingFileExitsNonZero() {
        Run run = check(dir.resolve("nope.yaml"), "--database-url", db.url());
        assertTrue(run.exit() != Commands.OK, run.toString());
        assertTrue(run.err().contains("nope.yaml"), run.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Run check(Path file, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "check";
        args[1] = "--metadata";
        args[2] = file.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return new Run(Map.of(), args);
    }

    /** One run of the command line, with what it printed. */
    record Run(int exit, String out, String err) {

        Run(Map<String, String> env, String... args) {
            this(new Streams(), env, args);
        }

        private Run(Streams streams, Map<String, String> env, String[] args) {
            this(new Commands(env, streams.out, streams.err).run(args), streams.out(), streams.err());
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private static final class Streams {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
