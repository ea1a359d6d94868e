package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.MetadataObject.FunctionRef;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.TrackedFunction;

import java.util.List;

import static io.joinery.admin.http.Paths.FUNCTIONS;
import static io.joinery.admin.http.Paths.function;
import static io.joinery.admin.http.Paths.param;

/** The tracked functions of a source ({@code /sources/{source}/functions}). */
final class FunctionService implements HttpService {

    static final RouteTable<FunctionService> ROUTES = new RouteTable<FunctionService>()
            .reply(FUNCTIONS, Method.GET, FunctionService::functions)
            .reply(FUNCTIONS + "/{function}", Method.GET, FunctionService::getFunction)
            .reply(FUNCTIONS + "/{function}", Method.PUT, FunctionService::putFunction)
            .reply(FUNCTIONS + "/{function}", Method.DELETE, FunctionService::deleteFunction);

    private final MetadataWriter writer;

    FunctionService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply functions(ServerRequest request) {
        return writer.read(metadata -> Edits.source(metadata, param(request, "source")).functions());
    }

    private Reply getFunction(ServerRequest request) {
        return writer.read(metadata -> Edits.function(metadata, param(request, "source"), function(request)));
    }

    /**
     * Creates (at the end of the source's functions) or replaces a tracked function; the body's
     * {@code function} defaults to the path's. The checks read the function from the database and
     * hold its root field against the others before the write.
     */
    private Reply putFunction(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = function(request);
        TrackedFunction tracked = Bodies.named(request, "function", name.toString(), TrackedFunction.class,
                function -> function.functionName().toString(), "function");
        return writer.write(request, current -> new Edit(Edits.withFunction(current, source, name, tracked),
                Edit.created(Edits.source(current, source).functions().stream().filter(f -> f.functionName().equals(name)).findFirst()),
                stored -> tracked));
    }

    /** Nothing in the document refers to a tracked function: it is deleted without dependents. */
    private Reply deleteFunction(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = function(request);
        return writer.write(request, current -> {
            Edits.function(current, source, name);
            return Edit.deletion(Edits.withFunction(current, source, name, null), new FunctionRef(source, name).describe(), List.of());
        });
    }
}
