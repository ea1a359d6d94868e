package io.joinery.admin.http;

import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.metadata.QualifiedName;

/** The path templates of the resources under {@link AdminService#PATH}, and the values a request's path gives them. */
final class Paths {

    static final String SOURCE = "/sources/{source}";
    static final String TABLES = SOURCE + "/tables";
    static final String TABLE = TABLES + "/{table}";
    static final String RELATIONSHIP = TABLE + "/relationships/{name}";
    static final String COMPUTED_FIELDS = TABLE + "/computed-fields";
    static final String FUNCTIONS = SOURCE + "/functions";
    static final String PERMISSION = TABLE + "/permissions/{role}";
    static final String OPERATION_PERMISSION = PERMISSION + "/{operation}";
    static final String REMOTE_SCHEMAS = "/remote-schemas";
    static final String REMOTE_RELATIONSHIPS = TABLE + "/remote-relationships";
    static final String TYPE_RELATIONSHIPS = REMOTE_SCHEMAS + "/{name}/relationships";
    static final String ACTIONS = "/actions";
    static final String CUSTOM_TYPES = "/custom-types";

    private Paths() {
    }

    static String param(ServerRequest request, String name) {
        return request.path().pathParameters().get(name);
    }

    static QualifiedName table(ServerRequest request) {
        return QualifiedName.parse(param(request, "table"));
    }

    static QualifiedName function(ServerRequest request) {
        return QualifiedName.parse(param(request, "function"));
    }
}
