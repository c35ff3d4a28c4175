package com.doordash.pedregal.pretzel;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** A time to live as users write it: a positive whole number of seconds, minutes, hours or days ({@code 90m}, {@code 7d}). */
final class Ttl implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern TTL = Pattern.compile("(\\d{1,9})([smhd])");

    /** Parses {@code 7d}, {@code 36h}, {@code 90m} or {@code 45s}. */
    static Duration parse(String text) {
        Matcher matcher = TTL.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a time to live like 7d, 36h, 90m or 45s");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** A duration for people: {@code 7d}, {@code 2d 3h}, {@code 1h 30m}, {@code 45s}. */
    static String describe(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append('d');
        }
        if (hours > 0) {
            text.append(text.isEmpty() ? "" : " ").append(hours).append('h');
        }
        if (minutes > 0 && days == 0) {
            text.append(text.isEmpty() ? "" : " ").append(minutes).append('m');
        }
        return text.isEmpty() ? seconds % 60 + "s" : text.toString();
    }

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        }
        catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
