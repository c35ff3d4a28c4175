package com.doordash.pedregal.runner.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Glob patterns of the policy: {@code *} stands for any text (also none); everything else is literal. */
final class Patterns {
    private Patterns() {
    }

    /** Whether {@code value} matches {@code pattern}, case-sensitively. */
    static boolean matches(String pattern, String value) {
        if (!pattern.contains("*")) {
            return pattern.equals(value);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0 || pattern.startsWith("*")) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** The first of {@code patterns} that {@code value} matches. */
    static Optional<String> firstMatch(List<String> patterns, String value) {
        return patterns.stream().filter(pattern -> matches(pattern, value)).findFirst();
    }

    /** Like {@link #firstMatch}, ignoring case (namespaces, host names). */
    static Optional<String> firstMatchIgnoringCase(List<String> patterns, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return patterns.stream().filter(pattern -> matches(pattern.toLowerCase(Locale.ROOT), lower)).findFirst();
    }
}
