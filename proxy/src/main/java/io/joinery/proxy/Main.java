package io.joinery.proxy;

import io.joinery.admin.metadata.MetadataException;
import io.joinery.proxy.cli.Commands;
import io.joinery.proxy.config.ConfigException;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;

import java.util.Map;

/**
 * Starts the sidecar ({@code java -jar proxy/target/joinery.jar}), or runs a command such as
 * {@code check} (see {@link Commands}). Bad configuration exits with one line (code 2), and so does a
 * start that gave up waiting for its databases (code 1): Note [Start and stop] in {@link Sidecar}.
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
        JoineryConfig config;
        Sidecar sidecar;
        try {
            config = JoineryConfig.load(env);
            sidecar = Sidecar.start(config, env);
        } catch (ConfigException | MetadataException | EmbeddedDatabase.MissingBinaries e) {
            System.err.println("joinery: " + e.getMessage());
            System.exit(2);
            return;
        } catch (StartupRetry.StartupException e) {
            System.err.println("joinery: " + e.getMessage());
            System.exit(1);
            return;
        }
        Termination.install(sidecar, config.lifecycle());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("joinery-shutdown").unstarted(
                new GracefulShutdown(sidecar::close, GracefulShutdown.bound(config.lifecycle()), Runtime.getRuntime()::halt)));
        sidecar.announce();
    }
}
