package com.doordash.pedregal.model.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.JobMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DriverProtocolTest {
    @Test
    void everyEventReadsBackAsWritten() {
        JobMetrics metrics = new JobMetrics(1, 2, 3, 4, 5, 6, 7);
        List<DriverEvent> events = List.of(
                DriverEvent.running(10, "local-1", "http://127.0.0.1:4040"),
                DriverEvent.runningWarm(11, "local-2", null, 12),
                DriverEvent.progress(13, metrics),
                DriverEvent.metrics(14, metrics),
                DriverEvent.failed(15, "sources[0]: \"quoted\"\nand a new line"),
                DriverEvent.ended(16, 1));

        for (DriverEvent event : events) {
            assertThat(event.toLine()).doesNotContain("\n");
            assertThat(DriverEvent.parse(event.toLine())).contains(event);
        }
    }

    @Test
    void linesAreTheDocumentedJson() {
        assertThat(DriverEvent.running(1, "app", null).toLine()).isEqualTo("{\"event\":\"RUNNING\",\"time\":1,\"app_id\":\"app\"}");
        assertThat(DriverEvent.metrics(2, new JobMetrics(1, 2, 3, 4, 5, 6, 7)).toLine()).isEqualTo(
                "{\"event\":\"METRICS\",\"time\":2,\"stages_completed\":5,\"tasks_completed\":6,\"records_read\":1,"
                        + "\"records_written\":2,\"bytes_read\":3,\"bytes_written\":4,\"executor_cpu_time_ms\":7}");
    }

    @Test
    void halfWrittenAndForeignLinesAreSkipped() {
        assertThat(DriverEvent.parse("{\"event\":\"RUNN")).isEmpty();
        assertThat(DriverEvent.parse("[1,2]")).isEmpty();
        assertThat(DriverEvent.parse("{\"time\":1}")).isEmpty();
        assertThat(DriverEvent.parse("{\"event\":\"FAILED\",\"time\":1}")).get()
                .extracting(DriverEvent::message).isEqualTo("the job failed");
    }

    @Test
    void anAssignmentReadsBackAsWritten() {
        Assignment assignment = new Assignment("exec-1", DriverClasses.CORE_ETL_MAIN, DriverSpec.arguments("{\"a\":1}"),
                Map.of("spark.sql.shuffle.partitions", "4"), "/runs/exec-1/events.jsonl", "/runs/exec-1/driver.log", true, 99);
        Assignment last = new Assignment("exec-2", DriverClasses.CORE_ETL_MAIN, List.of(), Map.of(),
                "/runs/exec-2/events.jsonl", null, false, 100);

        assertThat(Assignment.fromJson(assignment.toJson())).isEqualTo(assignment);
        assertThat(Assignment.fromJson(last.toJson())).isEqualTo(last);
        assertThatThrownBy(() -> Assignment.fromJson("{\"args\":[]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("execution_id");
    }

    @Test
    void everyDriverGetsThePlatformsSettingsAndKeepsItsOwnListeners() {
        assertThat(DriverConf.forDriver("exec-1", "team-a", "/runs/exec-1/events.jsonl", true, "com.example.Listener"))
                .containsExactly(
                        Map.entry("spark.extraListeners", DriverClasses.EVENTS_LISTENER + ",com.example.Listener"),
                        Map.entry(DriverConf.EVENTS_FILE, "/runs/exec-1/events.jsonl"),
                        Map.entry(DriverConf.EXECUTION_ID, "exec-1"),
                        Map.entry(DriverConf.TEAM, "team-a"),
                        Map.entry("spark.sql.extensions", DriverClasses.CUSTOM_JAR_EXTENSIONS));
        // A warm driver reports from its job's hand-off: no events file yet.
        assertThat(DriverConf.forDriver("warm-1", "dcp-system", null, false, null)).containsOnlyKeys(
                DriverConf.EXECUTION_ID, DriverConf.TEAM);
    }

    @Test
    void theSpecTravelsAsAnArgumentAndDecodesToItsJson() {
        String spec = "{\"sources\":[{\"name\":\"é\"}]}";
        List<String> args = DriverSpec.arguments(spec);

        assertThat(args).hasSize(2).first().isEqualTo(DriverSpec.OPTION);
        assertThat(DriverSpec.decode(args.get(1))).isEqualTo(spec);
    }
}
