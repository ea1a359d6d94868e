package io.joinery.admin.http;

import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.check.RemoteRef;
import io.joinery.admin.check.RemoteRef.RemoteRelationshipRef;
import io.joinery.admin.check.RemoteRef.RemoteTypeRelationshipRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.DeletePermission;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.TypeRelationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.ValueFrom;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TrackedFunction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EditsTest {

    private static final Metadata DOCUMENT = MetadataCodec.parse("""
            version: 1
            sources:
              - name: default
                url: { from_env: DATABASE_URL }
                infer_relationships: true
                tables:
                  - table: author
                    name: writer
                    root_fields: { select: writers }
                    columns: { name: full_name }
                    relationships:
                      articles: { array: article, on: { id: author_id } }
                    permissions:
                      user: { select: { columns: ["*"], filter: { id: { _eq: x-joinery-user-id } } } }
                  - table: article
              - name: other
                tables:
                  - table: article
            """);
    private static final QualifiedName AUTHOR = QualifiedName.parse("author");

    @Test
    void changingOneRelationshipKeepsEverythingElseOfTheDocument() {
        Metadata next = Edits.withTable(DOCUMENT, "default", AUTHOR, Edits.withRelationship(Edits.table(DOCUMENT, "default", AUTHOR),
                "first", Relationship.object("article", Map.of("id", "author_id"))));
        TableConfig author = Edits.table(next, "default", AUTHOR);
        assertEquals(List.of("articles", "first"), List.copyOf(author.relationships().keySet()), "a new entry goes last");
        assertEquals(Edits.table(DOCUMENT, "default", AUTHOR).rootFields(), author.rootFields());
        assertEquals(Map.of("name", "full_name"), author.columns());
        assertEquals("writer", author.name());
        assertEquals(DOCUMENT.source("default").orElseThrow().url(), next.source("default").orElseThrow().url());
        assertEquals(DOCUMENT.source("other"), next.source("other"));
        Metadata undone = Edits.withTable(next, "default", AUTHOR, Edits.withRelationship(author, "first", null));
        assertEquals(DOCUMENT, undone, "removing the added relationship gives back the very same document");
    }

    @Test
    void untrackingAndCascadingRemoveOnlyTheNamedObjects() {
        TableRef author = new TableRef("default", AUTHOR);
        Metadata next = Edits.without(DOCUMENT, List.of(new RelationshipRef(author, "articles"), new PermissionRef(author, "user")));
        TableConfig left = Edits.table(next, "default", AUTHOR);
        assertEquals(Map.of(), left.relationships());
        assertEquals(Map.of(), left.permissions());
        assertEquals("writer", left.name());
        Metadata untracked = Edits.withTable(next, "default", QualifiedName.parse("article"), null);
        assertEquals(List.of("author"), untracked.source("default").orElseThrow().tables().stream().map(TableConfig::table).toList());
        assertEquals(DOCUMENT.source("other"), untracked.source("other"), "the same table name in another source stays");
    }

    @Test
    void anOperationIsSetOrRemovedAloneAndTheRoleGoesWithItsLast() {
        TableRef author = new TableRef("default", AUTHOR);
        TableConfig table = Edits.table(DOCUMENT, "default", AUTHOR);
        DeletePermission delete = new DeletePermission(null);
        TableConfig withDelete = Edits.withPermission(table, "user", Operation.DELETE, delete);
        assertEquals(table.permissions().get("user").select(), withDelete.permissions().get("user").select(), "the select stays");
        assertEquals(delete, withDelete.permissions().get("user").delete());
        assertEquals(delete, Edits.withPermission(table, "guest", Operation.DELETE, delete).permissions().get("guest").delete(), "a new role");

        Metadata next = Edits.withTable(DOCUMENT, "default", AUTHOR, withDelete);
        Metadata withoutSelect = Edits.without(next, List.of(new PermissionRef(author, "user", Operation.SELECT)));
        assertEquals(new RolePermissions(null, null, null, delete), Edits.table(withoutSelect, "default", AUTHOR).permissions().get("user"));
        Metadata withoutBoth = Edits.without(withoutSelect, List.of(new PermissionRef(author, "user", Operation.DELETE)));
        assertEquals(Map.of(), Edits.table(withoutBoth, "default", AUTHOR).permissions(), "a role without operations is removed");
        assertThrows(IllegalArgumentException.class, () -> Edits.withPermission(table, "user", Operation.INSERT, delete));
    }

    @Test
    void aMissingSourceOrTableIsNotFound() {
        AdminError noSource = assertThrows(AdminError.class, () -> Edits.withTable(DOCUMENT, "nope", AUTHOR, TableConfig.of("author")));
        assertEquals("not-found", noSource.body().get("code"));
        assertThrows(AdminError.class, () -> Edits.table(DOCUMENT, "other", AUTHOR));
    }

    private static final Metadata REMOTE = MetadataCodec.parse("""
            version: 1
            sources:
              - tables:
                  - table: author
                    remote_relationships:
                      profile: { remote_schema: profiles, remote_field: { profile: { arguments: { id: $id } } } }
                      badge: { remote_schema: accounts, federation: { type: Badge, key: { id: id } } }
                  - table: article
                    remote_relationships:
                      writer: { remote_schema: profiles, remote_field: { profile: { arguments: { id: $author_id } } } }
            remote_schemas:
              - name: profiles
                url: { from_env: PROFILES_URL }
                relationships:
                  Profile:
                    author: { object: author, on: { id: id } }
                    articles: { array: article, on: { id: author_id } }
                  Team: { lead: { object: author, on: { leadId: id } } }
              - name: accounts
                url: http://accounts
            """);

    @Test
    void remoteSchemasAreReplacedInPlaceAddedLastAndRemoved() {
        RemoteSchemaConfig replaced = new RemoteSchemaConfig("profiles", new ValueFrom("http://profiles", null), null, true, 5, null, null);
        Metadata next = Edits.withRemoteSchema(REMOTE, "profiles", replaced);
        assertEquals(List.of(replaced, REMOTE.remoteSchemas().get(1)), next.remoteSchemas(), "a replaced remote keeps its place");
        assertEquals(REMOTE.sources(), next.sources());
        RemoteSchemaConfig added = new RemoteSchemaConfig("more", new ValueFrom("http://more", null), null, false, null, null, null);
        assertEquals(List.of("profiles", "accounts", "more"),
                Edits.withRemoteSchema(REMOTE, "more", added).remoteSchemas().stream().map(RemoteSchemaConfig::name).toList());
        assertEquals(List.of("accounts"), Edits.withRemoteSchema(REMOTE, "profiles", null).remoteSchemas().stream().map(RemoteSchemaConfig::name).toList());
        AdminError missing = assertThrows(AdminError.class, () -> Edits.remoteSchema(REMOTE, "nope"));
        assertEquals("not-found", missing.body().get("code"));
    }

    @Test
    void theDependentsOfARemoteSchemaAndOfATableAreFoundAndRemovedAlone() {
        List<RemoteRelationshipRef> users = RemoteRef.usersOf(REMOTE, "profiles");
        assertEquals(List.of("table author, remote relationship profile", "table article, remote relationship writer"),
                users.stream().map(RemoteRef::describe).toList());
        Metadata without = Edits.withoutRemote(REMOTE, users);
        assertEquals(Set.of("badge"), Edits.table(without, "default", AUTHOR).remoteRelationships().keySet());
        assertEquals(Map.of(), Edits.table(without, "default", QualifiedName.parse("article")).remoteRelationships());
        assertEquals(REMOTE.remoteSchemas(), without.remoteSchemas());

        List<RemoteTypeRelationshipRef> targeting = RemoteRef.targeting(REMOTE, "default", AUTHOR);
        assertEquals(List.of("remote schema profiles, relationship Profile.author", "remote schema profiles, relationship Team.lead"),
                targeting.stream().map(RemoteRef::describe).toList());
        assertEquals(List.of(), RemoteRef.targeting(REMOTE, "other", AUTHOR), "a table of the same name in another source is not the target");
        Map<String, Map<String, TypeRelationship>> left = Edits.withoutRemote(REMOTE, targeting).remoteSchema("profiles").orElseThrow().relationships();
        assertEquals(Set.of("Profile"), left.keySet(), "a type without relationships left goes");
        assertEquals(Set.of("articles"), left.get("Profile").keySet());
    }

    private static final Metadata REMOTE_TO_REMOTE = MetadataCodec.parse("""
            version: 1
            sources:
              - tables:
                  - table: author
            remote_schemas:
              - name: profiles
                url: http://profiles
                relationships:
                  Profile:
                    author: { object: author, on: { authorId: id } }
                    account: { remote_schema: accounts, remote_field: { account: { arguments: { id: $accountId } } } }
                    buddy: { remote_schema: profiles, remote_field: { profile: { arguments: { authorId: $accountId } } } }
              - name: accounts
                url: http://accounts
                relationships:
                  Account:
                    holder: { remote_schema: profiles, federation: { type: Profile, key: { authorId: ownerId } } }
                    ghost: { remote_schema: nowhere, remote_field: { ghost: {} } }
            """);

    @Test
    void theTypeRelationshipsThatJoinARemoteSchemaAreItsDependentsButNotItsOwn() {
        assertEquals(List.of("remote schema profiles, relationship Profile.account"),
                RemoteRef.typeRelationshipsTo(REMOTE_TO_REMOTE, "accounts").stream().map(RemoteRef::describe).toList());
        assertEquals(List.of("remote schema accounts, relationship Account.holder"),
                RemoteRef.typeRelationshipsTo(REMOTE_TO_REMOTE, "profiles").stream().map(RemoteRef::describe).toList(),
                "Profile.buddy goes with profiles itself");
        assertEquals(List.of("remote schema profiles, relationship Profile.author"),
                RemoteRef.targeting(REMOTE_TO_REMOTE, "default", AUTHOR).stream().map(RemoteRef::describe).toList(),
                "only the joins to tables target a table");

        Metadata without = Edits.withoutRemote(REMOTE_TO_REMOTE, RemoteRef.typeRelationshipsTo(REMOTE_TO_REMOTE, "accounts"));
        assertEquals(List.of("author", "buddy"), List.copyOf(without.remoteSchema("profiles").orElseThrow().relationships().get("Profile").keySet()));
        assertEquals(REMOTE_TO_REMOTE.remoteSchema("accounts"), without.remoteSchema("accounts"));
    }

    @Test
    void aTrackedFunctionIsReplacedInPlaceAddedLastAndRemovedByItsQualifiedName() {
        TrackedFunction search = new TrackedFunction("search_articles", null, null);
        TrackedFunction recent = new TrackedFunction("blog.recent", null, null);
        Metadata two = Edits.withFunction(Edits.withFunction(DOCUMENT, "default", search.functionName(), search), "default",
                recent.functionName(), recent);
        assertEquals(List.of(search, recent), Edits.source(two, "default").functions(), "a new function goes last");

        TrackedFunction renamed = new TrackedFunction("public.search_articles", "find", null);
        Metadata replaced = Edits.withFunction(two, "default", QualifiedName.parse("public.search_articles"), renamed);
        assertEquals(List.of(renamed, recent), Edits.source(replaced, "default").functions(), "replaced where it was");
        assertEquals(renamed, Edits.function(replaced, "default", QualifiedName.parse("search_articles")));

        Metadata removed = Edits.withFunction(replaced, "default", QualifiedName.parse("search_articles"), null);
        assertEquals(List.of(recent), Edits.source(removed, "default").functions());
        assertEquals(Edits.source(DOCUMENT, "other"), Edits.source(removed, "other"), "other sources are untouched");
        assertEquals(DOCUMENT, Edits.withFunction(removed, "default", recent.functionName(), null), "the last one leaves none");
    }
}
