package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime "4.0" of the spark-dist runtimes (Spark 4.0.1, the Iceberg runtime for 4.0) run by the local backend. */
final class Spark40RuntimeTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;

    @Test
    void queryOnRuntime40RunsOnSpark401AndReadsBackTheIcebergTableItWrote() {
        GatewayConfig config = GatewayConfig.from(new ConfigProperties(Map.of()), TestDirs.reachable(dataDir));
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        LocalBackend backend = new LocalBackend(config, runtimes);
        SparkGateway gateway = new SparkGateway(List.of(backend), runtimes, new Router(List.of(), "local"));
        assertThat(runtimes.versions()).contains("3.5", "4.0");
        assertThat(runtimes.runtime("4.0").sparkVersion()).isEqualTo("4.0.1");

        BackendRun run = gateway.launch(new LaunchRequest("test-" + UUID.randomUUID(), "spark-40-runtime-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "4.0", Application.platformTool(DriverClasses.QUERY_MAIN, List.of(
                        "CREATE NAMESPACE IF NOT EXISTS pedregal.spark40",
                        "CREATE TABLE pedregal.spark40.squares USING iceberg AS SELECT id, id * id AS square FROM range(1, 4)",
                        "SELECT split(version(), ' ')[0] AS spark, count(*) AS n, sum(square) AS total FROM pedregal.spark40.squares")),
                Map.of(), Map.of(), 1, 512L << 20));

        RunStatus status = gateway.awaitEnd(run, TIMEOUT);

        String log = backend.logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        assertThat(log).contains("on backend local, Spark 4.0.1,")
                .contains("QUERY 0 DONE 0", "QUERY 1 DONE 0")
                .contains("ROW 2 {\"spark\":\"4.0.1\",\"n\":3,\"total\":14}\nQUERY 2 DONE 1");
        // The platform's events listener reports from Spark 4.0 too.
        assertThat(status.metrics()).as(log).isNotNull();
        assertThat(status.metrics().recordsWritten()).isEqualTo(3);
    }
}
