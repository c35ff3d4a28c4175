package com.doordash.pedregal.server;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the platform in the foreground.
 *
 * <pre>
 * java -jar dcp-server/target/dcp-server.jar [--config FILE] [--key=value ...]
 * </pre>
 *
 * Keys (for example {@code server.port}, {@code server.data-dir}, {@code store.jdbc-url}) come from, in
 * increasing precedence: the properties file of {@code --config}, environment variables ({@code DCP_SERVER_PORT}
 * for {@code server.port}), and {@code --key=value} arguments.
 */
public final class DcpServerMain {
    private DcpServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> values;
        try {
            values = parse(args);
        }
        catch (IllegalArgumentException | IOException e) {
            System.err.println("dcp-server: " + e.getMessage());
            System.err.println("usage: dcp-server [--config FILE] [--key=value ...]");
            System.exit(2);
            return;
        }
        DcpServer server;
        try {
            server = DcpServer.start(new ConfigProperties(values, System.getenv()));
        }
        catch (RuntimeException e) {
            System.err.println("dcp-server: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dcp-shutdown"));
        System.out.println();
        System.out.println("DCP Spark platform is up.");
        System.out.println("  REST API : " + server.url() + "/api/v1/jobs");
        System.out.println("  gRPC     : " + server.grpcPort() + " (spark.runner.v1.SparkRunnerService, dcp.spark.v1.DCPSparkService)");
        server.sparkConnectPort().ifPresent(port -> System.out.println("  test     : POST " + server.url()
                + "/api/v1/tests; Spark Connect (read-only test cluster): sc://localhost:" + port + "/;token=<token>"));
        System.out.println("  health   : " + server.url() + "/healthz");
        server.newAdminToken().ifPresent(token -> {
            System.out.println("  admin token (shown once, keep it): " + token);
        });
        System.out.println("  demo token: demo-token (user user@doordash.com, team data-infra)");
        System.out.println("Press Ctrl-C to stop (running Spark jobs keep running and are picked up at the next start).");
        stopped.await();
    }

    static Map<String, String> parse(String[] args) throws IOException {
        Map<String, String> fromFile = new LinkedHashMap<>();
        Map<String, String> fromArgs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a file");
                }
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(Path.of(args[++i]), StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
                properties.stringPropertyNames().forEach(key -> fromFile.put(key, properties.getProperty(key)));
            }
            else if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                fromArgs.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            else {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
        }
        Map<String, String> values = new LinkedHashMap<>(fromFile);
        values.putAll(fromArgs);
        return values;
    }
}
