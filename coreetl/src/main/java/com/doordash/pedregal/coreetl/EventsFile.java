package com.doordash.pedregal.coreetl;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.driver.DriverEvent;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file the platform watches for a job's events (set by {@code spark.pedregal.events.file}): one
 * {@link DriverEvent} a line. Appending is thread-safe,
 * flushes every line, and never throws: a failure is logged as a warning.
 */
public final class EventsFile {
    /** The Spark property naming the events file. */
    public static final String CONF_KEY = DriverConf.EVENTS_FILE;

    private static final Logger LOG = LoggerFactory.getLogger(EventsFile.class);
    /** One lock for every instance: the driver's main thread and the listener bus may write the same file. */
    private static final Object LOCK = new Object();

    private final Path path;

    public EventsFile(Path path) {
        this.path = requireNonNull(path, "path is null");
    }

    /** The events file {@code conf} names, if it names one. */
    public static Optional<EventsFile> fromConf(SparkConf conf) {
        if (conf == null) {
            return Optional.empty();
        }
        return of(conf.get(CONF_KEY, null));
    }

    /** The events file at {@code path}, or empty when {@code path} is null or blank. */
    public static Optional<EventsFile> of(String path) {
        return path == null || path.isBlank() ? Optional.empty() : Optional.of(new EventsFile(Path.of(path.trim())));
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** Appends {@code event} as one JSON line. Returns whether the line was written. */
    public boolean append(DriverEvent event) {
        String line;
        try {
            line = event.toLine();
        }
        catch (RuntimeException | LinkageError e) {
            LOG.warn("could not write an event to {}: {}", path, e.toString());
            return false;
        }
        return appendLine(line);
    }

    /** Appends {@code line} (which must be one line of JSON) and a line break. Returns whether it was written. */
    public boolean appendLine(String line) {
        byte[] bytes = (line.replaceAll("\\R", " ") + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (LOCK) {
            try {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(false);
                }
                return true;
            }
            catch (Exception | LinkageError e) {
                LOG.warn("could not append an event to {}: {}", path, e.toString());
                return false;
            }
        }
    }
}
