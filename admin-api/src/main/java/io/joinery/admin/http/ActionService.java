package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.MetadataObject.ActionRef;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.Metadata;

import java.util.List;

import static io.joinery.admin.http.Paths.ACTIONS;
import static io.joinery.admin.http.Paths.param;

/** The actions ({@code /actions}). */
final class ActionService implements HttpService {

    static final RouteTable<ActionService> ROUTES = new RouteTable<ActionService>()
            .reply(ACTIONS, Method.GET, ActionService::actions)
            .reply(ACTIONS + "/{name}", Method.GET, ActionService::getAction)
            .reply(ACTIONS + "/{name}", Method.PUT, ActionService::putAction)
            .reply(ACTIONS + "/{name}", Method.DELETE, ActionService::deleteAction);

    private final MetadataWriter writer;

    ActionService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply actions(ServerRequest request) {
        return writer.read(Metadata::actions);
    }

    private Reply getAction(ServerRequest request) {
        return writer.read(metadata -> Edits.action(metadata, param(request, "name")));
    }

    /**
     * Creates or replaces an action; the body's {@code name} defaults to the path's. The checks hold
     * its types against the custom types of the document.
     */
    private Reply putAction(ServerRequest request) {
        String name = param(request, "name");
        Action action = Bodies.named(request, "name", name, Action.class,
                Action::name, "action");
        return writer.write(request, current -> new Edit(Edits.withAction(current, name, action), Edit.created(current.action(name)), stored -> action));
    }

    /** Nothing in the document refers to an action: it is deleted without dependents. */
    private Reply deleteAction(ServerRequest request) {
        String name = param(request, "name");
        return writer.write(request, current -> {
            Edits.action(current, name);
            return Edit.deletion(Edits.withAction(current, name, null), new ActionRef(name).describe(), List.of());
        });
    }
}
