package io.joinery.proxy.remote;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RemoteClientTest {

    @Test
    void whereNamesTheUrlWithoutCredentialsOrQuery() {
        try (RemoteClient client = new RemoteClient("r", URI.create("https://user:pw@remote.internal:8443/v1/graphql?token=secret"),
                Map.of(), Duration.ofSeconds(1), 1024)) {
            assertEquals("POST https://remote.internal:8443/v1/graphql", client.where());
        }
    }

    @Test
    void causeSaysWhatWentWrongUnderneathInAFewWords() {
        assertEquals("connection refused", RemoteClient.cause(new UncheckedIOException(new ConnectException("Connection refused"))));
        assertEquals("unknown host nowhere.invalid", RemoteClient.cause(new UnknownHostException("nowhere.invalid")));
    }

    @Test
    void aClosedClientFailsAsARemoteFailureNamingTheRemote() {
        RemoteClient client = new RemoteClient("r", URI.create("http://127.0.0.1:9/graphql"), Map.of(), Duration.ofSeconds(1), 1024);
        client.release();
        RemoteFailure failure = assertThrows(RemoteFailure.class, () -> client.post("{ x }", Map.of(), Map.of()));
        assertEquals("remote schema 'r' is unavailable: its client is closed", failure.getMessage());
    }
}
