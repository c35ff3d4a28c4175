package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

final class PlatformEventsListenerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void reportsRunningAndTheMetricsOfTheJobsItSaw() throws Exception {
        Path file = dir.resolve("events.jsonl");
        PlatformEventsListener listener = new PlatformEventsListener(new SparkConf().set(EventsFile.CONF_KEY, file.toString()));
        SparkSession spark = TestSpark.withDemoData();
        SparkContext context = spark.sparkContext();
        String table = "pedregal.derived." + TestSpark.uniqueName("listened");

        listener.onApplicationStart(start(context.applicationId(), 1_700_000_000_000L));
        context.addSparkListener(listener);
        try {
            spark.table("pedregal.raw.events").where("event_type = 'click'").writeTo(table).create();
            assertThat(spark.table(table).where("amount > 0").count()).isPositive();
            drainListenerBus(context);
            awaitLine(file, "PROGRESS");
        }
        finally {
            context.removeSparkListener(listener);
        }
        listener.onApplicationEnd(new SparkListenerApplicationEnd(1_700_000_009_000L));
        listener.onApplicationEnd(new SparkListenerApplicationEnd(1_700_000_010_000L)); // reported once

        List<JsonNode> all = read(file);
        List<JsonNode> progress = all.stream().filter(event -> event.get("event").asText().equals("PROGRESS")).toList();
        List<JsonNode> events = all.stream().filter(event -> !event.get("event").asText().equals("PROGRESS")).toList();
        assertThat(events).hasSize(2);
        JsonNode running = events.get(0);
        assertThat(fieldNames(running)).containsExactly("event", "time", "app_id"); // the UI is disabled in tests
        assertThat(running.get("event").asText()).isEqualTo("RUNNING");
        assertThat(running.get("time").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(running.get("app_id").asText()).isEqualTo(context.applicationId());
        JsonNode metrics = events.get(1);
        assertThat(fieldNames(metrics)).containsExactly("event", "time", "stages_completed", "tasks_completed", "records_read",
                "records_written", "bytes_read", "bytes_written", "executor_cpu_time_ms");
        assertThat(metrics.get("event").asText()).isEqualTo("METRICS");
        assertThat(metrics.get("time").asLong()).isEqualTo(1_700_000_009_000L);
        assertThat(metrics.get("stages_completed").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(metrics.get("tasks_completed").asLong()).isGreaterThanOrEqualTo(metrics.get("stages_completed").asLong());
        assertThat(metrics.get("records_read").asLong()).isGreaterThanOrEqualTo(10_000 + 2_500);
        assertThat(metrics.get("bytes_read").asLong()).isPositive();
        assertThat(metrics.get("records_written").asLong()).isEqualTo(2_500);
        assertThat(metrics.get("bytes_written").asLong()).isPositive();
        assertThat(metrics.get("executor_cpu_time_ms").asLong()).isNotNegative();
        assertThat(progress).isNotEmpty().allSatisfy(line -> assertThat(fieldNames(line)).isEqualTo(fieldNames(metrics)));
        JsonNode lastProgress = progress.get(progress.size() - 1);
        assertThat(lastProgress.get("stages_completed").asLong()).isPositive()
                .isLessThanOrEqualTo(metrics.get("stages_completed").asLong());
        assertThat(lastProgress.get("records_read").asLong()).isPositive();
    }

    @Test
    void progressIsReportedOnEveryCompletedStageAndAtMostOnceASecondOnFinishedTasks() throws IOException {
        Path file = dir.resolve("events.jsonl");
        AtomicLong now = new AtomicLong(1_000);
        PlatformEventsListener listener = new PlatformEventsListener(new EventsFile(file), 100, now::get, Runnable::run);

        for (int i = 0; i < 50; i++) {
            listener.onTaskEnd(taskEnd());
        }
        now.set(1_999);
        listener.onTaskEnd(taskEnd());
        now.set(2_000);
        listener.onTaskEnd(taskEnd());
        listener.onTaskEnd(taskEnd());
        now.set(2_100);
        listener.onStageCompleted(new SparkListenerStageCompleted(null));
        listener.onStageCompleted(new SparkListenerStageCompleted(null));
        now.set(2_200);
        listener.onTaskEnd(taskEnd());
        listener.onApplicationEnd(new SparkListenerApplicationEnd(3_000));
        now.set(9_000);
        listener.onTaskEnd(taskEnd());
        listener.onStageCompleted(new SparkListenerStageCompleted(null));

        assertThat(read(file)).extracting(event -> event.get("event").asText() + "@" + event.get("time").asLong())
                .containsExactly("PROGRESS@1000", "PROGRESS@2000", "PROGRESS@2100", "PROGRESS@2100", "METRICS@3000");
    }

    @Test
    void progressLinesAreWrittenOffTheListenerThread() throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<Runnable> queued = new ArrayList<>();
        AtomicLong clock = new AtomicLong(5_000);
        PlatformEventsListener listener = new PlatformEventsListener(new EventsFile(file), 100, clock::incrementAndGet,
                queued::add);

        listener.onStageCompleted(new SparkListenerStageCompleted(null));
        listener.onStageCompleted(new SparkListenerStageCompleted(null));
        listener.onStageCompleted(new SparkListenerStageCompleted(null));

        assertThat(file).doesNotExist();
        assertThat(queued).hasSize(1); // one write pending at a time; it writes the newest snapshot
        queued.get(0).run();
        List<JsonNode> lines = read(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).toString()).isEqualTo("{\"event\":\"PROGRESS\",\"time\":" + clock.get() + ",\"stages_completed\":0,"
                + "\"tasks_completed\":0,\"records_read\":0,\"records_written\":0,\"bytes_read\":0,\"bytes_written\":0,"
                + "\"executor_cpu_time_ms\":0}");
    }

    @Test
    void runningLineLeavesOutWhatIsUnknown() throws IOException {
        Path file = dir.resolve("events.jsonl");
        PlatformEventsListener listener = new PlatformEventsListener(new EventsFile(file), 100);

        listener.onApplicationStart(start("app-of-another-context", 42L));

        List<JsonNode> events = read(file);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).toString()).isEqualTo("{\"event\":\"RUNNING\",\"time\":42,\"app_id\":\"app-of-another-context\"}");
    }

    @Test
    void withoutAnEventsFileNothingIsWritten() {
        PlatformEventsListener listener = new PlatformEventsListener(new SparkConf());

        listener.onApplicationStart(start("app-1", 1L));
        listener.onApplicationEnd(new SparkListenerApplicationEnd(2L));

        assertThat(listener.eventsFile()).isEmpty();
    }

    @Test
    void noArgumentConstructorReadsTheSystemProperties() {
        System.setProperty(EventsFile.CONF_KEY, dir.resolve("from-properties.jsonl").toString());
        try {
            assertThat(new PlatformEventsListener().eventsFile()).get()
                    .extracting(EventsFile::path).isEqualTo(dir.resolve("from-properties.jsonl"));
        }
        finally {
            System.clearProperty(EventsFile.CONF_KEY);
        }
    }

    private static SparkListenerApplicationStart start(String appId, long time) {
        return new SparkListenerApplicationStart("coreetl-tests", Option.apply(appId), time, "tester", Option.empty(),
                Option.empty(), Option.empty());
    }

    private static SparkListenerTaskEnd taskEnd() {
        return new SparkListenerTaskEnd(0, 0, "ResultTask", Success$.MODULE$, null, new ExecutorMetrics(), null);
    }

    /** Waits until the file has a line of {@code event} (written by the listener's own thread). */
    private static void awaitLine(Path file, String event) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!(Files.exists(file) && Files.readString(file).contains("\"event\":\"" + event + "\""))) {
            if (System.currentTimeMillis() > deadline) {
                throw new TimeoutException("no " + event + " line in " + file);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the listener bus delivered every event posted so far. */
    private static void drainListenerBus(SparkContext context) throws TimeoutException {
        context.listenerBus().waitUntilEmpty(30_000);
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            events.add(MAPPER.readTree(line));
        }
        return events;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
