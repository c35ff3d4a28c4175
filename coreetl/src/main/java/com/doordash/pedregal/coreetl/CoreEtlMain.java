package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.driver.DriverEvent;
import com.doordash.pedregal.model.driver.DriverSpec;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoreETL Spark application: {@code CoreEtlMain --spec <path of a CoreEtlSpec JSON file>}, or
 * {@code CoreEtlMain --spec-base64 <the spec JSON, base64-encoded>} where the driver cannot read the platform's
 * files (cluster deploy mode).
 *
 * <p>On success it prints {@code CoreETL SUCCEEDED: wrote N rows to <table>[, M rows to <table2>]} to stdout and
 * returns. On any failure it prints one line {@code CoreETL FAILED: <message>} to stderr, appends
 * {@code {"event":"FAILED","time":<epoch ms>,"message":"<message>"}} to the events file
 * ({@code spark.pedregal.events.file}) when one is set, stops Spark and exits with code 1.
 *
 * <p>Its session has the {@link DriverWall}; when the session sets {@value DriverWall#PLAYGROUND_CONF} or {@value DriverWall#WRITE_NAMESPACES_CONF}, the wall is
 * armed for that namespace before the job starts, and a session without the wall fails the job instead of running it
 * unguarded.
 */
public final class CoreEtlMain {
    private static final Logger LOG = LoggerFactory.getLogger(CoreEtlMain.class);
    static final String USAGE = "usage: CoreEtlMain --spec <path of a CoreETL spec JSON file>"
            + " | --spec-base64 <CoreETL spec JSON, base64-encoded>";
    static final String SUCCEEDED = "CoreETL SUCCEEDED: ";
    static final String FAILED = "CoreETL FAILED: ";

    private CoreEtlMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err,
                () -> SparkSession.builder().withExtensions(new DriverWall()).getOrCreate(), true);
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
            CoreEtlSpec spec = readSpec(specArgument(args));
            try {
                spark = sessions.get();
            }
            catch (RuntimeException e) {
                throw new CoreEtlException("spark session", e);
            }
            try {
                DriverWall.armFrom(spark);
            }
            catch (RuntimeException e) {
                throw new CoreEtlException("wall", e);
            }
            DriverWall.armed().ifPresent(scope -> {
                String armed = scope.playground()
                        ? "CoreETL: playground write wall armed: this run writes only to tables of " + scope.writable().get(0)
                        : "CoreETL: write wall armed: " + scope.describe()
                                + (scope.customCode() ? "" : "; reads tables only, no code of its own");
                LOG.info(armed);
                err.println(armed);
                err.flush();
            });
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
                events.append(DriverEvent.failed(System.currentTimeMillis(), message));
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

    /**
     * The spec argument: {@code --spec <path>} or {@code --spec-base64 <base64 of the JSON>}, each also written
     * {@code --option=value}.
     */
    static SpecArgument specArgument(String[] args) {
        String option = null;
        String value = null;
        if (args != null && args.length == 2) {
            option = args[0];
            value = args[1];
        }
        else if (args != null && args.length == 1 && args[0].indexOf('=') > 0) {
            option = args[0].substring(0, args[0].indexOf('='));
            value = args[0].substring(args[0].indexOf('=') + 1);
        }
        if (value != null && !value.isBlank() && ("--spec".equals(option) || DriverSpec.OPTION.equals(option))) {
            return new SpecArgument(DriverSpec.OPTION.equals(option), value.strip());
        }
        throw new CoreEtlException("arguments: " + USAGE + " (got: "
                + (args == null ? "nothing" : String.join(" ", args)) + ")");
    }

    /** A spec given as a file path, or inline as base64 of its JSON. */
    record SpecArgument(boolean inline, String value) {
        /** How messages name the spec: {@code spec <path>}, or {@code spec (--spec-base64)}. */
        String describe() {
            return inline ? "spec (--spec-base64)" : "spec " + value;
        }

        String text() {
            if (inline) {
                try {
                    return DriverSpec.decode(value);
                }
                catch (IllegalArgumentException e) {
                    throw new CoreEtlException(describe() + ": is not valid base64: " + e.getMessage());
                }
            }
            try {
                return Files.readString(Path.of(value), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new CoreEtlException(describe() + ": cannot be read: " + e);
            }
        }
    }

    /** Reads and validates the spec; a failure lists every problem. */
    static CoreEtlSpec readSpec(SpecArgument argument) {
        String text = argument.text();
        CoreEtlSpec spec;
        try {
            spec = Json.read(text, CoreEtlSpec.class);
        }
        catch (RuntimeException e) {
            throw new CoreEtlException(argument.describe() + ": " + e.getMessage());
        }
        List<Violation> violations = JobRequestValidator.validateSpec(spec, "");
        if (!violations.isEmpty()) {
            throw new CoreEtlException(argument.describe() + " is invalid: "
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
