package io.joinery.proxy.remote;

import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Makes the client of a remote schema from its configuration, reading URL and headers from the environment where asked. */
public final class RemoteClients {

    /** The largest answer read from a remote unless configured ({@code JOINERY_MAX_REMOTE_RESPONSE_BYTES}): 32 MB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 32 << 20;

    private RemoteClients() {
    }

    /** @param maxResponseBytes the largest answer read ({@code JOINERY_MAX_REMOTE_RESPONSE_BYTES}) */
    public static RemoteClient create(RemoteSchemaConfig config, Function<String, String> env, long maxResponseBytes) {
        URI url;
        try {
            url = URI.create(config.url().resolve(env));
        } catch (IllegalArgumentException e) {
            throw new RemoteFailure("remote schema '" + config.name() + "': the url is not valid: " + e.getMessage());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new RemoteFailure("remote schema '" + config.name() + "': the url must be http or https");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        config.headers().forEach((name, value) -> headers.put(name, value.resolve(env)));
        return new RemoteClient(config.name(), url, headers, Duration.ofSeconds(config.timeout()), maxResponseBytes);
    }
}
