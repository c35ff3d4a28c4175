package com.doordash.pedregal.runner.policy;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.SessionSettings;
import com.doordash.pedregal.model.SparkJobConfig;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PolicyViolationException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.sql.SqlStatements;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's policy applied to every submitted job, whatever the protocol (REST, gRPC, manifests): which
 * {@code spark_config} keys and environment variables a team may set, who may run code of their own and from where,
 * which namespaces a job may write, and where its callback may go (see {@link CallbackTargets}). Every refusal names
 * the field and the rule.
 */
public final class SubmitPolicy {
    /** The catalog jobs write to. */
    public static final String CATALOG = "pedregal";
    /** The prefix of playground namespaces; only a run in that playground writes one. */
    public static final String PLAYGROUND_PREFIX = "pg_";
    /** Confines a run's writes: {@code <catalog>.<namespace pattern>, ...}; read by the driver's wall. */
    public static final String WRITE_NAMESPACES_CONF = DriverConf.WRITE_NAMESPACES;
    /** Whether the driver lets the job's SQL reach the JVM ({@code reflect}, functions from classes). */
    public static final String CUSTOM_CODE_CONF = DriverConf.CUSTOM_CODE;

    private final PolicyConfig config;
    private final CallbackTargets callbacks;

    public SubmitPolicy(PolicyConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.callbacks = new CallbackTargets(config.callbackAllowedHosts());
    }

    /** Where callbacks may go; the server adds its own ports, which no callback may reach. */
    public CallbackTargets callbacks() {
        return callbacks;
    }

    /**
     * Refuses {@code request}, to run in {@code namespace} ({@code default} or a playground's), with every rule it breaks:
     * {@link ErrorCode#POLICY_VIOLATION} for settings, variables, code and callbacks, {@link ErrorCode#PERMISSION_DENIED}
     * when only its writes are outside the team's namespaces.
     */
    public void check(SubmitJobRequest request, String namespace) {
        String team = request.team();
        boolean playground = isPlayground(namespace);
        List<Violation> refused = new ArrayList<>();
        SparkJobConfig job = request.config();
        job.sparkConfig().forEach((key, value) -> sparkConfigRefusal(team, playground, key, value)
                .ifPresent(reason -> refused.add(new Violation("config.spark_config[\"" + key + "\"]", reason))));
        job.envVars().keySet().forEach(name -> Patterns.firstMatch(config.envVarsDenied(), name).ifPresent(pattern ->
                refused.add(new Violation("config.env_vars[\"" + name + "\"]", "is refused by policy.env-vars.denied ("
                        + pattern + "): it changes how the driver's JVM, shell or Spark start"))));
        if (job.customJar() != null) {
            customCodeRefusal(team, playground, "custom jars run code of the team's own").ifPresent(reason ->
                    refused.add(new Violation("config.custom_jar", reason)));
            jarLocationRefusal(job.customJar().jarPath()).ifPresent(reason ->
                    refused.add(new Violation("config.custom_jar.jar_path", reason)));
        }
        if (request.callbackUrl() != null) {
            callbacks.refusal(request.callbackUrl(), false).ifPresent(reason ->
                    refused.add(new Violation("callback_url", reason)));
        }
        List<Violation> writes = new ArrayList<>();
        if (job.coreEtl() != null && job.coreEtl().jobSpec() != null) {
            CoreEtlSpec spec = job.coreEtl().jobSpec();
            for (int i = 0; i < spec.transformations().size(); i++) {
                String query = spec.transformations().get(i).query();
                String field = "config.core_etl.job_spec.transformations[" + i + "].query";
                if (query == null) {
                    continue;
                }
                SqlStatements.knownWrite(query).ifPresent(verb -> writes.add(new Violation(field, "is not a query ("
                        + verb + "): a transformation is a query, and only the sinks write its result")));
                jvmCallRefusal(team, playground, query).ifPresent(reason -> refused.add(new Violation(field, reason)));
            }
            for (int i = 0; i < spec.sources().size(); i++) {
                String filter = spec.sources().get(i).filter();
                String field = "config.core_etl.job_spec.sources[" + i + "].filter";
                if (filter != null) {
                    jvmCallRefusal(team, playground, filter).ifPresent(reason -> refused.add(new Violation(field, reason)));
                }
            }
            List<SinkSpec> sinks = spec.sinks();
            for (int i = 0; i < sinks.size(); i++) {
                int index = i;
                writeRefusal(team, namespace, sinks.get(i)).ifPresent(reason ->
                        writes.add(new Violation("config.core_etl.job_spec.sinks[" + index + "]", reason)));
            }
        }
        if (!refused.isEmpty()) {
            refused.addAll(writes);
            throw new PolicyViolationException(ErrorCode.POLICY_VIOLATION, refused);
        }
        if (!writes.isEmpty()) {
            throw new PolicyViolationException(ErrorCode.PERMISSION_DENIED, writes);
        }
    }

    /** Whether jobs of {@code team} in {@code namespace} may run code of their own. */
    public boolean allowsCustomCode(String team, String namespace) {
        return !isPlayground(namespace) && config.customCodeTeams().contains(team);
    }

    /**
     * The platform settings a driver of {@code team} in {@code namespace} runs with: the namespaces it may write
     * ({@value #WRITE_NAMESPACES_CONF}, for a playground its namespace alone) and whether its SQL may reach the JVM
     * ({@value #CUSTOM_CODE_CONF}).
     */
    public Map<String, String> driverConf(String team, String namespace) {
        Map<String, String> conf = new LinkedHashMap<>();
        List<String> writable = isPlayground(namespace) ? List.of(namespace) : grants(team);
        conf.put(WRITE_NAMESPACES_CONF, String.join(",", writable.stream().map(ns -> CATALOG + "." + ns).toList()));
        conf.put(CUSTOM_CODE_CONF, Boolean.toString(allowsCustomCode(team, namespace)));
        return conf;
    }

