package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoreETL Spark application: {@code CoreEtlMain --spec <path of a CoreEtlSpec JSON file>}.
 *
 * <p>On success it prints {@code CoreETL SUCCEEDED: wrote N rows to <table>[, M rows to <table2>]} to stdout and
 * returns. On any failure it prints one line {@code CoreETL FAILED: <message>} to stderr, appends
 * {@code {"event":"FAILED","time":<epoch ms>,"message":"<message>"}} to the events file
 * ({@code spark.pedregal.events.file}) when one is set, stops Spark and exits with code 1.
 */
public final class CoreEtlMain {
    private static final Logger LOG = LoggerFactory.getLogger(CoreEtlMain.class);
    static final String USAGE = "usage: CoreEtlMain --spec <path of a CoreETL spec JSON file>";
    static final String SUCCEEDED = "CoreETL SUCCEEDED: ";
    static final String FAILED = "CoreETL FAILED: ";

    private CoreEtlMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, () -> SparkSession.builder().getOrCreate(), true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the application and returns its exit code: 0 on success, 1 on failure.
     *
     * @param sessions builds (or returns) the Spark session; called only once the spec is valid
     * @param stopSession whether to stop the session at the end (tests sharing a session pass false)
     */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<SparkSession> sessions, boolean stopSession) {
        SparkSession spark = null;
        try {
            CoreEtlSpec spec = readSpec(specPath(args));
            try {
                spark = sessions.get();
            }
            catch (RuntimeException e) {
                throw new CoreEtlException("spark session", e);
            }
            JobResult result = new CoreEtlJob(spark, spec).run();
            String line = SUCCEEDED + result.summary();
            LOG.info(line);
            out.println(line);
            out.flush();
            return 0;
        }
        catch (Throwable e) {
            String message = Messages.describe(e);
            LOG.error("the CoreETL job failed: {}", message, e);
            err.println(FAILED + message);
            err.flush();
            eventsFile(spark).ifPresent(events -> {
                Map<String, Object> line = EventsFile.event("FAILED", System.currentTimeMillis());
                line.put("message", message);
                events.append(line);
            });
            return 1;
        }
        finally {
            if (stopSession && spark != null) {
                try {
                    spark.stop();
                }
                catch (RuntimeException e) {
                    LOG.warn("could not stop Spark: {}", e.toString());
                }
            }
        }
    }

    /** The spec file named by {@code --spec <path>} (or {@code --spec=<path>}). */
    static Path specPath(String[] args) {
        if (args != null && args.length == 2 && "--spec".equals(args[0]) && !args[1].isBlank()) {
            return Path.of(args[1]);
        }
        if (args != null && args.length == 1 && args[0].startsWith("--spec=") && args[0].length() > "--spec=".length()) {
            return Path.of(args[0].substring("--spec=".length()));
        }
        throw new CoreEtlException("arguments: " + USAGE + " (got: "
                + (args == null ? "nothing" : String.join(" ", args)) + ")");
    }

    /** Reads and validates the spec at {@code path}; a failure lists every problem. */
    static CoreEtlSpec readSpec(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new CoreEtlException("spec " + path + ": cannot be read: " + e);
        }
        CoreEtlSpec spec;
        try {
            spec = Json.read(text, CoreEtlSpec.class);
        }
        catch (RuntimeException e) {
            throw new CoreEtlException("spec " + path + ": " + e.getMessage());
        }
        List<Violation> violations = JobRequestValidator.validateSpec(spec, "");
        if (!violations.isEmpty()) {
            throw new CoreEtlException("spec " + path + " is invalid: "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        return spec;
    }

    /** The events file of the running application, or from the {@code spark.*} system properties. */
    private static Optional<EventsFile> eventsFile(SparkSession spark) {
        try {
            if (spark != null) {
                Optional<EventsFile> events = EventsFile.of(spark.conf().get(EventsFile.CONF_KEY, null));
                if (events.isPresent()) {
                    return events;
                }
            }
            return EventsFile.fromConf(new SparkConf());
        }
        catch (RuntimeException e) {
            LOG.warn("could not find the events file: {}", e.toString());
            return Optional.empty();
        }
    }
}
