package io.joinery.proxy.config;

/** Bad configuration: the message is the one line the sidecar prints before it exits. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
