package com.doordash.pedregal.coreetl;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.coreetl.internal.CheckingParser;
import com.doordash.pedregal.model.driver.DriverConf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * The driver's wall around a job: Spark SQL extensions that, once this JVM is {@link #arm armed} with a job's
 * {@link Scope}, refuse at analysis every write or DDL whose target is not a table of a namespace the job may write, and
 * — unless the job's team may run code of its own — every SQL call that reaches the JVM ({@code reflect}, {@code
 * java_method}, functions from classes). See {@link DriverGuard} for what is refused and allowed. Refusals are a
 * {@link WriteRefusedException}: {@code playground run may write only to pedregal.pg_x: refused INSERT INTO
 * pedregal.raw.events}, {@code team ads may write only to pedregal.ads: refused INSERT INTO pedregal.derived.orders}.
 *
 * <p>Unarmed, the wall does nothing, so every driver installs it: with {@code
 * SparkSession.builder().withExtensions(new DriverWall())} — not through {@code spark.sql.extensions}, which a job could
 * set — and a custom jar's driver through {@code spark.sql.extensions} set by the platform. A driver runs exactly one job,
 * so the arm is set once per JVM and never changes afterwards.
 *
 * <p>The platform arms the wall with Spark properties: {@value #PLAYGROUND_CONF}{@code =<catalog>.<namespace>} for a
 * playground run, else {@value #WRITE_NAMESPACES_CONF}{@code =<catalog>.<namespace pattern>,...} (empty: no writes at
 * all), with {@value #TEAM_CONF} and {@value #CUSTOM_CODE_CONF}. {@link #armFrom} arms the JVM from a session's
 * properties and refuses to run when the session lacks the wall; a session with the wall that is not armed yet arms
 * itself from its SparkContext's properties on its first check.
 */
public final class DriverWall implements Function1<SparkSessionExtensions, BoxedUnit> {
    /** The Spark property naming the playground namespace of a run: {@code <catalog>.<namespace>}. */
    public static final String PLAYGROUND_CONF = DriverConf.PLAYGROUND_NAMESPACE;
    /** The namespaces a run outside playgrounds may write: {@code <catalog>.<namespace pattern>}, comma-separated. */
    public static final String WRITE_NAMESPACES_CONF = DriverConf.WRITE_NAMESPACES;
    /** {@code true} when the run's SQL may reach the JVM ({@code reflect}, functions from classes). */
    public static final String CUSTOM_CODE_CONF = DriverConf.CUSTOM_CODE;
    /** The run's team, for messages. */
    public static final String TEAM_CONF = DriverConf.TEAM;

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern NAMESPACE_PATTERN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_*]{0,127}");
    private static final AtomicReference<Scope> ARMED = new AtomicReference<>();
    /** The sessions whose analyzer has the wall's check rule. */
    private static final Map<Object, Boolean> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectCheckRule(session -> {
            INSTALLED.put(session, Boolean.TRUE);
            return plan -> {
                Scope scope = armedIn(session);
                if (scope != null) {
                    DriverGuard.check(plan, scope);
                }
                return BoxedUnit.UNIT;
            };
        });
        // Spark 4.0 runs procedures while it analyzes a CALL, before any check rule.
        extensions.injectParser((session, delegate) -> CheckingParser.wrap(delegate, plan -> {
            Scope scope = armedIn(session);
            if (scope != null) {
                DriverGuard.checkParsed(plan, scope);
            }
        }));
        return BoxedUnit.UNIT;
    }

    /** The arm, or — when none is set yet — the one {@code session}'s SparkContext asks for (a custom jar's session). */
    private static Scope armedIn(SparkSession session) {
        Scope scope = ARMED.get();
        if (scope != null) {
            return scope;
        }
        Scope asked = Scope.fromConf(key -> {
            scala.Option<String> value = session.sparkContext().conf().getOption(key);
            return value.isDefined() ? Optional.of(value.get()) : Optional.empty();
        });
        if (asked != null) {
            ARMED.compareAndSet(null, asked);
        }
        return ARMED.get();
    }

    /**
     * Arms this JVM's wall for a playground run in {@code qualifiedNamespace} ({@code <catalog>.<namespace>}, such as
     * {@code pedregal.pg_x}). Arming again for the same namespace changes nothing.
     *
     * @throws IllegalArgumentException when {@code qualifiedNamespace} is not {@code <catalog>.<namespace>}
     * @throws IllegalStateException when the wall is armed otherwise already
     */
    public static void arm(String qualifiedNamespace) {
        arm(Scope.playground(qualifiedNamespace));
    }

    /**
     * Arms this JVM's wall with {@code scope}; arming again with an equal scope changes nothing.
     *
     * @throws IllegalStateException when the wall is armed otherwise already
     */
    public static void arm(Scope scope) {
        requireNonNull(scope, "scope is null");
        if (!ARMED.compareAndSet(null, scope) && !scope.equals(ARMED.get())) {
            throw new IllegalStateException("the driver's wall is armed for " + ARMED.get().describe()
                    + " already; it cannot be changed to " + scope.describe());
        }
    }

    /**
     * Arms the wall from {@code spark}'s properties ({@value #PLAYGROUND_CONF}, else {@value #WRITE_NAMESPACES_CONF}),
     * when one is set; does nothing otherwise.
     *
     * @throws IllegalStateException when a property is set but {@code spark} lacks the wall (the run would be
     *     unguarded), or the wall is armed otherwise already
     * @throws IllegalArgumentException when a property is malformed
     */
    public static void armFrom(SparkSession spark) {
        Scope scope = Scope.fromConf(key -> Optional.ofNullable(spark.conf().get(key, null)));
        if (scope == null) {
            return;
        }
        if (!installedIn(spark)) {
            throw new IllegalStateException("the driver's wall is asked for (" + scope.describe() + ") but this Spark"
                    + " session has none (it must be built with SparkSession.builder().withExtensions(new DriverWall()));"
                    + " refusing to run the job unguarded");
        }
        arm(scope);
    }

    /** What this JVM is armed with, or empty when it is not armed. */
    public static Optional<Scope> armed() {
        return Optional.ofNullable(ARMED.get());
    }

    /** Whether {@code spark} was built with the wall. */
    public static boolean installedIn(SparkSession spark) {
        requireNonNull(spark, "spark is null");
        // The analyzer, and with it the check rules, is built on first use: analyze a trivial query first.
        spark.sql("SELECT 1").schema();
        return INSTALLED.containsKey(spark);
    }

    /** For tests of this package only: a JVM running jobs is never disarmed. */
    static void disarm() {
        ARMED.set(null);
    }

    /**
     * What a run may do: write the tables of {@code writable} namespaces (each {@code <catalog>.<namespace pattern>},
     * {@code *} standing for any text), and, with {@code customCode}, reach the JVM from SQL.
     *
     * @param who the run, for messages: {@code playground run} or {@code team ads}
     * @param playground whether the run is a playground's (its one namespace is {@code writable})
     * @param writable the namespaces the run may write
     * @param customCode whether the run's SQL may reach the JVM
     */
    public record Scope(String who, boolean playground, List<String> writable, boolean customCode) {
        public Scope {
            requireNonNull(who, "who is null");
            writable = List.copyOf(writable);
        }

        /** A playground run's scope: its one namespace, no code of its own. */
        public static Scope playground(String qualifiedNamespace) {
            String text = qualifiedNamespace == null ? "" : qualifiedNamespace.strip();
            int dot = text.indexOf('.');
            if (dot < 0 || !PART.matcher(text.substring(0, dot)).matches() || !PART.matcher(text.substring(dot + 1)).matches()) {
                throw new IllegalArgumentException(PLAYGROUND_CONF + ": \"" + qualifiedNamespace
                        + "\" is not <catalog>.<namespace> (for example pedregal.pg_team_user_name)");
            }
            return new Scope("playground run", true, List.of(text), false);
        }

        /** A team's run outside playgrounds: {@code writable} is {@code <catalog>.<pattern>,...}, empty for none. */
        public static Scope team(String team, String writable, boolean customCode) {
            List<String> namespaces = new ArrayList<>();
            for (String entry : writable.split(",")) {
                String text = entry.strip();
                if (text.isEmpty()) {
                    continue;
                }
                int dot = text.indexOf('.');
                if (dot < 0 || !PART.matcher(text.substring(0, dot)).matches()
                        || !NAMESPACE_PATTERN.matcher(text.substring(dot + 1)).matches()) {
                    throw new IllegalArgumentException(WRITE_NAMESPACES_CONF + ": \"" + text
                            + "\" is not <catalog>.<namespace pattern> (for example pedregal.ads_*)");
                }
                namespaces.add(text);
            }
            return new Scope("team " + team, false, namespaces, customCode);
        }

        /** The scope the properties of {@code conf} ask for, or null when they ask for none. */
        static Scope fromConf(Function<String, Optional<String>> conf) {
            Optional<String> playground = conf.apply(PLAYGROUND_CONF);
            if (playground.isPresent()) {
                return playground(playground.get());
            }
            Optional<String> writable = conf.apply(WRITE_NAMESPACES_CONF);
            if (writable.isEmpty()) {
                return null;
            }
            return team(conf.apply(TEAM_CONF).orElse("(unknown)"), writable.get(),
                    conf.apply(CUSTOM_CODE_CONF).map("true"::equalsIgnoreCase).orElse(false));
        }

        /** Whether the run may write tables of {@code namespace} in {@code catalog}. */
        boolean covers(String catalog, String namespace) {
            String lower = namespace.toLowerCase(Locale.ROOT);
            if (!playground && lower.startsWith("pg_")) {
                return false; // a playground's namespace is written only by a run in it
            }
            for (String entry : writable) {
                int dot = entry.indexOf('.');
                if (entry.substring(0, dot).equals(catalog) && glob(entry.substring(dot + 1).toLowerCase(Locale.ROOT), lower)) {
                    return true;
                }
            }
            return false;
        }

        /** {@code playground run may write only to pedregal.pg_x}, {@code team growth may write no table}. */
        String describe() {
            return writable.isEmpty() ? who + " may write no table" : who + " may write only to " + String.join(", ", writable);
        }

        private static boolean glob(String pattern, String value) {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
            }
            return value.matches(regex.toString());
        }
    }
}
