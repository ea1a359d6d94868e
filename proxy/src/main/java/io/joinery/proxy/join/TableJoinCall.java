package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.policies.Session;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.compile.SqlCompiler;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.execute.ParamBinder;
import io.joinery.proxy.execute.Statements;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.response.ResultTranscoder;
import io.joinery.proxy.sql.SqlQuery;
import io.joinery.telemetry.RequestObservation;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one table join's keyed statement: ONE statement for all the distinct keys of its level, the
 * keys bound as one JSON parameter ({@code jsonb_to_recordset}), each answered with its index.
 * The statement runs and is reported like every statement ({@link Statements}).
 */
final class TableJoinCall {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TableJoinCall() {
    }

    /**
     * Each key's value, by key index: the row (or rows) of its key, or null when there is none. No
     * keys, no statement; a source that is not available fails the request.
     */
    static List<JsonNode> run(RemoteTableJoin join, List<List<JsonNode>> keys, CompiledQuery.KeyedStatement statement, Database database,
                              Map<String, Object> variables, Session session, RequestObservation observation) {
        List<JsonNode> results = new ArrayList<>(Collections.nCopies(keys.size(), (JsonNode) null));
        if (keys.isEmpty()) {
            return results;
        }
        if (database == null) {
            throw new JoineryException(ErrorCode.UNEXPECTED, "source '" + join.source() + "' is not available");
        }
        Map<String, Object> bound = new HashMap<>(variables);
        bound.put(SqlCompiler.KEYS_PARAMETER, keysParameter(join, keys));
        SqlQuery sql = statement.sql();
        Row row = Statements.run(observation, database, sql, ParamBinder.bind(sql.params(), bound, session));
        for (JsonNode pair : ResultTranscoder.toTree(row.getString(0), statement.shape())) {
            JsonNode value = pair.get(1);
            results.set(pair.get(0).asInt(), value == null || value.isNull() ? null : value);
        }
        return results;
    }

    /** The keys as {@code [{"<index>": 0, "<field>": value, …}, …]}, the fields those of the relationship's mapping. */
    private static String keysParameter(RemoteTableJoin join, List<List<JsonNode>> keys) {
        ArrayNode out = JSON.createArrayNode();
        List<String> fields = List.copyOf(join.relationship().mapping().keySet());
        for (int index = 0; index < keys.size(); index++) {
            ObjectNode row = out.addObject().put(SqlCompiler.KEY_INDEX, index);
            for (int i = 0; i < fields.size(); i++) {
                row.set(fields.get(i), keys.get(index).get(i));
            }
        }
        return out.toString();
    }
}
