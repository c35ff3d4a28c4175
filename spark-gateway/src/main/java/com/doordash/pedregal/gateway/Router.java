package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Chooses the backend of a job from configured rules, in order; the first rule that matches wins, else the default
 * backend. The router knows backends by name only, so adding a backend never changes it.
 *
 * <p>Configuration: {@code gateway.default-backend} and {@code gateway.routes}, a comma-separated list of rule names;
 * for each rule {@code gateway.route.<name>.backend} (required) and any of {@code gateway.route.<name>.team},
 * {@code .namespace}, {@code .spark-version}, {@code .job-type} — comma-separated values, {@code *} as a wildcard in
 * namespaces ({@code pg-*}). A rule without a condition on a field matches every value of it.
 */
public final class Router {
    private final List<Rule> rules;
    private final String defaultBackend;

    /** A router applying {@code rules} in order, then {@code defaultBackend}. */
    public Router(List<Rule> rules, String defaultBackend) {
        this.rules = List.copyOf(requireNonNull(rules, "rules is null"));
        this.defaultBackend = requireNonNull(defaultBackend, "defaultBackend is null");
    }

    /** Reads {@code gateway.default-backend}, {@code gateway.routes} and each named rule. */
    public static Router from(ConfigProperties properties) {
        String defaultBackend = properties.string("gateway.default-backend", "local");
        List<Rule> rules = new ArrayList<>();
        for (String name : list(properties.string("gateway.routes", ""))) {
            String prefix = "gateway.route." + name + ".";
            String backend = properties.string(prefix + "backend", null);
            if (backend == null || backend.isBlank()) {
                throw new IllegalArgumentException(prefix + "backend: missing (rule \"" + name
                        + "\" is listed in gateway.routes)");
            }
            rules.add(new Rule(name,
                    list(properties.string(prefix + "team", "")),
                    list(properties.string(prefix + "namespace", "")),
                    list(properties.string(prefix + "spark-version", "")),
                    list(properties.string(prefix + "job-type", "")).stream()
                            .map(type -> type.toUpperCase(Locale.ROOT))
                            .collect(Collectors.toCollection(LinkedHashSet::new)),
                    backend.strip()));
        }
        return new Router(rules, defaultBackend);
    }

    /** The backend for a job with {@code key}. */
    public String route(RouteKey key) {
        return rules.stream().filter(rule -> rule.matches(key)).map(Rule::backend).findFirst().orElse(defaultBackend);
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** Where jobs no rule matches go. */
    public String defaultBackend() {
        return defaultBackend;
    }

    private static Set<String> list(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * One routing rule: jobs matching every non-empty condition go to {@code backend}.
     *
     * @param name the rule's name in configuration
     * @param teams teams it matches; empty for all
     * @param namespaces namespaces it matches ({@code *} matches any characters); empty for all
     * @param sparkVersions runtimes it matches; empty for all
     * @param jobTypes job types it matches ({@code BATCH}, {@code STREAMING}); empty for all
     * @param backend where matching jobs go
     */
    public record Rule(String name, Set<String> teams, Set<String> namespaces, Set<String> sparkVersions,
            Set<String> jobTypes, String backend) {
        public Rule {
            requireNonNull(name, "name is null");
            teams = Set.copyOf(teams);
            namespaces = Set.copyOf(namespaces);
            sparkVersions = Set.copyOf(sparkVersions);
            jobTypes = Set.copyOf(jobTypes);
            requireNonNull(backend, "backend is null");
        }

        boolean matches(RouteKey key) {
            return (teams.isEmpty() || teams.contains(key.team()))
                    && (namespaces.isEmpty() || namespaces.stream().anyMatch(glob -> globMatches(glob, key.namespace())))
                    && (sparkVersions.isEmpty() || sparkVersions.contains(key.sparkVersion()))
                    && (jobTypes.isEmpty() || jobTypes.contains(key.jobType().toUpperCase(Locale.ROOT)));
        }

        private static boolean globMatches(String glob, String value) {
            String regex = Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
            return value.matches(regex);
        }
    }
}
