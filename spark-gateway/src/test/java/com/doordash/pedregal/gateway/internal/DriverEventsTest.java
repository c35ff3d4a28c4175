package com.doordash.pedregal.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.JobMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DriverEventsTest {
    @TempDir
    Path dir;

    @Test
    void runningDriverReportsItsNewestProgress() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, """
                {"event":"RUNNING","time":1,"app_id":"local-1","ui_url":"http://127.0.0.1:4040"}
                {"event":"PROGRESS","time":2,"stages_completed":1,"tasks_completed":2,"records_read":10,"records_written":0,"bytes_read":100,"bytes_written":0,"executor_cpu_time_ms":5}
                {"event":"PROGRESS","time":3,"stages_completed":2,"tasks_completed":4,"records_read":20,"records_written":3,"bytes_read":200,"bytes_written":30,"executor_cpu_time_ms":9}
                {"event":"PROGRESS","time":4,"stages_com""");

        DriverEvents events = DriverEvents.read(file);

        assertThat(events.running()).isTrue();
        assertThat(events.uiUrl()).isEqualTo("http://127.0.0.1:4040");
        assertThat(events.metrics()).isNull();
        assertThat(events.progress()).isEqualTo(new JobMetrics(20, 3, 200, 30, 2, 4, 9));
        assertThat(events.latestMetrics()).isEqualTo(events.progress());
    }

    @Test
    void finalMetricsWinOverProgressWrittenAfterThem() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, """
                {"event":"RUNNING","time":1,"app_id":"local-1"}
                {"event":"PROGRESS","time":2,"stages_completed":1,"tasks_completed":2,"records_read":10,"records_written":0,"bytes_read":100,"bytes_written":0,"executor_cpu_time_ms":5}
                {"event":"METRICS","time":5,"stages_completed":3,"tasks_completed":6,"records_read":30,"records_written":3,"bytes_read":300,"bytes_written":30,"executor_cpu_time_ms":12}
                """);
        Files.writeString(file, """
                {"event":"PROGRESS","time":4,"stages_completed":2,"tasks_completed":4,"records_read":20,"records_written":3,"bytes_read":200,"bytes_written":30,"executor_cpu_time_ms":9}
                """, StandardOpenOption.APPEND);

        DriverEvents events = DriverEvents.read(file);

        assertThat(events.metrics()).isEqualTo(new JobMetrics(30, 3, 300, 30, 3, 6, 12));
        assertThat(events.latestMetrics()).isEqualTo(events.metrics());
    }

    @Test
    void noEventsFileMeansNothingReported() {
        DriverEvents events = DriverEvents.read(dir.resolve("missing.jsonl"));

        assertThat(events.running()).isFalse();
        assertThat(events.latestMetrics()).isNull();
    }
}
