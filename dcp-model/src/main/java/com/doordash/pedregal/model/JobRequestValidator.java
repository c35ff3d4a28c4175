package com.doordash.pedregal.model;

import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.spec.SourceSpec;
import com.doordash.pedregal.model.spec.TransformationSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a {@link SubmitJobRequest} or a {@link CoreEtlSpec} and reports every problem at once, each
 * with the path of its field.
 */
public final class JobRequestValidator {
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){0,2}([-.][A-Za-z0-9.]+)?");
    private static final Pattern CLASS_NAME = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*");
    /** The longest {@code timeout_seconds}: 7 days. */
    public static final long MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PARTITION = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*"
                    + "|(years|months|days|hours)\\(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)"
                    + "|(bucket|truncate)\\(\\s*[0-9]{1,9}\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)");
    /** Spark properties the platform sets itself; a job may not override them. */
    private static final Set<String> RESERVED_SPARK_KEYS = Set.of(
            "spark.master", "spark.submit.deployMode", "spark.app.name", "spark.extraListeners",
            "spark.sql.extensions", "spark.driver.extraClassPath", "spark.sql.catalog.pedregal");
    /**
     * Prefixes of Spark properties the platform sets itself: its catalog, and Hadoop's S3 file systems, which carry the
     * platform's S3 endpoint and credentials (a job pointing them elsewhere would send requests signed with them there).
     */
    private static final List<String> RESERVED_SPARK_PREFIXES = List.of(DriverConf.PREFIX, "spark.sql.catalog.pedregal.",
            "spark.hadoop.fs.s3a.", "spark.hadoop.fs.s3.", "spark.hadoop.fs.s3n.", "spark.hadoop.fs.AbstractFileSystem.s3");
    /** The most cores a driver or an executor may ask for. */
    public static final int MAX_CORES = 1024;
    /** The most executors a job may ask for (instances, min_executors, max_executors). */
    public static final int MAX_EXECUTORS = 10_000;
    /** Bounds on the maps and lists a request carries: entries, and characters of a key and a value. */
    public static final int MAX_SPARK_CONFIG_ENTRIES = 256;
    public static final int MAX_ENV_VARS = 128;
    public static final int MAX_ARGS = 1024;
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_VALUE_LENGTH = 32 * 1024;
    public static final int MAX_JAR_PATH_LENGTH = 4096;

    private final Set<String> sparkVersions;

    /** A validator accepting the given Spark runtimes (for example {@code 3.5}). */
    public JobRequestValidator(Set<String> sparkVersions) {
        this.sparkVersions = new TreeSet<>(sparkVersions);
    }

    /** Fails with every problem of {@code request}, or returns it unchanged. */
    public SubmitJobRequest check(SubmitJobRequest request) {
        List<Violation> violations = validate(request);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return request;
    }

    /** Every problem of {@code request}; empty when it is valid. */
    public List<Violation> validate(SubmitJobRequest request) {
        Problems problems = new Problems();
        if (request == null) {
            problems.add("", "the request body is empty; expected a JSON object");
            return problems.list;
        }
        problems.matches("name", request.name(), JOB_NAME, "letters, digits, '.', '_' or '-', at most 128, starting with a letter or digit");
        problems.matches("team", request.team(), TEAM, "lower-case letters, digits, '.', '_' or '-', at most 63");
        if (problems.required("user", request.user()) && (request.user().isBlank() || request.user().length() > 256)) {
            problems.add("user", "must be 1 to 256 characters");
        }
        SparkJobConfig config = request.config();
        if (problems.required("config", config)) {
            validateConfig(config, problems);
        }
        if (request.idempotencyKey() != null
                && (request.idempotencyKey().isBlank() || request.idempotencyKey().length() > 128)) {
            problems.add("idempotency_key", "must be 1 to 128 characters");
        }
        if (request.callbackUrl() != null && !isHttpUrl(request.callbackUrl())) {
            problems.add("callback_url", quote(request.callbackUrl()) + " is not an http:// or https:// URL");
        }
        if (request.timeoutSeconds() != null && (request.timeoutSeconds() < 1 || request.timeoutSeconds() > MAX_TIMEOUT_SECONDS)) {
            problems.add("timeout_seconds", request.timeoutSeconds() + " is not from 1 to " + MAX_TIMEOUT_SECONDS + " (7 days)");
        }
        return problems.list;
    }

    /** Every problem of a CoreETL spec, with paths below {@code prefix} (empty for the spec itself). */
    public static List<Violation> validateSpec(CoreEtlSpec spec, String prefix) {
        Problems problems = new Problems();
        validateSpec(spec, prefix, problems);
        return problems.list;
    }

    private void validateConfig(SparkJobConfig config, Problems problems) {
        if (problems.required("config.spark_version", config.sparkVersion()) && !sparkVersions.contains(config.sparkVersion())) {
            problems.add("config.spark_version",
                    quote(config.sparkVersion()) + " is not supported (supported: " + String.join(", ", sparkVersions) + ")");
        }
        if (config.effectiveJobType() == JobType.STREAMING) {
            problems.add("config.job_type", "STREAMING is not supported by CoreETL jobs yet (supported: BATCH)");
        }
        CoreEtlConfig coreEtl = config.coreEtl();
        CustomJarConfig customJar = config.customJar();
        if (coreEtl != null && customJar != null) {
            problems.add("config.custom_jar", "a job runs either core_etl or custom_jar, not both");
        }
        else if (customJar != null) {
            validateCustomJar(customJar, problems);
        }
        else if (coreEtl == null) {
            problems.add("config.core_etl", "is required (or config.custom_jar)");
        }
        if (coreEtl != null) {
            if (coreEtl.version() != null && !VERSION.matcher(coreEtl.version()).matches()) {
                problems.add("config.core_etl.version", quote(coreEtl.version()) + " is not a version like 2.7.0");
            }
            if (problems.required("config.core_etl.job_spec", coreEtl.jobSpec())) {
                validateSpec(coreEtl.jobSpec(), "config.core_etl.job_spec.", problems);
            }
        }
        if (config.resources() != null) {
            validateResources(config.resources(), problems);
        }
        if (config.sparkConfig().size() > MAX_SPARK_CONFIG_ENTRIES) {
            problems.add("config.spark_config", config.sparkConfig().size() + " entries is more than "
                    + MAX_SPARK_CONFIG_ENTRIES);
        }
        config.sparkConfig().forEach((key, value) -> {
            String path = "config.spark_config[\"" + printable(key) + "\"]";
            if (!key.startsWith("spark.")) {
                problems.add(path, "is not a Spark property (keys start with \"spark.\")");
            }
            else if (RESERVED_SPARK_KEYS.contains(key) || RESERVED_SPARK_PREFIXES.stream().anyMatch(key::startsWith)) {
                problems.add(path, "is set by the platform and cannot be overridden");
            }
            problems.text(path, key, value, "\t");
        });
        if (config.envVars().size() > MAX_ENV_VARS) {
            problems.add("config.env_vars", config.envVars().size() + " variables is more than " + MAX_ENV_VARS);
        }
        config.envVars().forEach((key, value) -> {
            String path = "config.env_vars[\"" + printable(key) + "\"]";
            if (!ENV_NAME.matcher(key).matches()) {
                problems.add(path, "is not an environment variable name (letters, digits and '_', not starting with a digit)");
            }
            // An environment value may span lines (a certificate), but no process can receive a NUL in it.
            problems.text(path, key, value, "\t\n\r");
        });
    }

    /** {@code text} with control characters written as {@code \\uXXXX}, so that a message shows what was sent. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(MAX_KEY_LENGTH).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            }
            else {
                shown.appendCodePoint(c);
            }
        });
        return text.length() > MAX_KEY_LENGTH ? shown + "…" : shown.toString();
    }

    private static void validateCustomJar(CustomJarConfig customJar, Problems problems) {
        String jar = customJar.jarPath();
        if (problems.required("config.custom_jar.jar_path", jar)) {
            if (jar.isBlank()) {
                problems.add("config.custom_jar.jar_path", "must not be blank");
            }
            else if (jar.length() > MAX_JAR_PATH_LENGTH || jar.chars().anyMatch(Character::isISOControl)) {
                problems.add("config.custom_jar.jar_path", "must be at most " + MAX_JAR_PATH_LENGTH
                        + " characters without control characters");
            }
            else if (!jar.endsWith(".jar")) {
                problems.add("config.custom_jar.jar_path", quote(jar) + " is not a .jar file");
            }
        }
        problems.matches("config.custom_jar.main_class", customJar.mainClass(), CLASS_NAME, "a Java class name like com.example.Main");
        if (customJar.args().size() > MAX_ARGS) {
            problems.add("config.custom_jar.args", customJar.args().size() + " arguments is more than " + MAX_ARGS);
        }
        for (int i = 0; i < customJar.args().size() && i < MAX_ARGS; i++) {
            String arg = customJar.args().get(i);
            problems.text("config.custom_jar.args[" + i + "]", "", arg, "\t\n\r");
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            java.net.URI uri = new java.net.URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        }
        catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void validateResources(ResourceConfig resources, Problems problems) {
        DriverConfig driver = resources.driver();
        if (driver != null) {
            problems.between("config.resources.driver.cores", driver.cores(), 1, MAX_CORES);
            problems.size("config.resources.driver.memory", driver.memory());
            problems.size("config.resources.driver.memory_overhead", driver.memoryOverhead());
        }
        ExecutorConfig executor = resources.executor();
        if (executor != null) {
            problems.between("config.resources.executor.instances", executor.instances(), 0, MAX_EXECUTORS);
            problems.between("config.resources.executor.cores", executor.cores(), 1, MAX_CORES);
            problems.size("config.resources.executor.memory", executor.memory());
            problems.size("config.resources.executor.memory_overhead", executor.memoryOverhead());
        }
        boolean minValid = problems.between("config.resources.min_executors", resources.minExecutors(), 0, MAX_EXECUTORS);
        boolean maxValid = problems.between("config.resources.max_executors", resources.maxExecutors(), 0, MAX_EXECUTORS);
        if (executor != null) {
            minValid &= problems.between("config.resources.executor.min_executors", executor.minExecutors(), 0, MAX_EXECUTORS);
            maxValid &= problems.between("config.resources.executor.max_executors", executor.maxExecutors(), 0, MAX_EXECUTORS);
            boolean same = problems.sameInBoth("dynamic_allocation", executor.dynamicAllocation(), resources.dynamicAllocation());
            minValid &= problems.sameInBoth("min_executors", executor.minExecutors(), resources.minExecutors());
            maxValid &= problems.sameInBoth("max_executors", executor.maxExecutors(), resources.maxExecutors());
            if (!same) {
                return;
            }
        }
        if (resources.dynamicAllocationEnabled()) {
            Integer min = resources.effectiveMinExecutors();
            Integer max = resources.effectiveMaxExecutors();
            if (max == null || max == 0) {
                problems.add(resources.dynamicAllocationPath("max_executors"), "must be at least 1 when dynamic_allocation is true");
            }
            else if (minValid && maxValid && min != null && min > max) {
                problems.add(resources.dynamicAllocationPath("min_executors"), min + " is more than max_executors (" + max + ")");
            }
        }
    }

    private static void validateSpec(CoreEtlSpec spec, String prefix, Problems problems) {
        if (spec.sources().isEmpty()) {
            problems.add(prefix + "sources", "must list at least one source");
        }
        Map<String, String> viewNames = new HashMap<>();
        for (int i = 0; i < spec.sources().size(); i++) {
            String path = prefix + "sources[" + i + "]";
            SourceSpec source = spec.sources().get(i);
            if (!problems.required(path, source)) {
                continue;
            }
            if (problems.table(path, source.type(), source.catalog(), source.database(), source.table())
                    && spec.sources().size() > 1) {
                problems.uniqueView(viewNames, path, ".table", source.table(), prefix);
            }
            if (source.filter() != null && source.filter().isBlank()) {
                problems.add(path + ".filter", "must not be blank when given");
            }
        }
        if (spec.transformations().isEmpty() && spec.sources().size() > 1) {
            problems.add(prefix + "transformations", "must list at least one transformation when there are several sources");
        }
        for (int i = 0; i < spec.transformations().size(); i++) {
            String path = prefix + "transformations[" + i + "]";
            TransformationSpec transformation = spec.transformations().get(i);
            if (!problems.required(path, transformation)) {
                continue;
            }
            problems.type(path + ".type", transformation.type(), "sql");
            if (problems.required(path + ".query", transformation.query()) && transformation.query().isBlank()) {
                problems.add(path + ".query", "must not be blank");
            }
            if (transformation.name() != null && problems.identifier(path + ".name", transformation.name())) {
                problems.uniqueView(viewNames, path, ".name", transformation.name(), prefix);
            }
        }
        if (spec.sinks().isEmpty()) {
            problems.add(prefix + "sinks", "must list at least one sink");
        }
        for (int i = 0; i < spec.sinks().size(); i++) {
            String path = prefix + "sinks[" + i + "]";
            SinkSpec sink = spec.sinks().get(i);
            if (!problems.required(path, sink)) {
                continue;
            }
            problems.table(path, sink.type(), sink.catalog(), sink.database(), sink.table());
            for (int j = 0; j < sink.partitionBy().size(); j++) {
                String column = sink.partitionBy().get(j);
                if (column == null || !PARTITION.matcher(column.trim()).matches()) {
                    problems.add(path + ".partition_by[" + j + "]", quote(column)
                            + " is not a column or a transform like days(ts), bucket(16, id)");
                }
            }
        }
    }

    private static String quote(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    /** Collects violations; each check returns whether the value passed. */
    private static final class Problems {
        private final List<Violation> list = new ArrayList<>();

        void add(String field, String message) {
            list.add(new Violation(field, message));
        }

        boolean required(String field, Object value) {
            if (value == null) {
                add(field, "is required");
                return false;
            }
            return true;
        }

        boolean matches(String field, String value, Pattern pattern, String expected) {
            if (!required(field, value)) {
                return false;
            }
            if (!pattern.matcher(value).matches()) {
                add(field, quote(value) + " is not valid (expected " + expected + ")");
                return false;
            }
            return true;
        }

        boolean identifier(String field, String value) {
            return matches(field, value, IDENTIFIER, "an identifier: letters, digits and '_', not starting with a digit");
        }

        /** Checks an Iceberg table reference at {@code path}; returns whether its table name is valid. */
        boolean table(String path, String type, String catalog, String database, String table) {
            type(path + ".type", type, "iceberg");
            identifier(path + ".catalog", catalog);
            identifier(path + ".database", database);
            return identifier(path + ".table", table);
        }

        /** Records {@code name} as a view of the step at {@code path}, reporting a name an earlier step took. */
        void uniqueView(Map<String, String> viewNames, String path, String field, String name, String prefix) {
            String earlier = viewNames.putIfAbsent(name.toLowerCase(Locale.ROOT), path);
            if (earlier != null) {
                add(path + field, "the view name " + quote(name) + " is already taken by " + earlier.substring(prefix.length()));
            }
        }

        void type(String field, String value, String expected) {
            if (required(field, value) && !expected.equalsIgnoreCase(value)) {
                add(field, quote(value) + " is not supported (supported: " + expected + ")");
            }
        }

        /**
         * Whether a dynamic-allocation field has one value: it is set at most in one place ({@code executor} or its
         * alias at {@code resources} level), or to the same value in both.
         */
        boolean sameInBoth(String field, Object atExecutor, Object atResources) {
            if (atExecutor == null || atResources == null || atExecutor.equals(atResources)) {
                return true;
            }
            add("config.resources.executor." + field, atExecutor + " differs from config.resources." + field + " ("
                    + atResources + "); set it in one place (resources." + field + " is an alias)");
            return false;
        }

        boolean between(String field, Integer value, int minimum, int maximum) {
            if (value != null && value < minimum) {
                add(field, value + " is less than " + minimum);
                return false;
            }
            if (value != null && value > maximum) {
                add(field, value + " is more than " + maximum);
                return false;
            }
            return true;
        }

        void size(String field, String value) {
            if (value != null) {
                ByteSize.problem(value).ifPresent(problem -> add(field, problem));
            }
        }

        /**
         * Checks a key and its value for length and control characters ({@code allowed} lists the ones the value may
         * hold); a null value is reported too.
         */
        void text(String path, String key, String value, String allowed) {
            if (key.length() > MAX_KEY_LENGTH) {
                add(path, "the name is longer than " + MAX_KEY_LENGTH + " characters");
            }
            if (key.chars().anyMatch(Character::isISOControl)) {
                add(path, "the name holds a control character");
            }
            if (value == null) {
                add(path, "must not be null");
                return;
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                add(path, "the value is longer than " + MAX_VALUE_LENGTH + " characters");
            }
            value.chars().filter(c -> Character.isISOControl(c) && allowed.indexOf(c) < 0).findFirst().ifPresent(c ->
                    add(path, "the value holds the control character " + String.format("\\u%04x", c)
                            + (c == 0 ? " (NUL), which no process can receive" : "")));
        }
    }
}
