package io.joinery.proxy.remote;

import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Makes the client of a remote schema from its configuration, reading URL and headers from the environment where asked. */
public final class RemoteClients {

    private RemoteClients() {
    }

    public static RemoteClient create(RemoteSchemaConfig config, Function<String, String> env) {
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
        return new RemoteClient(config.name(), url, headers, Duration.ofSeconds(config.timeout()));
    }
}
