package io.joinery.admin.check;

import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RemoteReferenceCheckTest {

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
    void aTypeRelationshipToAnUndeclaredRemoteSchemaIsAProblem() {
        assertEquals(List.of("remote schema accounts, relationship Account.ghost: remote schema nowhere: the remote schema is not declared"),
                new RemoteReferenceCheck().check(REMOTE_TO_REMOTE, Map.of()).stream().map(Problem::message).toList());
    }
}