    private List<String> grants(String team) {
        return config.writeNamespaces().getOrDefault(team, List.of());
    }

    private Optional<String> sparkConfigRefusal(String team, boolean playground, String key, String value) {
        if (Patterns.firstMatch(config.customCodeSparkConfig(), key).isPresent()) {
            Optional<String> refusal = customCodeRefusal(team, playground, key + " loads code of the job's own");
            if (refusal.isPresent() || !key.equals("spark.jars")) {
                return refusal;
            }
            for (String jar : value.split(",")) {
                Optional<String> location = jarLocationRefusal(jar.strip());
                if (location.isPresent()) {
                    return location;
                }
            }
            return Optional.empty();
        }
        Optional<String> denied = Patterns.firstMatch(config.sparkConfigDenied(), key);
        if (denied.isPresent()) {
            return Optional.of("is refused by policy.spark-config.denied (" + denied.get() + ")");
        }
        if (key.startsWith("spark.sql.")) {
            Optional<String> session = SessionSettings.whyRefused(key);
            if (session.isPresent()) {
                return Optional.of("is refused: " + session.get());
            }
        }
        if (Patterns.firstMatch(config.sparkConfigAllowed(), key).isEmpty()) {
            return Optional.of("is not one of the settings a team may set (policy.spark-config.allowed: session"
                    + " spark.sql.* settings, executor and dynamic allocation sizes, and Spark tuning; see the README)");
        }
        return Optional.empty();
    }

    /** Why {@code sql} may not call into the JVM for {@code team}, when it does. */
    private Optional<String> jvmCallRefusal(String team, boolean playground, String sql) {
        return SqlStatements.jvmCall(sql).flatMap(call -> customCodeRefusal(team, playground, call + "() calls into the JVM"));
    }

    private Optional<String> customCodeRefusal(String team, boolean playground, String what) {
        if (playground) {
            return Optional.of(what + ", which is never allowed in a playground");
        }
        if (!config.customCodeTeams().contains(team)) {
            return Optional.of(what + ", which only teams in policy.custom-code.teams may do (team " + team
                    + " is not one)");
        }
        return Optional.empty();
    }

    /** Why a jar may not be loaded from {@code jar}, or empty when it lies under a configured location. */
    Optional<String> jarLocationRefusal(String jar) {
        String where = config.jarLocations().isEmpty() ? "none is configured"
                : String.join(", ", config.jarLocations());
        String refusal = "\"" + jar + "\" is not under policy.custom-code.jar-locations (" + where + ")";
        if (jar.startsWith("http://") || jar.startsWith("https://")) {
            try {
                URI uri = new URI(jar);
                if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                        || uri.getPath() == null || !uri.normalize().getPath().equals(uri.getPath())
                        || uri.getPath().contains("/../") || uri.getPath().endsWith("/..")) {
                    return Optional.of(refusal + ": a jar URL has no credentials, query, fragment or '..'");
                }
                String normalized = uri.normalize().toString();
                return config.jarLocations().stream()
                        .filter(location -> location.startsWith("http"))
                        .anyMatch(location -> normalized.startsWith(location.endsWith("/") ? location : location + "/"))
                        ? Optional.empty() : Optional.of(refusal);
            }
            catch (URISyntaxException e) {
                return Optional.of(refusal + ": not a valid URL");
            }
        }
        Path path;
        try {
            path = Path.of(jar);
        }
        catch (RuntimeException e) {
            return Optional.of(refusal + ": not a valid path");
        }
        if (!path.isAbsolute() || !path.normalize().equals(path)) {
            return Optional.of(refusal + ": a jar path is absolute and has no '.' or '..'");
        }
        return config.jarLocations().stream()
                .filter(location -> location.startsWith("/"))
                .anyMatch(location -> path.startsWith(Path.of(location)))
                ? Optional.empty() : Optional.of(refusal);
    }

    private Optional<String> writeRefusal(String team, String namespace, SinkSpec sink) {
        if (sink.catalog() == null || sink.database() == null || sink.table() == null) {
            return Optional.empty(); // the validator reports it
        }
        String target = sink.catalog() + "." + sink.database() + "." + sink.table();
        if (!CATALOG.equals(sink.catalog())) {
            return Optional.of("jobs write to tables of the " + CATALOG + " catalog only; " + target + " is not one");
        }
        String database = sink.database().toLowerCase(Locale.ROOT);
        if (isPlayground(namespace)) {
            return database.equals(namespace.toLowerCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of("a run in playground " + CATALOG + "." + namespace + " writes only there; " + target
                            + " is outside it");
        }
        if (database.startsWith(PLAYGROUND_PREFIX)) {
            return Optional.of(CATALOG + "." + sink.database() + " is a playground's namespace: only a run in that"
                    + " playground writes it (team " + team + " may not write " + target + ")");
        }
        List<String> grants = grants(team);
        if (Patterns.firstMatchIgnoringCase(grants, sink.database()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("team " + team + " may not write " + target + ": "
                + (grants.isEmpty() ? "no namespace is granted to it" : "its jobs write only to namespaces "
                        + String.join(", ", grants) + " of " + CATALOG)
                + " (policy.write-namespaces." + team + ")");
    }

    private static boolean isPlayground(String namespace) {
        return namespace.toLowerCase(Locale.ROOT).startsWith(PLAYGROUND_PREFIX);
    }
}
