package com.doordash.pedregal.server;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the demo table {@code pedregal.raw.events} on the first start, so that the seed README's example
 * job runs as printed. It runs on real Spark through the gateway, like any job.
 */
final class DemoData {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private DemoData() {
    }

    static void ensure(SparkGateway gateway, java.util.Optional<Path> localWarehouse) {
        // On a warehouse of this machine the table is seen without Spark; on a shared catalog the tool checks itself.
        if (localWarehouse.isPresent()
                && hasMetadata(localWarehouse.get().resolve("raw").resolve("events").resolve("metadata"))) {
            return;
        }
        log.info("First start: creating the demo table pedregal.raw.events on Spark (takes ~10-20 s)");
        long started = System.nanoTime();
        String version = gateway.sparkVersions().iterator().next();
        LaunchRequest request = new LaunchRequest("bootstrap-demo-data-" + System.currentTimeMillis(), "dcp-demo-data",
                "dcp-system", LaunchRequest.DEFAULT_NAMESPACE, "BATCH", version, Application.platformTool(DriverClasses.DEMO_DATA_MAIN, List.of()), Map.of(), Map.of(),
                1, ByteSize.bytes("1g"));
        BackendRun run = gateway.launch(request);
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        if (status.state() != RunState.SUCCEEDED) {
            throw new IllegalStateException("cannot create the demo table pedregal.raw.events: " + status.message()
                    + "\n" + gateway.logs(run, OptionalInt.of(40)));
        }
        log.info("Created pedregal.raw.events in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static boolean hasMetadata(Path metadata) {
        if (!Files.isDirectory(metadata)) {
            return false;
        }
        try (Stream<Path> files = Files.list(metadata)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".metadata.json"));
        }
        catch (IOException e) {
            return false;
        }
    }
}
