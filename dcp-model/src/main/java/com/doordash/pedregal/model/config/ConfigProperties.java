package com.doordash.pedregal.model.config;

import com.doordash.pedregal.model.ByteSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reading of {@code kebab.case} configuration keys. Every read records the key, so that the
 * composition root can reject keys nobody reads (typos) with {@link #unknownKeys()}. Bad values fail
 * with a message naming the key.
 */
public final class ConfigProperties {
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Map<String, String> environment;
    private final Set<String> read = new TreeSet<>();

    /** Properties with the given values only. */
    public ConfigProperties(Map<String, String> values) {
        this(values, Map.of());
    }

    /**
     * Properties with the given values, falling back to environment variables: key
     * {@code gateway.local.max-driver-memory} is read from {@code DCP_GATEWAY_LOCAL_MAX_DRIVER_MEMORY}.
     */
    public ConfigProperties(Map<String, String> values, Map<String, String> environment) {
        this.values = new TreeMap<>(values);
        this.environment = Map.copyOf(environment);
    }

    /** The environment variable that can set {@code key}. */
    public static String environmentName(String key) {
        return "DCP_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of {@code key}, or {@code defaultValue} when absent. */
    public String string(String key, String defaultValue) {
        read.add(key);
        String value = values.get(key);
        if (value == null) {
            value = environment.get(environmentName(key));
        }
        return value == null ? defaultValue : value.trim();
    }

    /** An integer value between {@code min} and {@code max}. */
    public int integer(String key, int defaultValue, int min, int max) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw invalid(key, text, "an integer from " + min + " to " + max);
            }
            return value;
        }
        catch (NumberFormatException e) {
            throw invalid(key, text, "an integer from " + min + " to " + max);
        }
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String key, boolean defaultValue) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text, "true or false");
        };
    }

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String key, Duration defaultValue) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw invalid(key, text, "a duration like 250ms, 30s, 5m, 2h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** A size such as {@code 512m} or {@code 4g}, in bytes. */
    public long bytes(String key, long defaultValue) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        if (!ByteSize.isValid(text)) {
            throw invalid(key, text, "a size like 512m or 8g");
        }
        return ByteSize.bytes(text);
    }

    /** A file system path, made absolute. */
    public Path path(String key, Path defaultValue) {
        String text = string(key, null);
        return (text == null ? defaultValue : Path.of(text)).toAbsolutePath().normalize();
    }

    /**
     * The keys given under {@code prefix} (from values only: an environment variable cannot spell every key), without the
     * prefix, in order; each counts as read. For families such as {@code policy.write-namespaces.<team>}.
     */
    public Set<String> keysUnder(String prefix) {
        Set<String> suffixes = new TreeSet<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                read.add(key);
                suffixes.add(key.substring(prefix.length()));
            }
        }
        return suffixes;
    }

    /** A comma-separated list; blank entries are dropped, an empty value is an empty list. */
    public java.util.List<String> list(String key, String defaultValue) {
        String text = string(key, defaultValue);
        return text == null ? java.util.List.of() : java.util.Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(entry -> !entry.isEmpty())
                .toList();
    }

    /** Keys that were given but never read by any configuration class, in order. */
    public Set<String> unknownKeys() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        return unknown;
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException(key + ": \"" + value + "\" is not valid (expected " + expected + ")");
    }
}
