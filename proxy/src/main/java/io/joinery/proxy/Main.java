package io.joinery.proxy;

import io.joinery.admin.metadata.MetadataException;
import io.joinery.proxy.cli.Commands;
import io.joinery.proxy.config.ConfigException;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.demo.Demo;
import io.joinery.proxy.demo.DemoServices;
import io.joinery.proxy.embedded.EmbeddedDatabase;

import java.util.Map;

/**
 * Starts the sidecar ({@code java -jar proxy/target/joinery.jar}), the demo ({@code … demo}, Note
 * [The demo] in {@link Demo}), or runs a command such as {@code check} (see {@link Commands}). Bad
 * configuration exits with one line (code 2), and so does a start that gave up waiting for its
 * databases (code 1): Note [Start and stop] in {@link Sidecar}.
 */
public final class Main {

    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (args.length == 1 && args[0].equals(Commands.DEMO)) {
            demo(env);
            return;
        }
        if (Commands.isCommand(args)) {
            System.exit(new Commands(env, System.out, System.err).run(args));
            return;
        }
        serve(env, env, null);
    }

    private static void demo(Map<String, String> env) {
        Demo.ignored(env).forEach(name -> LOGGER.log(System.Logger.Level.WARNING,
                "the demo runs on its own embedded database and metadata: " + name + " is ignored"));
        DemoServices services = DemoServices.start();
        Served demo = serve(env, Demo.environment(env, services), services);
        JoineryConfig config = demo.config();
        System.out.print(Demo.guide("http://" + local(config.graphqlHost()) + ":" + demo.sidecar().graphqlPort() + "/v1/graphql",
                "http://" + local(config.adminHost()) + ":" + demo.sidecar().adminPort() + "/console", services,
                config.adminSecret().isPresent()));
        System.out.flush();
    }

    private record Served(Sidecar sidecar, JoineryConfig config) {
    }

    /**
     * Starts the sidecar with {@code served} as its environment (the demo's when {@code demo} is not
     * null), or exits with one line.
     */
    private static Served serve(Map<String, String> env, Map<String, String> served, DemoServices demo) {
        JoineryConfig.unknownVariables(env).forEach(warning -> LOGGER.log(System.Logger.Level.WARNING, warning));
        JoineryConfig config;
        Sidecar sidecar;
        try {
            config = JoineryConfig.load(served);
            if (demo != null && (config.databaseUrl().isPresent() || config.metadata().isPresent() || config.metadataDatabaseUrl().isPresent())) {
                throw new ConfigException("the demo runs on its own embedded database and metadata: take database-url, metadata"
                        + " and metadata-database-url out of JOINERY_CONFIG_FILE");
            }
            sidecar = Sidecar.start(config, served, demo != null ? Demo::metadata : EmbeddedDatabase::demoMetadata);
        } catch (ConfigException | MetadataException | EmbeddedDatabase.MissingBinaries e) {
            System.err.println("joinery: " + e.getMessage());
            System.exit(2);
            return null;
        } catch (StartupRetry.StartupException e) {
            System.err.println("joinery: " + e.getMessage());
            System.exit(1);
            return null;
        }
        Termination.install(sidecar, config.lifecycle());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("joinery-shutdown").unstarted(
                new GracefulShutdown(sidecar::close, GracefulShutdown.bound(config.lifecycle()), Runtime.getRuntime()::halt)));
        sidecar.announce();
        return new Served(sidecar, config);
    }

    /** Where a browser on this machine reaches a listener bound to {@code host}. */
    private static String local(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    }
}
