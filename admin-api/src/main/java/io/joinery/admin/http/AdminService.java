package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.check.ConsistencyCheck;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.check.Dependents;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.check.MetadataObject;
import io.joinery.admin.check.MetadataObject.ActionRef;
import io.joinery.admin.check.MetadataObject.ComputedFieldRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRef;
import io.joinery.admin.check.MetadataObject.FunctionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.SourceRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.check.Problem;
import io.joinery.admin.check.Served;
import io.joinery.admin.hasura.ForeignKeys;
import io.joinery.admin.hasura.HasuraImport;
import io.joinery.admin.hasura.ImportResult;
import io.joinery.admin.http.RemoteRef.RemoteRelationshipRef;
import io.joinery.admin.http.RemoteRef.RemoteSchemaRef;
import io.joinery.admin.http.RemoteRef.RemoteTypeRelationshipRef;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RemoteRelationship;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TablePermission;
import io.joinery.admin.metadata.TrackedFunction;
import io.joinery.admin.metadata.TypeRelationship;
import io.joinery.admin.store.MetadataStore;
import io.joinery.admin.store.MetadataStoreException;
import io.joinery.admin.store.StoredMetadata;
import io.joinery.admin.store.VersionConflict;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The admin REST API under {@code /admin/v1}: the whole metadata document ({@code ETag} /
 * {@code If-Match}), its sources, tables, relationships, computed fields, permissions, tracked
 * functions, remote schemas, remote relationships, actions and custom types as resources, a dry-run validation, the current
 * inconsistencies, a Hasura import and its own OpenAPI document ({@code GET /admin/v1/openapi},
 * the resource {@code openapi.json} beside this class, held against {@link #routes()} by tests: a new route needs its entry there;
 * its metadata schemas are those of {@code docs/metadata.schema.json}). Register it on the admin
 * listener's routing as is ({@code routing.register(adminService)}); it owns its path prefix.
 *
 * <p>Every write is read–modify–write on the store: the next document is built from the current
 * one, checked against the live databases (a change that adds problems is refused with 400
 * {@code inconsistent-metadata}) and written only if the store still holds the version it was built
 * from. With {@code If-Match} a moved version is a 412; without, a resource write is retried on the
 * newer version. A whole-document write ({@code PUT /metadata}) replaces everything, so it needs
 * {@code If-Match} with a version (else 428): without it, it would silently undo concurrent resource
 * writes. The Hasura import is the one exception: it is the migration in one call that Hasura users
 * and their scripts make as they would {@code replace_metadata}, so without {@code If-Match} it
 * replaces whatever is stored (and with it, only the version it names). The checks are the built-in database checks,
 * {@code RemoteReferenceCheck} and the engine's (which introspect remote schemas). Errors are JSON
 * {@code {"code", "message", ...}} with stable codes.
 *
 * <p>A committed write is answered once the engine beside it ({@link Serving}) serves it, so the
 * next query to this sidecar sees it (Note [Read your writes]); if that takes longer than the
 * bound, the answer is 202 {@code not-yet-served}: committed, served when the build ends.
 */
public final class AdminService implements HttpService {

    /** The path prefix of every route. */
    public static final String PATH = "/admin/v1";
    /** The header carrying the admin secret. */
    public static final HeaderName SECRET_HEADER = HeaderNames.create("X-Joinery-Admin-Secret");

    private static final System.Logger LOG = System.getLogger(AdminService.class.getName());
    private static final int WRITE_ATTEMPTS = 10;
    private static final String SOURCE = "/sources/{source}";
    private static final String TABLES = SOURCE + "/tables";
    private static final String TABLE = TABLES + "/{table}";
    private static final String RELATIONSHIP = TABLE + "/relationships/{name}";
    private static final String COMPUTED_FIELDS = TABLE + "/computed-fields";
    private static final String FUNCTIONS = SOURCE + "/functions";
    private static final String PERMISSION = TABLE + "/permissions/{role}";
    private static final String OPERATION_PERMISSION = PERMISSION + "/{operation}";
    private static final String REMOTE_SCHEMAS = "/remote-schemas";
    private static final String REMOTE_RELATIONSHIPS = TABLE + "/remote-relationships";
    private static final String TYPE_RELATIONSHIPS = REMOTE_SCHEMAS + "/{name}/relationships";
    private static final String ACTIONS = "/actions";
    private static final String CUSTOM_TYPES = "/custom-types";
    private static final Map<String, Map<Method, Action>> ROUTES = routeTable();
    private static final String OPENAPI = resource("openapi.json");

    private final MetadataStore store;
    private final Catalogs catalogs;
    private final ConsistencyChecker checker;
    private final Optional<byte[]> secretDigest;
    private final Serving serving;
    private final Duration serveTimeout;
    private final ReentrantLock writes = new ReentrantLock(true);

    /**
     * @param store        where the document lives
     * @param catalogs     the live catalog of each source, read when a change is checked
     * @param extraChecks  the engine's own consistency checks (remote schemas answer introspection,
     *                     remote relationships resolve, ...), run after the built-in ones
     * @param adminSecret  the secret every request must present; empty: no authentication (loopback only)
     * @param serving      the engine that serves what is written; each write waits for it
     * @param serveTimeout how long a write waits for {@code serving} before answering 202 {@code not-yet-served}
     */
    public AdminService(MetadataStore store, Catalogs catalogs, List<ConsistencyCheck> extraChecks, Optional<String> adminSecret,
                        Serving serving, Duration serveTimeout) {
        this.store = store;
        this.catalogs = catalogs;
        this.checker = checker(catalogs, extraChecks);
        this.secretDigest = adminSecret.filter(s -> !s.isEmpty()).map(AdminService::digest);
        this.serving = serving;
        this.serveTimeout = serveTimeout;
    }

    /**
     * The checks every write goes through: the built-in database checks, {@code RemoteReferenceCheck}
     * and {@code extraChecks} (the engine's). {@code joinery check} and the sidecar's own builds use
     * the same, so CI, the admin API and what is served agree.
     */
    public static ConsistencyChecker checker(Catalogs catalogs, List<ConsistencyCheck> extraChecks) {
        return new ConsistencyChecker(catalogs, Stream.concat(Stream.of(new RemoteReferenceCheck()), extraChecks.stream()).toList());
    }

    /**
     * An admin API with no engine beside it (tools, tests): what it "serves" is the stored document
     * as it checks against the live databases now.
     */
    public AdminService(MetadataStore store, Catalogs catalogs, List<ConsistencyCheck> extraChecks, Optional<String> adminSecret) {
        this(store, catalogs, extraChecks, adminSecret, null, Duration.ZERO);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.register(PATH, this::routes);
    }

    /**
     * Every route of this service: its path under {@link #PATH}, with {@code {parameter}} templates
     * as in the OpenAPI document, and its methods. The same table registers the routes, so a test can
     * hold it against {@link #openapi()}.
     */
    public static Map<String, Set<String>> routes() {
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        ROUTES.forEach((path, actions) -> routes.put(PATH + path,
                actions.keySet().stream().map(Method::text).collect(Collectors.toCollection(TreeSet::new))));
        return routes;
    }

    /** The OpenAPI 3.1 document (JSON) of the admin listener: these routes and the sidecar's own (reload, health, metrics). */
    public static String openapi() {
        return OPENAPI;
    }

    /** One route's handler, an instance method of this service. */
    @FunctionalInterface
    private interface Action {
        Reply apply(AdminService service, ServerRequest request);
    }

    private static Map<String, Map<Method, Action>> routeTable() {
        Map<String, Map<Method, Action>> routes = new LinkedHashMap<>();
        routes.put("/metadata", Map.of(Method.GET, AdminService::getMetadata, Method.PUT, AdminService::putMetadata));
        routes.put("/metadata/validate", Map.of(Method.POST, AdminService::validate));
        routes.put("/metadata/import/hasura", Map.of(Method.POST, AdminService::importHasura));
        routes.put("/inconsistencies", Map.of(Method.GET, AdminService::inconsistencies));
        routes.put("/openapi", Map.of(Method.GET, (service, request) -> Reply.json(Status.OK_200, OPENAPI, null)));
        routes.put("/sources", Map.of(Method.GET, AdminService::sources));
        routes.put(SOURCE, Map.of(Method.GET, AdminService::getSource, Method.PUT, AdminService::putSource,
                Method.DELETE, AdminService::deleteSource));
        routes.put(FUNCTIONS, Map.of(Method.GET, AdminService::functions));
        routes.put(FUNCTIONS + "/{function}", Map.of(Method.GET, AdminService::getFunction, Method.PUT, AdminService::putFunction,
                Method.DELETE, AdminService::deleteFunction));
        routes.put(TABLES, Map.of(Method.GET, AdminService::tables));
        routes.put(TABLE, Map.of(Method.GET, AdminService::getTable, Method.PUT, AdminService::putTable,
                Method.DELETE, AdminService::deleteTable));
        routes.put(TABLE + "/relationships", Map.of(Method.GET, AdminService::relationships));
        routes.put(RELATIONSHIP, Map.of(Method.GET, AdminService::getRelationship, Method.PUT, AdminService::putRelationship,
                Method.DELETE, AdminService::deleteRelationship));
        routes.put(COMPUTED_FIELDS, Map.of(Method.GET, AdminService::computedFields));
        routes.put(COMPUTED_FIELDS + "/{name}", Map.of(Method.GET, AdminService::getComputedField, Method.PUT, AdminService::putComputedField,
                Method.DELETE, AdminService::deleteComputedField));
        routes.put(TABLE + "/permissions", Map.of(Method.GET, AdminService::permissions));
        routes.put(PERMISSION, Map.of(Method.GET, AdminService::getPermissions, Method.PUT, AdminService::putPermissions,
                Method.DELETE, AdminService::deletePermissions));
        routes.put(OPERATION_PERMISSION, Map.of(Method.GET, AdminService::getPermission, Method.PUT, AdminService::putPermission,
                Method.DELETE, AdminService::deletePermission));
        routes.put(REMOTE_RELATIONSHIPS, Map.of(Method.GET, AdminService::remoteRelationships));
        routes.put(REMOTE_RELATIONSHIPS + "/{name}", Map.of(Method.GET, AdminService::getRemoteRelationship,
                Method.PUT, AdminService::putRemoteRelationship, Method.DELETE, AdminService::deleteRemoteRelationship));
        routes.put(REMOTE_SCHEMAS, Map.of(Method.GET, AdminService::remoteSchemas));
        routes.put(REMOTE_SCHEMAS + "/{name}", Map.of(Method.GET, AdminService::getRemoteSchema, Method.PUT, AdminService::putRemoteSchema,
                Method.DELETE, AdminService::deleteRemoteSchema));
        routes.put(TYPE_RELATIONSHIPS, Map.of(Method.GET, AdminService::typeRelationships));
        routes.put(TYPE_RELATIONSHIPS + "/{type}/{relationship}", Map.of(Method.GET, AdminService::getTypeRelationship,
                Method.PUT, AdminService::putTypeRelationship, Method.DELETE, AdminService::deleteTypeRelationship));
        routes.put(ACTIONS, Map.of(Method.GET, AdminService::actions));
        routes.put(ACTIONS + "/{name}", Map.of(Method.GET, AdminService::getAction, Method.PUT, AdminService::putAction,
                Method.DELETE, AdminService::deleteAction));
        routes.put(CUSTOM_TYPES, Map.of(Method.GET, AdminService::customTypes));
        routes.put(CUSTOM_TYPES + "/{name}", Map.of(Method.GET, AdminService::getCustomType, Method.PUT, AdminService::putCustomType,
                Method.DELETE, AdminService::deleteCustomType));
        return Collections.unmodifiableMap(routes);
    }

    private static String resource(String name) {
        try (InputStream in = AdminService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the admin-api jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void routes(HttpRules rules) {
        rules.any(this::authenticate);
        ROUTES.forEach((path, actions) -> resource(rules, path, actions));
        rules.any(handle(request -> {
            throw AdminError.notFound("no admin route " + request.path().absolute().path());
        }));
    }

    // ---- the whole document

    private Reply getMetadata(ServerRequest request) {
        StoredMetadata stored = store.current();
        boolean yaml = request.headers().bestAccepted(MediaTypes.APPLICATION_JSON, MediaTypes.APPLICATION_YAML)
                .filter(MediaTypes.APPLICATION_YAML::equals).isPresent();
        return yaml
                ? new Reply(Status.OK_200, MetadataCodec.toYaml(stored.metadata()), stored.etag(), MediaTypes.APPLICATION_YAML)
                : new Reply(Status.OK_200, MetadataCodec.toJson(stored.metadata()), stored.etag(), MediaTypes.APPLICATION_JSON);
    }

    private Reply putMetadata(ServerRequest request) {
        requireVersion(request, "PUT /admin/v1/metadata");
        Metadata next = Bodies.read(request, Metadata.class);
        return write(request, current -> new Edit(next, Status.OK_200, stored -> Map.of("resource_version", stored.resourceVersion())));
    }

    /**
     * Applies a Hasura metadata export (version 3 JSON) like a PUT of the whole document, and lists
     * what could not be mapped. Like Hasura's {@code replace_metadata} it needs no version: a
     * migration replaces what is there, and the scripts that move users over send none; with
     * {@code If-Match} it replaces only the version named. {@code ?dry_run=true} only converts and checks.
     */
    private Reply importHasura(ServerRequest request) {
        boolean dryRun = request.query().first("dry_run").map(Boolean::parseBoolean).orElse(false);
        com.fasterxml.jackson.databind.JsonNode export = Bodies.tree(request);
        ImportResult result;
        try {
            result = HasuraImport.convert(export, ForeignKeys.of(catalogs::read));
        } catch (io.joinery.admin.metadata.MetadataException e) {
            throw AdminError.invalidMetadata(e.getMessage());
        }
        if (dryRun) {
            Inconsistencies found = checker.check(result.metadata());
            return Reply.json(Status.OK_200, ordered("metadata", MetadataCodec.toTree(result.metadata()),
                    "unmapped", result.unmapped(), "problems", found.problems()), null);
        }
        return write(request, current -> new Edit(result.metadata(), Status.OK_200,
                stored -> ordered("resource_version", stored.resourceVersion(), "unmapped", result.unmapped())));
    }

    private Reply validate(ServerRequest request) {
        Inconsistencies found = checker.check(Bodies.read(request, Metadata.class));
        return Reply.json(Status.OK_200, Map.of("valid", found.isEmpty(), "problems", found.problems()), null);
    }

    /**
     * What the served schema leaves out, as the gauge counts it; {@code ?live=true}: what the stored
     * document's objects fail against the live databases and remote schemas now, which the next
     * reload would leave out (drift shows here first).
     */
    private Reply inconsistencies(ServerRequest request) {
        StoredMetadata stored = store.current();
        boolean live = request.query().first("live").map(Boolean::parseBoolean).orElse(false);
        if (live || serving == null) {
            Inconsistencies found = checker.check(stored.metadata());
            return Reply.json(Status.OK_200, ordered("resource_version", stored.resourceVersion(), "live", true,
                    "consistent", found.isEmpty(), "inconsistencies", found.problems()), stored.etag());
        }
        Served now = serving.served();
        return Reply.json(Status.OK_200, ordered("resource_version", now.resourceVersion(), "live", false,
                "consistent", now.inconsistencies().isEmpty(), "inconsistencies", now.inconsistencies().problems()), stored.etag());
    }

    // ---- sources and tables

    private Reply sources(ServerRequest request) {
        StoredMetadata stored = store.current();
        List<Object> sources = stored.metadata().sources().stream()
                .map(s -> (Object) ordered("name", s.name(), "infer_relationships", s.inferRelationships(),
                        "tables", s.tables().stream().map(TableConfig::table).toList()))
                .toList();
        return Reply.json(Status.OK_200, sources, stored.etag());
    }

    private Reply getSource(ServerRequest request) {
        return read(metadata -> Edits.source(metadata, param(request, "source")));
    }

    /**
     * Creates or replaces a whole source, its tables included; the body's {@code name} defaults to
     * the path's. The checks read its database before the write, so an unreachable one, or tables
     * it no longer tracks that others join to, are refused with 400.
     */
    private Reply putSource(ServerRequest request) {
        String name = param(request, "source");
        Source config = named(request, "name", name, Source.class, Source::name, "source");
        return write(request, current -> new Edit(Edits.withSource(current, name, config),
                created(current.source(name)), stored -> config));
    }

    /**
     * Refused while other sources' relationships ({@code source: <name>}) or remote schemas' type
     * relationships join to its tables, unless {@code ?cascade=true}, which removes them (and the
     * permissions through those relationships) too. The default source is never deleted.
     */
    private Reply deleteSource(ServerRequest request) {
        String name = param(request, "source");
        return write(request, current -> {
            Edits.source(current, name);
            if (Source.DEFAULT.equals(name)) {
                throw new AdminError(Status.CONFLICT_409, "default-source",
                        "the default source cannot be deleted; replace it with PUT, or its tables one by one");
            }
            MetadataObject deleted = new SourceRef(name);
            List<MetadataObject> dependents = sourceDependents(current, name);
            List<RemoteTypeRelationshipRef> remoteDependents = RemoteRef.targetingSource(current, name);
            List<String> cascaded = Stream.concat(dependents.stream().map(MetadataObject::describe),
                    remoteDependents.stream().map(RemoteRef::describe)).toList();
            refuseDependents(request, deleted.describe(), cascaded);
            Metadata next = Edits.withoutRemote(Edits.without(current, dependents), remoteDependents);
            return deletion(Edits.withSource(next, name, null), deleted.describe(), cascaded);
        });
    }

    /**
     * Other sources' relationships to tables of {@code source}, the permissions whose filters go
     * through them, and custom types' relationships to them.
     */
    private static List<MetadataObject> sourceDependents(Metadata metadata, String source) {
        Set<MetadataObject> relationships = new LinkedHashSet<>();
        Set<MetadataObject> permissions = new LinkedHashSet<>();
        for (Source other : metadata.sources()) {
            if (other.name().equals(source)) {
                continue;
            }
            for (TableConfig table : other.tables()) {
                table.relationships().forEach((name, relationship) -> {
                    if (source.equals(relationship.source())) {
                        relationships.add(new RelationshipRef(new TableRef(other.name(), table.qualifiedName()), name));
                        permissions.addAll(Dependents.ofRelationship(metadata, other.name(), table.qualifiedName(), name));
                    }
                });
            }
        }
        return Stream.of(relationships.stream(), permissions.stream(),
                Dependents.customTypeRelationshipsTo(metadata, source, null).stream()).flatMap(s -> s).toList();
    }

    // ---- tracked functions

    private Reply functions(ServerRequest request) {
        return read(metadata -> Edits.source(metadata, param(request, "source")).functions());
    }

    private Reply getFunction(ServerRequest request) {
        return read(metadata -> Edits.function(metadata, param(request, "source"), function(request)));
    }

    /**
     * Creates (at the end of the source's functions) or replaces a tracked function; the body's
     * {@code function} defaults to the path's. The checks read the function from the database and
     * hold its root field against the others before the write.
     */
    private Reply putFunction(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = function(request);
        TrackedFunction tracked = named(request, "function", name.toString(), TrackedFunction.class,
                function -> function.functionName().toString(), "function");
        return write(request, current -> new Edit(Edits.withFunction(current, source, name, tracked),
                created(Edits.source(current, source).functions().stream().filter(f -> f.functionName().equals(name)).findFirst()),
                stored -> tracked));
    }

    /** Nothing in the document refers to a tracked function: it is deleted without dependents. */
    private Reply deleteFunction(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = function(request);
        return write(request, current -> {
            Edits.function(current, source, name);
            return deletion(Edits.withFunction(current, source, name, null), new FunctionRef(source, name).describe(), List.of());
        });
    }

    private Reply tables(ServerRequest request) {
        return read(metadata -> Edits.source(metadata, param(request, "source")).tables());
    }

    private Reply getTable(ServerRequest request) {
        return read(metadata -> Edits.table(metadata, param(request, "source"), table(request)));
    }

    private Reply putTable(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        TableConfig config = named(request, "table", name.toString(), TableConfig.class,
                table -> table.qualifiedName().toString(), "table");
        return write(request, current -> new Edit(Edits.withTable(current, source, name, config),
                created(Edits.source(current, source).table(name)), stored -> config));
    }

    private Reply deleteTable(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        return write(request, current -> {
            Edits.table(current, source, name);
            MetadataObject deleted = new TableRef(source, name);
            List<MetadataObject> dependents = Dependents.ofTable(current, source, name);
            List<RemoteTypeRelationshipRef> remoteDependents = RemoteRef.targeting(current, source, name);
            List<String> cascaded = Stream.concat(dependents.stream().map(MetadataObject::describe),
                    remoteDependents.stream().map(RemoteRef::describe)).toList();
            refuseDependents(request, deleted.describe(), cascaded);
            Metadata next = Edits.withoutRemote(Edits.without(current, dependents), remoteDependents);
            return deletion(Edits.withTable(next, source, name, null), deleted.describe(), cascaded);
        });
    }

    // ---- relationships

    private Reply relationships(ServerRequest request) {
        return read(metadata -> Edits.table(metadata, param(request, "source"), table(request)).relationships());
    }

    private Reply getRelationship(ServerRequest request) {
        return read(metadata -> relationship(metadata, request));
    }

    private Reply putRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        Relationship definition = Bodies.read(request, Relationship.class);
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withRelationship(table, relationship, definition)),
                    created(Optional.ofNullable(table.relationships().get(relationship))), stored -> definition);
        });
    }

    private Reply deleteRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            relationship(current, request);
            MetadataObject deleted = new MetadataObject.RelationshipRef(new TableRef(source, name), relationship);
            List<MetadataObject> dependents = Dependents.ofRelationship(current, source, name, relationship);
            refuseDependents(request, deleted.describe(), names(dependents));
            Metadata next = Edits.without(current, dependents);
            TableConfig remaining = Edits.table(next, source, name);
            return deletion(Edits.withTable(next, source, name, Edits.withRelationship(remaining, relationship, null)),
                    deleted.describe(), names(dependents));
        });
    }

    private static Relationship relationship(Metadata metadata, ServerRequest request) {
        String name = param(request, "name");
        TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
        return Optional.ofNullable(table.relationships().get(name))
                .orElseThrow(() -> AdminError.notFound("table '" + table.table() + "' has no relationship '" + name + "'"));
    }

    // ---- computed fields

    private Reply computedFields(ServerRequest request) {
        return read(metadata -> Edits.table(metadata, param(request, "source"), table(request)).computedFields());
    }

    private Reply getComputedField(ServerRequest request) {
        return read(metadata -> Edits.computedField(Edits.table(metadata, param(request, "source"), table(request)), param(request, "name")));
    }

    /** The checks read its function from the database before the write: one that does not fit the table is refused with 400. */
    private Reply putComputedField(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String field = param(request, "name");
        ComputedField definition = Bodies.read(request, ComputedField.class);
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withComputedField(table, field, definition)),
                    created(Optional.ofNullable(table.computedFields().get(field))), stored -> definition);
        });
    }

    /**
     * Refused while select permissions list it in {@code computed_fields} or permissions' filters or
     * checks use it, unless {@code ?cascade=true}, which takes it out of those lists and removes the
     * permissions that use it, as for a relationship.
     */
    private Reply deleteComputedField(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String field = param(request, "name");
        return write(request, current -> {
            Edits.computedField(Edits.table(current, source, name), field);
            MetadataObject deleted = new ComputedFieldRef(new TableRef(source, name), field);
            List<MetadataObject> users = Dependents.ofComputedField(current, source, name, field);
            List<String> dependents = Stream.concat(Dependents.permittingComputedField(current, source, name, field).stream(), users.stream())
                    .map(MetadataObject::describe).distinct().toList();
            refuseDependents(request, deleted.describe(), dependents);
            return deletion(Edits.without(Edits.without(current, users), List.of(deleted)), deleted.describe(), dependents);
        });
    }

    // ---- permissions

    private Reply permissions(ServerRequest request) {
        return read(metadata -> Edits.table(metadata, param(request, "source"), table(request)).permissions());
    }

    private Reply getPermissions(ServerRequest request) {
        return read(metadata -> rolePermissions(metadata, request));
    }

    private Reply putPermissions(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        RolePermissions permissions = Bodies.read(request, RolePermissions.class);
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withPermissions(table, role, permissions)),
                    created(Optional.ofNullable(table.permissions().get(role))), stored -> permissions);
        });
    }

    private Reply deletePermissions(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        return write(request, current -> {
            rolePermissions(current, request);
            TableConfig table = Edits.table(current, source, name);
            MetadataObject deleted = new MetadataObject.PermissionRef(new TableRef(source, name), role);
            return deletion(Edits.withTable(current, source, name, Edits.withPermissions(table, role, null)), deleted.describe(), List.of());
        });
    }

    private static RolePermissions rolePermissions(Metadata metadata, ServerRequest request) {
        String role = param(request, "role");
        TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
        return Optional.ofNullable(table.permissions().get(role))
                .orElseThrow(() -> AdminError.notFound("table '" + table.table() + "' has no permissions for role '" + role + "'"));
    }

    // ---- the permission of one operation of a role (select, insert, update, delete)

    private Reply getPermission(ServerRequest request) {
        return read(metadata -> permission(metadata, request, operation(request)));
    }

    /** The body is the operation's permission; the role's other operations stay as they are. */
    private Reply putPermission(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        Operation operation = operation(request);
        TablePermission permission = Bodies.read(request, operation.type());
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            Optional<TablePermission> existing = Optional.ofNullable(table.permissions().get(role)).flatMap(p -> p.permission(operation));
            return new Edit(Edits.withTable(current, source, name, Edits.withPermission(table, role, operation, permission)),
                    created(existing), stored -> permission);
        });
    }

    /** Nothing in the document refers to a permission: it is deleted without dependents; the role's entry goes with its last operation. */
    private Reply deletePermission(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String role = param(request, "role");
        Operation operation = operation(request);
        return write(request, current -> {
            permission(current, request, operation);
            TableConfig table = Edits.table(current, source, name);
            MetadataObject deleted = new MetadataObject.PermissionRef(new TableRef(source, name), role, operation);
            return deletion(Edits.withTable(current, source, name, Edits.withPermission(table, role, operation, null)),
                    deleted.describe(), List.of());
        });
    }

    private static TablePermission permission(Metadata metadata, ServerRequest request, Operation operation) {
        String role = param(request, "role");
        TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
        return Optional.ofNullable(table.permissions().get(role)).flatMap(p -> p.permission(operation))
                .orElseThrow(() -> AdminError.notFound("table '" + table.table() + "' has no " + operation.key()
                        + " permission for role '" + role + "'"));
    }

    /** The path's operation; anything but select, insert, update and delete is not a resource (404). */
    private static Operation operation(ServerRequest request) {
        String operation = param(request, "operation");
        return Operation.of(operation).orElseThrow(() -> AdminError.notFound("unknown permission operation '" + operation
                + "': expected select, insert, update or delete"));
    }

    // ---- remote relationships

    private Reply remoteRelationships(ServerRequest request) {
        StoredMetadata stored = store.current();
        return Reply.json(Status.OK_200, Edits.table(stored.metadata(), param(request, "source"), table(request)).remoteRelationships(),
                stored.etag());
    }

    private Reply getRemoteRelationship(ServerRequest request) {
        return read(metadata -> {
            TableConfig table = Edits.table(metadata, param(request, "source"), table(request));
            return Edits.remoteRelationship(table, param(request, "name"));
        });
    }

    private Reply putRemoteRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        RemoteRelationship definition = Bodies.read(request, RemoteRelationship.class);
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            return new Edit(Edits.withTable(current, source, name, Edits.withRemoteRelationship(table, relationship, definition)),
                    created(Optional.ofNullable(table.remoteRelationships().get(relationship))), stored -> definition);
        });
    }

    /** Nothing in the document refers to a remote relationship: it is deleted without dependents. */
    private Reply deleteRemoteRelationship(ServerRequest request) {
        String source = param(request, "source");
        QualifiedName name = table(request);
        String relationship = param(request, "name");
        return write(request, current -> {
            TableConfig table = Edits.table(current, source, name);
            Edits.remoteRelationship(table, relationship);
            RemoteRef deleted = new RemoteRelationshipRef(new TableRef(source, name), relationship);
            return deletion(Edits.withTable(current, source, name, Edits.withRemoteRelationship(table, relationship, null)),
                    deleted.describe(), List.of());
        });
    }

    // ---- remote schemas

    private Reply remoteSchemas(ServerRequest request) {
        return read(Metadata::remoteSchemas);
    }

    private Reply getRemoteSchema(ServerRequest request) {
        return read(metadata -> Edits.remoteSchema(metadata, param(request, "name")));
    }

    /**
     * Creates or replaces a remote schema; the body's {@code name} defaults to the path's. The
     * engine's checks introspect it before the write, so an unreachable remote, or one that no
     * longer has a field the remote relationships use, is refused with 400.
     */
    private Reply putRemoteSchema(ServerRequest request) {
        String name = param(request, "name");
        RemoteSchemaConfig config = named(request, "name", name, RemoteSchemaConfig.class, RemoteSchemaConfig::name, "remote schema");
        return write(request, current -> new Edit(Edits.withRemoteSchema(current, name, config),
                created(current.remoteSchema(name)), stored -> config));
    }

    /**
     * Refused while remote relationships of tables, or type relationships of other remote schemas,
     * join to it, unless {@code ?cascade=true}, which removes them too.
     */
    private Reply deleteRemoteSchema(ServerRequest request) {
        String name = param(request, "name");
        return write(request, current -> {
            Edits.remoteSchema(current, name);
            RemoteRef deleted = new RemoteSchemaRef(name);
            List<RemoteRef> dependents = Stream.<RemoteRef>concat(RemoteRef.usersOf(current, name).stream(),
                    RemoteRef.typeRelationshipsTo(current, name).stream()).toList();
            List<String> cascaded = dependents.stream().map(RemoteRef::describe).toList();
            refuseDependents(request, deleted.describe(), cascaded);
            return deletion(Edits.withRemoteSchema(Edits.withoutRemote(current, dependents), name, null), deleted.describe(), cascaded);
        });
    }

    // ---- remote schemas' type relationships

    /** Type → relationship name → relationship, as the remote schema's {@code relationships}. */
    private Reply typeRelationships(ServerRequest request) {
        return read(metadata -> Edits.remoteSchema(metadata, param(request, "name")).relationships());
    }

    private Reply getTypeRelationship(ServerRequest request) {
        return read(metadata -> Edits.typeRelationship(metadata, param(request, "name"), param(request, "type"), param(request, "relationship")));
    }

    /**
     * Creates or replaces one relationship of a remote schema's type, to a table or to a remote
     * schema. The engine's checks introspect the remote before the write, so a type or field it
     * does not have is refused with 400.
     */
    private Reply putTypeRelationship(ServerRequest request) {
        String remote = param(request, "name");
        String type = param(request, "type");
        String relationship = param(request, "relationship");
        TypeRelationship definition = Bodies.read(request, TypeRelationship.class);
        return write(request, current -> {
            RemoteSchemaConfig config = Edits.remoteSchema(current, remote);
            Optional<TypeRelationship> existing = Optional.ofNullable(config.relationships().get(type)).map(r -> r.get(relationship));
            return new Edit(Edits.withTypeRelationship(current, remote, type, relationship, definition), created(existing),
                    stored -> definition);
        });
    }

    /** Nothing in the document refers to a type relationship: it is deleted without dependents; the type's entry goes with its last one. */
    private Reply deleteTypeRelationship(ServerRequest request) {
        String remote = param(request, "name");
        String type = param(request, "type");
        String relationship = param(request, "relationship");
        return write(request, current -> {
            Edits.typeRelationship(current, remote, type, relationship);
            RemoteRef deleted = new RemoteTypeRelationshipRef(remote, type, relationship);
            return deletion(Edits.withTypeRelationship(current, remote, type, relationship, null), deleted.describe(), List.of());
        });
    }

    // ---- actions and custom types

    private Reply actions(ServerRequest request) {
        return read(Metadata::actions);
    }

    private Reply getAction(ServerRequest request) {
        return read(metadata -> Edits.action(metadata, param(request, "name")));
    }

    /**
     * Creates or replaces an action; the body's {@code name} defaults to the path's. The checks hold
     * its types against the custom types of the document.
     */
    private Reply putAction(ServerRequest request) {
        String name = param(request, "name");
        io.joinery.admin.metadata.Action action = named(request, "name", name, io.joinery.admin.metadata.Action.class,
                io.joinery.admin.metadata.Action::name, "action");
        return write(request, current -> new Edit(Edits.withAction(current, name, action), created(current.action(name)), stored -> action));
    }

    /** Nothing in the document refers to an action: it is deleted without dependents. */
    private Reply deleteAction(ServerRequest request) {
        String name = param(request, "name");
        return write(request, current -> {
            Edits.action(current, name);
            return deletion(Edits.withAction(current, name, null), new ActionRef(name).describe(), List.of());
        });
    }

    private Reply customTypes(ServerRequest request) {
        return read(Metadata::customTypes);
    }

    private Reply getCustomType(ServerRequest request) {
        return read(metadata -> Edits.customType(metadata, param(request, "name")));
    }

    /** Creates or replaces a custom type; its definition must name the path's type. */
    private Reply putCustomType(ServerRequest request) {
        String name = param(request, "name");
        CustomType type = Bodies.read(request, CustomType.class);
        String defined = definedName(type);
        if (!defined.equals(name)) {
            throw AdminError.invalidMetadata("the definition names type '" + defined + "' but the path names '" + name + "'");
        }
        return write(request, current -> new Edit(Edits.withCustomType(current, name, type), created(current.customType(name)),
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
        return write(request, current -> {
            Edits.customType(current, name);
            MetadataObject deleted = new CustomTypeRef(name);
            List<MetadataObject> dependents = Dependents.ofCustomType(current, name);
            refuseDependents(request, deleted.describe(), names(dependents));
            return deletion(Edits.withCustomType(Edits.without(current, dependents), name, null), deleted.describe(), names(dependents));
        });
    }

    // ---- reads and writes

    /** Answers a view of the current document, with its version as the {@code ETag}. */
    private Reply read(Function<Metadata, Object> view) {
        StoredMetadata stored = store.current();
        return Reply.json(Status.OK_200, view.apply(stored.metadata()), stored.etag());
    }

    /**
     * The body as a {@code type} whose {@code key} (its name) defaults to the path's {@code name};
     * a body naming another {@code what} is refused with 400.
     */
    private static <T> T named(ServerRequest request, String key, String name, Class<T> type, Function<T, String> nameOf, String what) {
        JsonNode body = Bodies.tree(request);
        if (body instanceof ObjectNode object && !object.has(key)) {
            object.put(key, name);
        }
        T value = Bodies.convert(body, type);
        String given = nameOf.apply(value);
        if (!given.equals(name)) {
            throw AdminError.invalidMetadata("the body names " + what + " '" + given + "' but the path names '" + name + "'");
        }
        return value;
    }


    /** The next document, the status to answer and the body, which may name the written version. */
    private record Edit(Metadata next, Status status, Function<StoredMetadata, Object> body) {
    }

    /** A committed write (or one that changed nothing): the version the store holds after it, and the answer. */
    private record Written(StoredMetadata stored, Status status, Object body) {
    }

    private Reply write(ServerRequest request, Function<Metadata, Edit> edit) {
        Written written;
        writes.lock(); // writes through this sidecar queue up; other sidecars' writes are caught by the version check
        try {
            written = write(ifMatch(request), edit);
        } finally {
            writes.unlock();
        }
        return serve(written);
    }

    private Written write(OptionalLong expected, Function<Metadata, Edit> edit) {
        for (int attempt = 1; ; attempt++) {
            StoredMetadata current = store.current();
            if (expected.isPresent() && expected.getAsLong() != current.resourceVersion()) {
                throw AdminError.stale(current.resourceVersion());
            }
            Edit change = edit.apply(current.metadata());
            if (change.next().equals(current.metadata())) {
                return new Written(current, change.status(), change.body().apply(current));
            }
            List<Problem> problems = checker.newProblems(current.metadata(), change.next());
            if (!problems.isEmpty()) {
                throw new AdminError(Status.BAD_REQUEST_400, "inconsistent-metadata",
                        "the change would make the metadata inconsistent: " + problems.getFirst().message()
                                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
                        Map.of("problems", problems));
            }
            switch (store.replace(change.next(), OptionalLong.of(current.resourceVersion()))) {
                case StoredMetadata stored -> {
                    return new Written(stored, change.status(), change.body().apply(stored));
                }
                case VersionConflict conflict -> {
                    if (expected.isPresent()) {
                        throw AdminError.stale(conflict.actual());
                    }
                    if (attempt == WRITE_ATTEMPTS) {
                        throw new AdminError(Status.CONFLICT_409, "concurrent-change", "the metadata kept changing during the write; try again");
                    }
                    backOff(attempt);
                }
            }
        }
    }

    /**
     * Answers {@code written} once this sidecar serves its version (Note [Read your writes] in
     * {@link Serving}): the engine builds it now, on its own thread, and the answer waits at most
     * {@code serveTimeout}. Past that, or if the build failed, the write stays committed and the
     * answer is 202 {@code not-yet-served}; the build goes on, and NOTIFY delivers the version again.
     * A write that changed nothing waits too: the version it names may be one another sidecar wrote.
     */
    private Reply serve(Written written) {
        StoredMetadata stored = written.stored();
        Reply reply = Reply.json(written.status(), written.body(), stored.etag());
        if (serving == null || serving.served().resourceVersion() >= stored.resourceVersion()) {
            return reply;
        }
        CompletableFuture<Void> build = CompletableFuture.runAsync(() -> serving.serve(stored),
                task -> Thread.ofVirtual().name("joinery-admin-serve-" + stored.resourceVersion()).start(task));
        try {
            build.get(serveTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return notYetServed(stored, "this sidecar did not serve it within " + serveTimeout.toMillis()
                    + " ms (building its schema takes longer); it does when the build ends");
        } catch (ExecutionException e) {
            LOG.log(Level.ERROR, "serving metadata resource version " + stored.resourceVersion() + " failed", e.getCause());
            return notYetServed(stored, "this sidecar could not build its schema (its log has the details); it keeps serving version "
                    + serving.served().resourceVersion() + " until a reload or the next change");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notYetServed(stored, "the sidecar is shutting down");
        }
        long served = serving.served().resourceVersion();
        return served >= stored.resourceVersion() ? reply
                : notYetServed(stored, "this sidecar still serves version " + served);
    }

    private static Reply notYetServed(StoredMetadata stored, String why) {
        return Reply.json(Status.ACCEPTED_202, ordered("code", "not-yet-served",
                "message", "the change is committed as resource version " + stored.resourceVersion() + ", but " + why,
                "resource_version", stored.resourceVersion()), stored.etag());
    }

    /**
     * A whole-document write must name the version it replaces: without {@code If-Match} it would
     * silently undo resource writes made since the client read the document. {@code *} names no
     * version, so it does not do either.
     */
    private static void requireVersion(ServerRequest request, String write) {
        Optional<String> header = request.headers().first(HeaderNames.IF_MATCH).map(String::strip);
        if (header.isPresent() && !header.get().equals("*")) {
            return;
        }
        throw new AdminError(Status.PRECONDITION_REQUIRED_428, "precondition-required",
                write + " replaces the whole document, so it needs If-Match with the resource version it replaces:"
                        + " GET /admin/v1/metadata, edit that document, and send it back with If-Match set to the ETag"
                        + " of the GET (e.g. If-Match: \"12\"); a version that moved meanwhile is refused with 412."
                        + " To change one object, PUT or DELETE its resource instead");
    }

    /** Another sidecar wrote first: wait a little, at random, so that the two do not collide again. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminError(Status.SERVICE_UNAVAILABLE_503, "interrupted", "the sidecar is shutting down");
        }
    }

    /** A delete of an object others depend on (named {@code dependents}) goes on only with {@code ?cascade=true}. */
    private static void refuseDependents(ServerRequest request, String deleted, List<String> dependents) {
        boolean cascade = "true".equalsIgnoreCase(request.query().first("cascade").orElse("false"));
        if (!dependents.isEmpty() && !cascade) {
            throw new AdminError(Status.CONFLICT_409, "dependents-exist",
                    deleted + " is used by " + String.join("; ", dependents) + "; delete with ?cascade=true to remove them too",
                    Map.of("dependents", dependents));
        }
    }

    private static Edit deletion(Metadata next, String deleted, List<String> cascaded) {
        return new Edit(next, Status.OK_200, stored -> ordered("deleted", deleted, "cascaded", cascaded));
    }

    private static List<String> names(List<MetadataObject> objects) {
        return objects.stream().map(MetadataObject::describe).toList();
    }

    private static Status created(Optional<?> existing) {
        return existing.isPresent() ? Status.OK_200 : Status.CREATED_201;
    }

    /**
     * {@code If-Match: "12"}: the version a write expects; absent or {@code *}: any (resource writes
     * only; see {@link #requireVersion}). An unreadable tag matches nothing.
     */
    private static OptionalLong ifMatch(ServerRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.IF_MATCH).map(String::strip);
        if (header.isEmpty() || header.get().equals("*")) {
            return OptionalLong.empty();
        }
        String tag = header.get().startsWith("W/") ? header.get().substring(2) : header.get();
        try {
            return OptionalLong.of(Long.parseLong(tag.replace("\"", "").strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(-1);
        }
    }

    // ---- plumbing

    private record Reply(Status status, Object body, String etag, MediaType type) {
        static Reply json(Status status, Object body, String etag) {
            return new Reply(status, body, etag, MediaTypes.APPLICATION_JSON);
        }
    }

    private void resource(HttpRules rules, String path, Map<Method, Action> actions) {
        actions.forEach((method, action) -> rules.route(method, path, handle(request -> action.apply(this, request))));
        String allowed = actions.keySet().stream().map(Method::text).sorted().collect(Collectors.joining(", "));
        rules.any(path, (request, response) -> {
            response.header(HeaderNames.ALLOW, allowed);
            send(response, error(new AdminError(Status.METHOD_NOT_ALLOWED_405, "method-not-allowed",
                    request.prologue().method().text() + " is not allowed here; use " + allowed)));
        });
    }

    private Handler handle(Function<ServerRequest, Reply> action) {
        return (request, response) -> send(response, reply(action, request));
    }

    private static Reply reply(Function<ServerRequest, Reply> action, ServerRequest request) {
        try {
            return action.apply(request);
        } catch (AdminError e) {
            return error(e);
        } catch (MetadataStoreException e) {
            LOG.log(Level.WARNING, "admin request failed: " + e.getMessage(), e);
            return error(new AdminError(Status.SERVICE_UNAVAILABLE_503, "store-unavailable", "the metadata store cannot be reached; try again"));
        } catch (MetadataException e) {
            return error(AdminError.invalidMetadata(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "admin request failed", e);
            return error(new AdminError(Status.INTERNAL_SERVER_ERROR_500, "unexpected", "unexpected error; the sidecar's log has the details"));
        }
    }

    private static Reply error(AdminError e) {
        return new Reply(e.status(), e.body(), e.etag(), MediaTypes.APPLICATION_JSON);
    }

    private static void send(ServerResponse response, Reply reply) {
        response.status(reply.status());
        response.header(HeaderNames.CONTENT_TYPE, reply.type().text());
        if (reply.etag() != null) {
            response.header(HeaderNames.ETAG, reply.etag());
        }
        response.send(reply.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : Bodies.json(reply.body()));
    }

    private void authenticate(ServerRequest request, ServerResponse response) {
        if (secretDigest.isEmpty() || request.headers().first(SECRET_HEADER).map(AdminService::digest)
                .filter(given -> MessageDigest.isEqual(given, secretDigest.get())).isPresent()) {
            response.next();
            return;
        }
        send(response, error(new AdminError(Status.UNAUTHORIZED_401, "unauthorized",
                "this endpoint needs the admin secret in the " + SECRET_HEADER.defaultCase() + " header")));
    }

    /** Hashing both sides first makes the comparison constant-time in the secret's length too. */
    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String param(ServerRequest request, String name) {
        return request.path().pathParameters().get(name);
    }

    private static QualifiedName table(ServerRequest request) {
        return QualifiedName.parse(param(request, "table"));
    }

    private static QualifiedName function(ServerRequest request) {
        return QualifiedName.parse(param(request, "function"));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
