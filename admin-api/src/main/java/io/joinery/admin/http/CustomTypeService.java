package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Dependents;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.CustomTypeRef;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataException;

import java.util.List;

import static io.joinery.admin.http.Paths.CUSTOM_TYPES;
import static io.joinery.admin.http.Paths.param;

/** The custom types of actions ({@code /custom-types}). */
final class CustomTypeService implements HttpService {

    static final RouteTable<CustomTypeService> ROUTES = new RouteTable<CustomTypeService>()
            .reply(CUSTOM_TYPES, Method.GET, CustomTypeService::customTypes)
            .reply(CUSTOM_TYPES + "/{name}", Method.GET, CustomTypeService::getCustomType)
            .reply(CUSTOM_TYPES + "/{name}", Method.PUT, CustomTypeService::putCustomType)
            .reply(CUSTOM_TYPES + "/{name}", Method.DELETE, CustomTypeService::deleteCustomType);

    private final MetadataWriter writer;

    CustomTypeService(MetadataWriter writer) {
        this.writer = writer;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    private Reply customTypes(ServerRequest request) {
        return writer.read(Metadata::customTypes);
    }

    private Reply getCustomType(ServerRequest request) {
        return writer.read(metadata -> Edits.customType(metadata, param(request, "name")));
    }

    /** Creates or replaces a custom type; its definition must name the path's type. */
    private Reply putCustomType(ServerRequest request) {
        String name = param(request, "name");
        CustomType type = Bodies.read(request, CustomType.class);
        String defined = definedName(type);
        if (!defined.equals(name)) {
            throw AdminError.invalidMetadata("the definition names type '" + defined + "' but the path names '" + name + "'");
        }
        return writer.write(request, current -> new Edit(Edits.withCustomType(current, name, type), Edit.created(current.customType(name)),
                stored -> type));
    }

    /** The name a definition gives; one of a kind custom types cannot be (an interface) is left to the checks to explain. */
    private static String definedName(CustomType type) {
        try {
            return type.typeDefinition().getName();
        } catch (MetadataException e) {
            return type.name().orElseThrow(() -> AdminError.invalidMetadata("the definition is not one type definition: " + e.getMessage()));
        }
    }

    /**
     * Refused while actions or other custom types use it, unless {@code ?cascade=true}, which
     * removes them too, and what uses those in turn.
     */
    private Reply deleteCustomType(ServerRequest request) {
        String name = param(request, "name");
        return writer.write(request, current -> {
            Edits.customType(current, name);
            MetadataObject deleted = new CustomTypeRef(name);
            List<MetadataObject> dependents = Dependents.ofCustomType(current, name);
            Edit.refuseDependents(request, deleted.describe(), Edit.names(dependents));
            return Edit.deletion(Edits.withCustomType(Edits.without(current, dependents), name, null), deleted.describe(), Edit.names(dependents));
        });
    }
}
