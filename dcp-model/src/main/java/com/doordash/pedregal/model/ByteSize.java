package com.doordash.pedregal.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Spark writes them: {@code 512m}, {@code 4g}, {@code 1t}, {@code 2048k}; a bare number means MiB. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kmgt]?)b?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /** Whether {@code text} is a size Spark accepts. */
    public static boolean isValid(String text) {
        return text != null && SIZE.matcher(text.trim()).matches() && bytes(text) > 0;
    }

    /** The number of bytes {@code text} stands for; fails on text that is not a size. */
    public static long bytes(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size like 512m or 8g");
        }
        long number = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> number << 10;
            case "g" -> number << 30;
            case "t" -> number << 40;
            default -> number << 20; // "m" and a bare number: Spark reads both as MiB
        };
    }

    /** {@code bytes} written as whole MiB, the form JVM and Spark flags take: {@code 4096m}. */
    public static String toMebibytes(long bytes) {
        return Math.max(1, bytes >> 20) + "m";
    }
}
