import com.doordash.pedregal.testcontainers.LocalSparkConnect;
import com.doordash.pedregal.testcontainers.SparkConnect;
import com.doordash.pedregal.testcontainers.SparkContainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.testcontainers.lifecycle.Startable;

/**
 * How long a JUnit test waits for its Spark Connect server: from {@code start()} to the first answered query (the seed
 * snippet's {@code SELECT 1 as id, 'hello' as message}, collected), {@code runs} times each for {@link SparkContainer}
 * (Docker, host networking) and {@link LocalSparkConnect} (a child JVM). Each run starts a new server and stops it.
 *
 * <p>Run from the repository root after {@code mvn -B -DskipTests install} and {@code BASE_IMAGE=debian
 * docker/build.sh 4.0}, with the module's class path:
 * <pre>
 * mvn -q -pl testcontainers dependency:build-classpath -Dmdep.outputFile=/tmp/tc.cp
 * TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_CHECKS_DISABLE=true TESTCONTAINERS_HOST_OVERRIDE=localhost \
 *   TESTCONTAINERS_SPARK_NETWORK=host java --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   -cp testcontainers/target/classes:$(cat /tmp/tc.cp) bench/SparkConnectStartBench.java [runs=5]
 * </pre>
 */
public final class SparkConnectStartBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf("machine: %d cores; java %s; %d runs each%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), runs);
        measure("SparkContainer (dcp-spark:4.0, Docker)", runs, () -> SparkContainer.builder().withDriverMemory(1024).build());
        measure("LocalSparkConnect (child JVM, no Docker)", runs, () -> LocalSparkConnect.builder().withDriverMemory(1024).build());
    }

    private static <T extends Startable & SparkConnect> void measure(String name, int runs, Supplier<T> servers)
            throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            T server = servers.get();
            long start = System.nanoTime();
            try {
                server.start();
                try (SparkSession session = SparkSession.builder().remote(server.getSparkConnectUrl()).create()) {
                    List<Row> rows = session.sql("SELECT 1 as id, 'hello' as message").collectAsList();
                    if (rows.size() != 1 || !rows.get(0).getString(1).equals("hello")) {
                        throw new IllegalStateException("unexpected answer " + rows);
                    }
                }
                seconds.add((System.nanoTime() - start) / 1e9);
            }
            finally {
                server.stop();
            }
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        System.out.printf("%-42s start -> first answered query: median %.1f s, min %.1f s, max %.1f s (runs: %s)%n",
                name, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                seconds.stream().map(value -> String.format("%.1f", value)).toList());
    }
}
