package com.doordash.pedregal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker-free path: the same seed snippet and an Iceberg table on a Spark Connect server in a child JVM. */
class LocalSparkConnectTest {
    @TempDir
    static Path warehouse;
    private static LocalSparkConnect spark;

    @BeforeAll
    static void start() {
        spark = LocalSparkConnect.builder()
                .withDriverMemory(1024)
                .withSparkConfig("spark.sql.shuffle.partitions", "4")
                .withWarehouse(warehouse)
                .build();
        spark.start();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void seedQueryAnswersThroughSparkConnectWithoutDocker() throws Exception {
        SparkSession session = SparkSession.builder()
            .remote(spark.getSparkConnectUrl())  // sc://localhost:xxxxx
            .getOrCreate();

        Dataset<Row> df = session.sql("SELECT 1 as id, 'hello' as message");

        List<Row> rows = df.collectAsList();
        assertThat(spark.getSparkConnectUrl()).matches("sc://localhost:\\d+/");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getInt(0)).isEqualTo(1);
        assertThat(rows.get(0).getString(1)).isEqualTo("hello");
        assertThat(session.conf().get("spark.sql.shuffle.partitions")).isEqualTo("4");
        session.close();
    }

    @Test
    void icebergTableIsWrittenAndReadInTheGivenWarehouse() throws Exception {
        try (SparkSession session = SparkSession.builder().remote(spark.getSparkConnectUrl()).create()) {
            session.sql("CREATE TABLE pedregal.local.events (id BIGINT) USING iceberg").collectAsList();
            session.sql("INSERT INTO pedregal.local.events SELECT id FROM range(5)").collectAsList();

            assertThat(session.sql("SELECT sum(id) FROM pedregal.local.events").collectAsList().get(0).getLong(0))
                    .isEqualTo(10);
        }
        try (Stream<Path> files = Files.walk(warehouse.resolve("local/events"))) {
            assertThat(files.map(path -> path.getFileName().toString())).anyMatch(name -> name.endsWith(".metadata.json"));
        }
    }

    @Test
    void serverListensOnLoopbackOnlyAndItsChildJvmEndsWithStop() throws Exception {
        LocalSparkConnect other = LocalSparkConnect.builder().withDriverMemory(512).build();
        other.start();
        int port = other.getSparkConnectPort();
        assertThat(Files.readString(other.getLogFile())).contains("Spark Connect server started");
        ProcessHandle server = other.getProcess().orElseThrow();
        assertThat(server.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
        String commandLine = Files.readString(Path.of("/proc", Long.toString(server.pid()), "cmdline")).replace('\0', ' ');
        assertThat(commandLine).contains("-Dspark.connect.grpc.binding.address=127.0.0.1",
                "-Dspark.connect.grpc.binding.port=" + port);

        other.stop();

        assertThat(server.isAlive()).isFalse();
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(free.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void badInputIsRefusedAtTheBuilder() throws IOException {
        assertThatThrownBy(() -> LocalSparkConnect.builder().withSparkVersion("3.4"))
                .hasMessage("Spark version 3.4 has no Spark Connect image; the platform's are 4.0");
        assertThatThrownBy(() -> LocalSparkConnect.builder().withDriverMemory(100))
                .hasMessageStartingWith("driver memory 100 MiB: Spark needs at least 450 MiB");
        assertThatThrownBy(() -> LocalSparkConnect.builder().withWarehouse(warehouse.resolve("missing")))
                .hasMessageEndingWith("missing: not a folder");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalSparkConnect server = LocalSparkConnect.builder().withSparkConnectPort(taken.getLocalPort()).build();
            assertThatThrownBy(server::start)
                    .hasMessageStartingWith("Spark Connect port " + taken.getLocalPort() + " is taken on this machine");
        }
    }
}
