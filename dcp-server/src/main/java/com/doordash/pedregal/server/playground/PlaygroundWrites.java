package com.doordash.pedregal.server.playground;

import com.doordash.pedregal.model.CoreEtlConfig;
import com.doordash.pedregal.model.SparkJobConfig;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.manifest.Manifest;
import com.doordash.pedregal.model.manifest.ManifestException;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.spec.TransformationSpec;
import com.doordash.pedregal.runner.JobRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first wall between a playground run and production, before launch: every sink is redirected into the
 * playground's namespace, and a job that could write elsewhere is refused — custom jars (what they write cannot be
 * checked), SQL transformations that are not queries ({@code INSERT}, {@code MERGE}, DDL, ...), and Spark settings that
 * change catalogs or the write wall itself. The second wall is in the driver (coreetl's DriverWall), armed with the
 * playground's namespace by the runner.
 */
final class PlaygroundWrites {
    private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE", "FROM", "(");
    private static final List<String> FORBIDDEN_CONF_PREFIXES = List.of("spark.sql.catalog.", "spark.sql.extensions",
            "spark.sql.warehouse.dir", "spark.sql.defaultCatalog", "spark.pedregal.");

    private PlaygroundWrites() {
    }

    /** {@code request} with every sink in {@code playground}'s namespace; fails naming the field when it could write elsewhere. */
    static SubmitJobRequest redirect(SubmitJobRequest request, Manifest manifest, Playground playground) {
        List<ManifestException.Problem> problems = new ArrayList<>();
        SparkJobConfig config = request.config();
        if (config.customJar() != null) {
            problems.add(manifest.problem("spec.customJar", "cannot run in playground " + playground.name()
                    + ": what a custom jar writes cannot be checked before launch; playgrounds run CoreETL specs"));
        }
        for (String key : config.sparkConfig().keySet()) {
            if (FORBIDDEN_CONF_PREFIXES.stream().anyMatch(key::startsWith)) {
                problems.add(manifest.problem("spec.sparkConfig[\"" + key + "\"]", "cannot be set in a playground run:"
                        + " it changes where the job writes"));
            }
        }
        CoreEtlConfig coreEtl = config.coreEtl();
        if (coreEtl == null) {
            Manifest.check(problems);
            return request;
        }
        CoreEtlSpec spec = coreEtl.jobSpec();
        for (int i = 0; i < spec.transformations().size(); i++) {
            TransformationSpec transformation = spec.transformations().get(i);
            int index = i;
            writeVerb(transformation.query()).ifPresent(verb -> problems.add(manifest.problem(
                    "spec.coreEtl.jobSpec.transformations[" + index + "].query",
                    "a playground run may write only to its sinks, which go to " + playground.qualifiedNamespace()
                            + "; this SQL is not a query (" + verb + ")")));
        }
        Map<String, Integer> seen = new HashMap<>();
        List<SinkSpec> sinks = new ArrayList<>();
        for (int i = 0; i < spec.sinks().size(); i++) {
            SinkSpec sink = spec.sinks().get(i);
            Integer earlier = seen.putIfAbsent(sink.table(), i);
            if (earlier != null) {
                problems.add(manifest.problem("spec.coreEtl.jobSpec.sinks[" + i + "].table", "sinks " + earlier + " and " + i
                        + " would both write " + playground.table(sink.table()) + " in the playground"));
            }
            sinks.add(new SinkSpec(sink.type(), JobRunner.PLAYGROUND_CATALOG, playground.namespace(), sink.table(),
                    sink.mode(), sink.partitionBy()));
        }
        Manifest.check(problems);
        CoreEtlSpec redirected = new CoreEtlSpec(spec.sources(), spec.transformations(), sinks);
        return new SubmitJobRequest(request.name(), request.team(), request.user(),
                new SparkJobConfig(config.sparkVersion(), config.jobType(), new CoreEtlConfig(coreEtl.version(), redirected),
                        null, config.resources(), config.sparkConfig(), config.envVars()),
                request.idempotencyKey(), request.callbackUrl(), request.timeoutSeconds());
    }

    /**
     * The statement kind when {@code sql} is not a pure query: a statement that does not start like a query, or a
     * query with a write inside ({@code WITH ... INSERT INTO}, {@code FROM t INSERT ...}, {@code DELETE FROM},
     * {@code UPDATE t SET}, {@code MERGE INTO}). Comments, string literals and quoted identifiers are skipped.
     */
    static Optional<String> writeVerb(String sql) {
        List<String> words = words(sql);
        if (words.isEmpty()) {
            return Optional.empty();
        }
        if (!QUERY_STARTS.contains(words.get(0))) {
            return Optional.of(words.get(0) + (words.size() > 1 ? " " + words.get(1) : ""));
        }
        for (int i = 0; i + 1 < words.size(); i++) {
            String word = words.get(i);
            String next = words.get(i + 1);
            if (word.equals("INSERT") && (next.equals("INTO") || next.equals("OVERWRITE"))
                    || word.equals("MERGE") && next.equals("INTO")
                    || word.equals("DELETE") && next.equals("FROM")) {
                return Optional.of(word + " " + next);
            }
            if (word.equals("UPDATE") && words.subList(i + 1, Math.min(words.size(), i + 8)).contains("SET")) {
                return Optional.of("UPDATE");
            }
        }
        return Optional.empty();
    }

    /** The upper-cased words and opening parentheses of {@code sql}, outside comments, literals and quoted names. */
    private static List<String> words(String sql) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = sql.indexOf('\n', i);
                i = i < 0 ? n : i + 1;
            }
            else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            }
            else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < n && sql.charAt(j) != c) {
                    j += sql.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
            }
            else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                words.add(sql.substring(i, j).toUpperCase(Locale.ROOT));
                i = j;
            }
            else {
                if (c == '(' && words.isEmpty()) {
                    words.add("(");
                }
                i++;
            }
        }
        return words;
    }
}
