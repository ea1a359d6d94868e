package io.joinery.proxy;

import io.joinery.admin.metadata.MetadataException;
import io.joinery.proxy.cli.Commands;
import io.joinery.proxy.config.ConfigException;
import io.joinery.proxy.config.JoineryConfig;

import java.util.Map;

/**
 * Starts the sidecar ({@code java -jar proxy/target/joinery.jar}), or runs a command such as
 * {@code check} (see {@link Commands}). Bad configuration exits with one line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (Commands.isCommand(args)) {
            System.exit(new Commands(env, System.out, System.err).run(args));
            return;
        }
        JoineryConfig.unknownVariables(env).forEach(warning ->
                System.getLogger(Main.class.getName()).log(System.Logger.Level.WARNING, warning));
        Sidecar sidecar;
        try {
            sidecar = Sidecar.start(JoineryConfig.load(env), env);
        } catch (ConfigException | MetadataException e) {
            System.err.println("joinery: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("joinery-shutdown").unstarted(
                new GracefulShutdown(sidecar::close, GracefulShutdown.GRACE, Runtime.getRuntime()::halt)));
    }
}
