package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.driver.DriverEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class EventsFileTest {
    @TempDir
    Path dir;

    @Test
    void appendsOneJsonLinePerEventAndLeavesOutNulls() throws IOException {
        EventsFile events = new EventsFile(dir.resolve("nested/events.jsonl"));
        DriverEvent failed = DriverEvent.failed(5L, "sources[0] (pedregal.raw.nope): \"quoted\" \\ and\nnew line");

        assertThat(events.append(DriverEvent.running(1L, null, null))).isTrue();
        assertThat(events.append(failed)).isTrue();

        assertThat(Files.readAllLines(events.path())).containsExactly(
                "{\"event\":\"RUNNING\",\"time\":1}",
                "{\"event\":\"FAILED\",\"time\":5,\"message\":\"sources[0] (pedregal.raw.nope): \\\"quoted\\\" \\\\ and\\nnew line\"}");
    }

    @Test
    void concurrentAppendsKeepWholeLines() throws Exception {
        EventsFile events = new EventsFile(dir.resolve("events.jsonl"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long time = i;
                writes.add(pool.submit(() -> events.append(DriverEvent.running(time, null, null))));
            }
            for (Future<?> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(Files.readAllLines(events.path())).hasSize(200).allMatch(line -> line.matches("\\{\"event\":\"RUNNING\",\"time\":\\d+}"));
    }

    @Test
    void failuresAreLoggedNotThrown() {
        EventsFile events = new EventsFile(dir); // a directory cannot be appended to

        assertThat(events.append(DriverEvent.running(1L, null, null))).isFalse();
    }

    @Test
    void blankPathsMeanNoEventsFile() {
        assertThat(EventsFile.of(null)).isEmpty();
        assertThat(EventsFile.of(" ")).isEmpty();
        assertThat(EventsFile.of("/tmp/x.jsonl")).get().extracting(EventsFile::path).isEqualTo(Path.of("/tmp/x.jsonl"));
    }
}
