package com.doordash.pedregal.gateway.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Predicate;

/** Reading the end of log files without loading them whole. */
public final class LogFiles {
    /** The most a whole-log read returns: its last 8 MiB. */
    public static final int MAX_BYTES = 8 << 20;

    private LogFiles() {
    }

    /** The last {@code lines} lines of {@code file} (all of them when it has fewer); empty when it is missing. */
    public static String tail(Path file, int lines) {
        if (lines <= 0) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long position = end;
            int newlines = 0;
            byte[] buffer = new byte[8192];
            // A final newline ends the last line; it does not start a new one.
            long scanEnd = end;
            if (end > 0) {
                in.seek(end - 1);
                if (in.read() == '\n') {
                    scanEnd = end - 1;
                }
            }
            position = scanEnd;
            outer:
            while (position > 0 && end - position < MAX_BYTES) {
                int chunk = (int) Math.min(buffer.length, position);
                position -= chunk;
                in.seek(position);
                in.readFully(buffer, 0, chunk);
                for (int i = chunk - 1; i >= 0; i--) {
                    if (buffer[i] == '\n' && ++newlines == lines) {
                        position += i + 1;
                        break outer;
                    }
                }
            }
            return read(in, position, end);
        }
        catch (java.io.FileNotFoundException e) {
            return "";
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The whole file, or its last {@link #MAX_BYTES} bytes; empty when it is missing. */
    public static String readCapped(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            return read(in, Math.max(0, end - MAX_BYTES), end);
        }
        catch (java.io.FileNotFoundException e) {
            return "";
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The whole file when it holds at most {@code head + tail} bytes, else its first {@code head} and last {@code tail}
     * bytes, each cut to whole lines; empty when it is missing.
     */
    public static String headAndTail(Path file, int head, int tail) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            if (end <= (long) head + tail) {
                return read(in, 0, end);
            }
            String start = read(in, 0, head);
            String last = read(in, end - tail, end);
            return start.substring(0, start.lastIndexOf('\n') + 1) + last.substring(last.indexOf('\n') + 1);
        }
        catch (java.io.FileNotFoundException e) {
            return "";
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The first line of {@code text} (an error's message, say), at most 500 characters; "(no message)" for null. */
    public static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 500 ? line.substring(0, 500) : line;
    }

    /** The last {@code lines} lines of {@code text} (all of it when it has fewer); a final line break ends a line. */
    public static String lastLines(String text, int lines) {
        if (lines <= 0) {
            return "";
        }
        int position = text.endsWith("\n") ? text.length() - 1 : text.length();
        for (int i = 0; i < lines; i++) {
            position = text.lastIndexOf('\n', position - 1);
            if (position < 0) {
                return text;
            }
        }
        return text.substring(position + 1);
    }

    /** The last line among the final {@code window} lines of {@code file} that {@code matches}. */
    public static Optional<String> lastMatching(Path file, int window, Predicate<String> matches) {
        Deque<String> lines = new ArrayDeque<>(tail(file, window).lines().toList());
        while (!lines.isEmpty()) {
            String line = lines.removeLast();
            if (matches.test(line)) {
                return Optional.of(line.strip());
            }
        }
        return Optional.empty();
    }

    /** The file's text, or empty when it does not exist. */
    public static Optional<String> readIfExists(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String read(RandomAccessFile in, long from, long to) throws IOException {
        byte[] bytes = new byte[(int) (to - from)];
        in.seek(from);
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
