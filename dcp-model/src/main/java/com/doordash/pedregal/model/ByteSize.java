package com.doordash.pedregal.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Spark writes them: {@code 512m}, {@code 4g}, {@code 1t}, {@code 2048k}; a bare number means MiB. */
public final class ByteSize {
    /** The largest size accepted anywhere: 1024t (1 PiB); more is a typo or an attack, and would overflow. */
    public static final long MAX_BYTES = 1L << 50;
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kmgt]?)b?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /** Whether {@code text} is a size Spark accepts, from 1 byte to {@link #MAX_BYTES}. */
    public static boolean isValid(String text) {
        return problem(text).isEmpty();
    }

    /** What is wrong with {@code text} as a size ({@code "8x" is not a size like 512m or 8g}), or empty when nothing is. */
    public static Optional<String> problem(String text) {
        if (text == null || !SIZE.matcher(text.trim()).matches()) {
            return Optional.of(quote(text) + " is not a size like 512m or 8g");
        }
        long number = number(text);
        if (number == 0) {
            return Optional.of(quote(text) + " is not a size like 512m or 8g (it must be more than 0)");
        }
        if (number > MAX_BYTES >> shift(text)) {
            return Optional.of(quote(text) + " is more than 1024t, the largest size accepted");
        }
        return Optional.empty();
    }

    /** The number of bytes {@code text} stands for; fails on text that is not a size or is more than {@link #MAX_BYTES}. */
    public static long bytes(String text) {
        problem(text).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        return number(text) << shift(text);
    }

    private static long number(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        matcher.matches();
        return Long.parseLong(matcher.group(1));
    }

    private static int shift(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        matcher.matches();
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "g" -> 30;
            case "t" -> 40;
            default -> 20; // "m" and a bare number: Spark reads both as MiB
        };
    }

    private static String quote(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    /** {@code bytes} written as whole MiB, the form JVM and Spark flags take: {@code 4096m}. */
    public static String toMebibytes(long bytes) {
        return Math.max(1, bytes >> 20) + "m";
    }
}
