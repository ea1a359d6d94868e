package io.joinery.proxy.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.proxy.execute.Database;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The log of asynchronous action calls: the table {@code joinery.action_log} of the metadata
 * store's database (Hasura's {@code hdb_action_log}), created on first use as the metadata table is,
 * under an advisory lock. One row per call: the action, the client's input, session variables
 * and forwarded headers, a status ({@code created} → {@code processing} → {@code completed} or
 * {@code error}), the handler's answer or the error, and while {@code processing} the time after
 * which its sidecar is known to be gone ({@code claimed_until}, see Note [Async actions across a
 * restart] in {@link AsyncActions}). Every value is a bind parameter; the SQL is constant.
 */
public final class AsyncActionLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SCHEMA_LOCK = 0x6a6f696e65727932L; // "joinery2"
    private static final String CREATE = """
            SELECT pg_advisory_xact_lock(%d);
            CREATE SCHEMA IF NOT EXISTS joinery;
            CREATE TABLE IF NOT EXISTS joinery.action_log (
              id uuid PRIMARY KEY,
              action_name text NOT NULL,
              input jsonb NOT NULL,
              session_variables jsonb NOT NULL,
              request_headers jsonb NOT NULL,
              request_query text,
              status text NOT NULL CHECK (status IN ('created', 'processing', 'completed', 'error')),
              response_payload jsonb,
              errors jsonb,
              errors_internal text,
              created_at timestamptz NOT NULL DEFAULT now(),
              claimed_until timestamptz,
              response_received_at timestamptz);
            CREATE INDEX IF NOT EXISTS action_log_pending ON joinery.action_log (status) WHERE status IN ('created', 'processing')
            """.formatted(SCHEMA_LOCK);
    private static final String INSERT = """
            INSERT INTO joinery.action_log (id, action_name, input, session_variables, request_headers, request_query, status)
            VALUES ($1, $2, $3::text::jsonb, $4::text::jsonb, $5::text::jsonb, $6, 'created')""";
    private static final String CLAIM_COLUMNS = "id, action_name, input::text, session_variables::text, request_headers::text, request_query";
    /** Claims one call still {@code created}; nothing when another sidecar claimed it first. */
    private static final String CLAIM = """
            UPDATE joinery.action_log SET status = 'processing', claimed_until = now() + make_interval(secs => $2::float8)
            WHERE id = $1 AND status = 'created'
            RETURNING\s""" + CLAIM_COLUMNS;
    /** Claims up to $1 calls no sidecar has claimed (their sidecar stopped before it sent them). */
    private static final String CLAIM_CREATED = """
            UPDATE joinery.action_log SET status = 'processing', claimed_until = now() + make_interval(secs => $2::float8)
            WHERE id IN (SELECT id FROM joinery.action_log WHERE status = 'created' ORDER BY created_at
                         FOR UPDATE SKIP LOCKED LIMIT $1)
            RETURNING\s""" + CLAIM_COLUMNS;
    private static final String COMPLETE = """
            UPDATE joinery.action_log SET status = 'completed', response_payload = $2::text::jsonb, response_received_at = now(),
              claimed_until = NULL
            WHERE id = $1 AND status = 'processing'""";
    private static final String FAIL = """
            UPDATE joinery.action_log SET status = 'error', errors = $2::text::jsonb, errors_internal = $3, response_received_at = now(),
              claimed_until = NULL
            WHERE id = $1 AND status = 'processing'""";
    /** Fails the calls whose sidecar is gone ($2: those of these ids too, whatever their lease). */
    private static final String ABANDON = """
            UPDATE joinery.action_log SET status = 'error', errors = $1::text::jsonb, response_received_at = now(), claimed_until = NULL
            WHERE status = 'processing' AND (claimed_until < now() OR id = ANY($2::uuid[])) RETURNING id""";
    private static final String READ = """
            SELECT id::text, (to_json(created_at AT TIME ZONE 'UTC') #>> '{}') || '+00:00', response_payload::text, errors::text, errors_internal, status
            FROM joinery.action_log
            WHERE id = $1 AND action_name = $2 AND ($3 OR session_variables = $4::text::jsonb)""";

    private final Database database;
    private volatile boolean created;

    /** A log in the database {@code database} connects to (the metadata store's); it owns it. */
    public AsyncActionLog(Database database) {
        this.database = database;
    }

    /** A call the handler has not received yet (a claimed one: it is the claimer's to send). */
    record Call(UUID id, String action, JsonNode input, ObjectNode sessionVariables, Map<String, String> headers, String query) {
    }

    /**
     * What a reader may see of one call: Hasura's {@code id}, {@code created_at} (as Postgres writes a
     * timestamptz in JSON, in UTC), {@code output} (null until answered) and {@code errors}.
     */
    record Result(String id, String createdAt, JsonNode output, JsonNode errors, String internal) {
    }

    /** Records a call, {@code created}; returns its id. */
    UUID insert(String action, JsonNode input, ObjectNode sessionVariables, Map<String, String> headers, String query) {
        ensureCreated();
        UUID id = UUID.randomUUID();
        database.prepared(INSERT, Tuple.of(id, action, input.toString(), sessionVariables.toString(),
                JSON.valueToTree(headers).toString(), query));
        return id;
    }

    /** Claims the call {@code id} for {@code lease}, if it is still {@code created}. */
    Optional<Call> claim(UUID id, Duration lease) {
        ensureCreated();
        List<Call> calls = calls(database.prepared(CLAIM, Tuple.of(id, interval(lease))));
        return calls.isEmpty() ? Optional.empty() : Optional.of(calls.getFirst());
    }

    /** Claims up to {@code limit} calls no sidecar has sent, for {@code lease}. */
    List<Call> claimCreated(int limit, Duration lease) {
        ensureCreated();
        return calls(database.prepared(CLAIM_CREATED, Tuple.of(limit, interval(lease))));
    }

    void complete(UUID id, JsonNode answer) {
        database.prepared(COMPLETE, Tuple.of(id, answer.toString()));
    }

    void fail(UUID id, JsonNode errors, String internal) {
        database.prepared(FAIL, Tuple.of(id, errors.toString(), internal));
    }

    /** Fails, with {@code errors}, the calls whose lease ran out and those of {@code ids}; returns how many. */
    int abandon(JsonNode errors, List<UUID> ids) {
        ensureCreated();
        return database.prepared(ABANDON, Tuple.tuple().addString(errors.toString()).addArrayOfUUID(ids.toArray(UUID[]::new))).size();
    }

    /**
     * The call {@code id} of {@code action}, as a reader sees it: any call for the admin, else only a
     * call made with exactly the reader's session variables (Hasura's rule: the same role and user).
     */
    Optional<Result> read(UUID id, String action, boolean admin, ObjectNode sessionVariables) {
        ensureCreated();
        for (Row row : database.prepared(READ, Tuple.of(id, action, admin, sessionVariables.toString()))) {
            return Optional.of(new Result(row.getString(0), row.getString(1), json(row.getString(2)), json(row.getString(3)),
                    row.getString(4)));
        }
        return Optional.empty();
    }

    private List<Call> calls(Iterable<Row> rows) {
        List<Call> calls = new ArrayList<>();
        for (Row row : rows) {
            Map<String, String> headers = new LinkedHashMap<>();
            json(row.getString(4)).properties().forEach(entry -> headers.put(entry.getKey(), entry.getValue().asText()));
            calls.add(new Call(row.getUUID(0), row.getString(1), json(row.getString(2)), (ObjectNode) json(row.getString(3)),
                    headers, row.getString(5)));
        }
        return calls;
    }

    private static double interval(Duration lease) {
        return lease.toMillis() / 1000.0;
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the action log holds JSON that does not parse", e);
        }
    }

    private void ensureCreated() {
        if (!created) {
            database.simple(CREATE);
            created = true;
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
