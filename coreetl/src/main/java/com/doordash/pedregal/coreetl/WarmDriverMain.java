package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.model.driver.Assignment;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.driver.DriverEvent;
import com.doordash.pedregal.model.driver.DriverFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm driver of the gateway's hot pool: {@code WarmDriverMain --owner-pid <pid>}.
 *
 * <p>It starts Spark, warms it up (the {@code pedregal} catalog and an Iceberg write and read on a private scratch
 * catalog, so that the classes a job needs are loaded and compiled), writes the file {@code ready} in its working
 * directory, and waits for exactly one job: the file {@code assignment.json} appearing in its working directory
 * (the gateway renames that directory to the job's run directory first). The assignment names the main class and
 * arguments to run, the SQL properties to set, and the events file. The driver then reports RUNNING, registers
 * the {@link PlatformEventsListener} (so metrics count the job's tasks only), runs the main class in this JVM on
 * the warm session, and exits with its outcome. No second job ever runs in the same JVM.
 *
 * <p>While waiting it exits by itself when the process {@code --owner-pid} (the platform) is gone.
 */
public final class WarmDriverMain {
    private static final Logger LOG = LoggerFactory.getLogger(WarmDriverMain.class);
    static final String READY_FILE = DriverFiles.READY;
    static final String ASSIGNMENT_FILE = DriverFiles.ASSIGNMENT;
    private static final long POLL_MILLIS = 5;
    /**
     * How long a driver that ran a job waits for its team's next one before it exits by itself: longer than the
     * gateway's own idle limit (60 s), so that a driver a restarted platform no longer knows does not wait for ever.
     */
    static final long REUSE_WAIT_MILLIS = 90_000;
    /** Started for a job, whose assignment comes at once: no warm-up, no {@code ready} file. */
    static final String ASSIGNED = "--assigned";

    private WarmDriverMain() {
    }

    public static void main(String[] args) throws Exception {
        long ownerPid = ownerPid(args);
        long started = System.currentTimeMillis();
        // The playground wall is installed in every driver; a job's run-time conf may arm it (see CoreEtlMain).
        SparkSession spark = SparkSession.builder().withExtensions(new DriverWall()).getOrCreate();
        if (!assigned(args)) {
            warmUp(spark, Path.of("").toAbsolutePath().resolve("warmup-warehouse"));
            writeAtomically(Path.of(READY_FILE), "warmed up in " + (System.currentTimeMillis() - started) + " ms\n");
            LOG.info("warm driver ready after {} ms; waiting for a job", System.currentTimeMillis() - started);
        }

        Assignment assignment = awaitAssignment(ownerPid, Long.MAX_VALUE);
        while (assignment != null) {
            int code = runAssignment(spark, assignment);
            // Gone before ENDED: the gateway writes the next assignment only once it has read ENDED.
            Files.deleteIfExists(Path.of(ASSIGNMENT_FILE));
            new EventsFile(Path.of(assignment.eventsFile())).append(DriverEvent.ended(System.currentTimeMillis(), code));
            if (!assignment.reusable()) {
                System.exit(code);
            }
            LOG.info("execution {} ended with code {}; waiting for the next job of its team and namespace",
                    assignment.executionId(), code);
            assignment = awaitAssignment(ownerPid, System.currentTimeMillis() + REUSE_WAIT_MILLIS);
        }
        LOG.info("the platform (process {}) is gone, or no job came within {} ms; stopping the idle warm driver",
                ownerPid, REUSE_WAIT_MILLIS);
        spark.stop();
        System.exit(0);
    }

    /**
     * Runs the assigned application on the warm session and returns its exit code. A reusable assignment runs in a
     * session of its own (its settings and temporary views go with it) and leaves Spark running for the next job of
     * the same team and namespace; the driver's wall, armed by the first job, refuses any other scope.
     */
    static int runAssignment(SparkSession warm, Assignment assignment) {
        String executionId = assignment.executionId();
        String mainClass = assignment.mainClass();
        EventsFile events = new EventsFile(Path.of(assignment.eventsFile()));
        long assignedAt = assignment.assignedAt();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        PrintStream log = openLog(assignment.logFile());
        if (log != null) {
            System.setOut(log);
            System.setErr(log);
        }
        LOG.info("running execution {} ({}) handed over {} ms after it was assigned", executionId, mainClass,
                System.currentTimeMillis() - assignedAt);
        SparkSession spark = assignment.reusable() ? warm.newSession() : warm;
        PlatformEventsListener listener = new PlatformEventsListener(events, 0);
        try {
            spark.conf().set(EventsFile.CONF_KEY, events.path().toString());
            spark.conf().set(DriverConf.EXECUTION_ID, executionId);
            for (Map.Entry<String, String> entry : assignment.sqlConf().entrySet()) {
                try {
                    spark.conf().set(entry.getKey(), entry.getValue());
                }
                catch (RuntimeException e) {
                    throw new CoreEtlException("spark_config." + entry.getKey() + ": cannot be set on a warm driver: "
                            + Messages.describe(e));
                }
            }
            reportRunning(warm.sparkContext(), events, assignedAt);
            warm.sparkContext().addSparkListener(listener);

            List<String> args = assignment.args();
            if (DriverClasses.CORE_ETL_MAIN.equals(mainClass)) {
                return CoreEtlMain.run(args.toArray(String[]::new), System.out, System.err, () -> spark,
                        !assignment.reusable());
            }
            Method main = Class.forName(mainClass, true, Thread.currentThread().getContextClassLoader())
                    .getMethod("main", String[].class);
            main.invoke(null, (Object) args.toArray(String[]::new));
            return 0;
        }
        catch (Throwable e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            String message = Messages.describe(cause);
            LOG.error("execution {} failed on the warm driver: {}", executionId, message, cause);
            System.err.println("FAILED: " + message);
            events.append(DriverEvent.failed(System.currentTimeMillis(), message));
            return 1;
        }
        finally {
            if (assignment.reusable()) {
                listener.reportEnd(System.currentTimeMillis());
                warm.sparkContext().removeSparkListener(listener);
                try {
                    spark.catalog().clearCache();
                }
                catch (RuntimeException e) {
                    LOG.warn("could not clear the cache: {}", e.toString());
                }
            }
            else {
                try {
                    warm.stop(); // reports the job's metrics; a no-op when the application stopped it already
                }
                catch (RuntimeException e) {
                    LOG.warn("could not stop Spark: {}", e.toString());
                }
            }
            if (log != null) {
                System.setOut(originalOut);
                System.setErr(originalErr);
                log.close();
            }
        }
    }

    /** The job's own log, appended to; null when the assignment names none or it cannot be opened. */
    private static PrintStream openLog(String logFile) {
        if (logFile == null) {
            return null;
        }
        try {
            return new PrintStream(new FileOutputStream(logFile, true), true, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            LOG.warn("cannot write the job's log {}: {}", logFile, e.toString());
            return null;
        }
    }

    private static void reportRunning(SparkContext context, EventsFile events, long assignedAt) {
        events.append(DriverEvent.runningWarm(System.currentTimeMillis(), context.applicationId(),
                context.uiWebUrl().isDefined() ? context.uiWebUrl().get() : null,
                Math.max(0, System.currentTimeMillis() - assignedAt)));
    }

    /**
     * Loads what a CoreETL job touches: the {@code pedregal} catalog, and an Iceberg table written, read with a
     * filter and aggregated, in a scratch catalog under {@code scratch} that is deleted afterwards (a job's own
     * tables are never touched, so no cached table metadata can go stale).
     */
    static void warmUp(SparkSession spark, Path scratch) {
        long started = System.currentTimeMillis();
        try {
            spark.sql("SHOW NAMESPACES IN pedregal").collectAsList();
            spark.conf().set("spark.sql.catalog.dcp_warmup", "org.apache.iceberg.spark.SparkCatalog");
            spark.conf().set("spark.sql.catalog.dcp_warmup.type", "hadoop");
            spark.conf().set("spark.sql.catalog.dcp_warmup.warehouse", scratch.toUri().toString());
            for (int round = 0; round < 2; round++) {
                spark.sql("CREATE TABLE dcp_warmup.w.events (event_id BIGINT, event_type STRING, event_date DATE)"
                        + " USING iceberg PARTITIONED BY (event_date)");
                spark.sql("INSERT INTO dcp_warmup.w.events SELECT id, CASE WHEN id % 3 = 0 THEN 'order' ELSE 'view' END,"
                        + " date_add(DATE'2026-01-01', CAST(id % 3 AS INT)) FROM range(300)");
                spark.sql("CREATE TABLE dcp_warmup.w.daily USING iceberg AS SELECT event_date, count(*) AS n"
                        + " FROM dcp_warmup.w.events WHERE event_type = 'order' GROUP BY event_date");
                spark.sql("INSERT INTO dcp_warmup.w.daily SELECT event_date, n FROM dcp_warmup.w.daily");
                spark.sql("SELECT count(*) FROM dcp_warmup.w.daily").collectAsList();
                spark.sql("DROP TABLE dcp_warmup.w.daily");
                spark.sql("DROP TABLE dcp_warmup.w.events");
            }
        }
        catch (RuntimeException e) {
            // A warm-up problem must not keep the driver from serving: the job will meet (and report) it itself.
            LOG.warn("warm-up incomplete: {}", Messages.describe(e));
        }
        finally {
            deleteTree(scratch);
        }
        LOG.info("warm-up took {} ms", System.currentTimeMillis() - started);
    }

    /** Waits for the assignment; returns null when the owner process is gone first, or at {@code deadlineMillis}. */
    private static Assignment awaitAssignment(long ownerPid, long deadlineMillis) throws InterruptedException {
        Path assignment = Path.of(ASSIGNMENT_FILE);
        long nextOwnerCheck = 0;
        while (true) {
            try {
                // Relative on purpose: the gateway renames this driver's working directory before it assigns a job.
                return Assignment.fromJson(Files.readString(assignment, StandardCharsets.UTF_8));
            }
            catch (NoSuchFileException e) {
                // not assigned yet
            }
            catch (IOException e) {
                throw new IllegalStateException("cannot read " + ASSIGNMENT_FILE + ": " + e, e);
            }
            long now = System.currentTimeMillis();
            if (now >= deadlineMillis) {
                return null;
            }
            if (ownerPid > 0 && now >= nextOwnerCheck) {
                if (ProcessHandle.of(ownerPid).filter(ProcessHandle::isAlive).isEmpty()) {
                    return null;
                }
                nextOwnerCheck = now + 1000;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    static long ownerPid(String[] args) {
        List<String> rest = withoutAssigned(args);
        if (rest.size() == 2 && "--owner-pid".equals(rest.get(0)) && rest.get(1).matches("[0-9]+")) {
            return Long.parseLong(rest.get(1));
        }
        if (rest.isEmpty()) {
            return 0;
        }
        throw new CoreEtlException("arguments: usage: WarmDriverMain [--owner-pid <pid>] [" + ASSIGNED + "] (got: "
                + String.join(" ", args) + ")");
    }

    /** Whether the driver was started for a job already: its assignment comes at once, so it skips the warm-up. */
    static boolean assigned(String[] args) {
        return List.of(args).contains(ASSIGNED);
    }

    private static List<String> withoutAssigned(String[] args) {
        return java.util.Arrays.stream(args).filter(arg -> !ASSIGNED.equals(arg)).toList();
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
