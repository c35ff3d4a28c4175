package com.doordash.pedregal.client;

import com.doordash.pedregal.model.ByteSize;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks the builders run on each value as it is set. Every failure names the value's path, the bad
 * value and what was expected: {@code executor.instances: -1 (expected: >= 0)}.
 */
final class Checks {
    static final String NON_BLANK = "a non-blank string";
    static final String SIZE = "a size like 512m or 8g";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_QUOTED = 120;

    private Checks() {
    }

    static String nonBlank(String path, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(path, quote(value), NON_BLANK);
        }
        return value;
    }

    static <T> T nonNull(String path, T value, String expected) {
        if (value == null) {
            throw invalid(path, "null", expected);
        }
        return value;
    }

    static int atLeast(String path, int value, int min) {
        if (value < min) {
            throw invalid(path, String.valueOf(value), ">= " + min);
        }
        return value;
    }

    static long atLeast(String path, long value, long min) {
        if (value < min) {
            throw invalid(path, String.valueOf(value), ">= " + min);
        }
        return value;
    }

    static String size(String path, String value) {
        if (!ByteSize.isValid(value)) {
            throw invalid(path, quote(value), SIZE);
        }
        return value.trim();
    }

    static String envName(String path, String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw invalid(path, quote(name), "an environment variable name of letters, digits and '_', not starting with a digit");
        }
        return name;
    }

    static String httpUrl(String path, String value) {
        if (value == null || !isHttpUrl(value)) {
            throw invalid(path, quote(value), "an http:// or https:// URL");
        }
        return value;
    }

    static Duration positive(String path, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(path, String.valueOf(value), "a positive duration");
        }
        return value;
    }

    static Duration notNegative(String path, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(path, String.valueOf(value), "a duration >= 0");
        }
        return value;
    }

    /** Fails at {@code build()} when a required value was never set. */
    static <T> T required(String path, T value, String expected) {
        if (value == null) {
            throw new IllegalStateException(path + ": not set (expected: " + expected + ")");
        }
        return value;
    }

    static IllegalArgumentException invalid(String path, String shownValue, String expected) {
        return new IllegalArgumentException(path + ": " + shownValue + " (expected: " + expected + ")");
    }

    /** A value as shown in messages: quoted, and shortened when long. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "…" : value;
        return "\"" + shown + "\"";
    }

    static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        }
        catch (URISyntaxException e) {
            return false;
        }
    }
}
