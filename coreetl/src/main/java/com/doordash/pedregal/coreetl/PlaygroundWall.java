package com.doordash.pedregal.coreetl;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.coreetl.internal.CheckingParser;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * The driver's wall around a playground run: Spark SQL extensions that, once this JVM is {@link #arm armed} for a
 * playground namespace such as {@code pedregal.pg_data_infra_user_demo}, refuse every write or DDL whose target is
 * not a table in exactly that catalog and namespace (see {@link PlaygroundGuard} for what is refused and allowed),
 * with a {@link PlaygroundWriteRefusedException}: {@code playground run may write only to pedregal.pg_x: refused
 * INSERT INTO pedregal.raw.events}. Reads, temporary views and writes to tables of the playground stay allowed.
 *
 * <p>Unarmed, the wall does nothing, so every driver installs it: with {@code
 * SparkSession.builder().withExtensions(new PlaygroundWall())} — not through {@code spark.sql.extensions}, which a
 * job could set. A driver runs exactly one job, so the arm is set once per JVM and never changes afterwards.
 *
 * <p>The platform asks for the wall with the Spark property {@value #CONF_KEY}{@code =<catalog>.<namespace>};
 * {@link #armFrom} arms the JVM from it, and refuses to run when the session it gets lacks the wall.
 */
public final class PlaygroundWall implements Function1<SparkSessionExtensions, BoxedUnit> {
    /** The Spark property naming the playground namespace of a run: {@code <catalog>.<namespace>}. */
    public static final String CONF_KEY = "spark.pedregal.playground.namespace";

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final AtomicReference<Playground> ARMED = new AtomicReference<>();
    /** The sessions whose analyzer has the wall's check rule. */
    private static final Map<Object, Boolean> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectCheckRule(session -> {
            INSTALLED.put(session, Boolean.TRUE);
            return plan -> {
                Playground playground = ARMED.get();
                if (playground != null) {
                    PlaygroundGuard.check(plan, playground);
                }
                return BoxedUnit.UNIT;
            };
        });
        // Spark 4.0 runs procedures while it analyzes a CALL, before any check rule.
        extensions.injectParser((session, delegate) -> CheckingParser.wrap(delegate, plan -> {
            Playground playground = ARMED.get();
            if (playground != null) {
                PlaygroundGuard.checkParsed(plan, playground);
            }
        }));
        return BoxedUnit.UNIT;
    }

    /**
     * Arms this JVM's wall for {@code qualifiedNamespace} ({@code <catalog>.<namespace>}, such as {@code pedregal.pg_x}).
     * Arming again for the same namespace changes nothing.
     *
     * @throws IllegalArgumentException when {@code qualifiedNamespace} is not {@code <catalog>.<namespace>}
     * @throws IllegalStateException when the wall is armed for another namespace already
     */
    public static void arm(String qualifiedNamespace) {
        Playground playground = Playground.parse(qualifiedNamespace, CONF_KEY);
        if (!ARMED.compareAndSet(null, playground) && !playground.equals(ARMED.get())) {
            throw new IllegalStateException("the playground wall is armed for " + ARMED.get()
                    + " already; it cannot be changed to " + playground);
        }
    }

    /**
     * Arms the wall from {@code spark}'s {@value #CONF_KEY}, when it is set; does nothing otherwise.
     *
     * @throws IllegalStateException when the property is set but {@code spark} lacks the wall (the run would be
     *     unguarded), or the wall is armed for another namespace already
     * @throws IllegalArgumentException when the property is not {@code <catalog>.<namespace>}
     */
    public static void armFrom(SparkSession spark) {
        String value = spark.conf().get(CONF_KEY, null);
        if (value == null) {
            return;
        }
        if (!installedIn(spark)) {
            throw new IllegalStateException(CONF_KEY + " is set (" + value + ") but this Spark session has no playground"
                    + " wall (it must be built with SparkSession.builder().withExtensions(new PlaygroundWall()));"
                    + " refusing to run a playground job unguarded");
        }
        arm(value);
    }

    /** The namespace this JVM is armed for ({@code <catalog>.<namespace>}), or empty when it is not armed. */
    public static Optional<String> armed() {
        return Optional.ofNullable(ARMED.get()).map(Playground::toString);
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

    /** A playground namespace: one namespace level in one catalog. */
    record Playground(String catalog, String namespace) {
        Playground {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(namespace, "namespace is null");
        }

        /** Reads {@code <catalog>.<namespace>}; a bad value fails naming {@code what} (a property or an option). */
        static Playground parse(String qualifiedNamespace, String what) {
            String text = qualifiedNamespace == null ? "" : qualifiedNamespace.strip();
            int dot = text.indexOf('.');
            if (dot < 0 || !PART.matcher(text.substring(0, dot)).matches() || !PART.matcher(text.substring(dot + 1)).matches()) {
                throw new IllegalArgumentException(what + ": \"" + qualifiedNamespace
                        + "\" is not <catalog>.<namespace> (for example pedregal.pg_team_user_name)");
            }
            return new Playground(text.substring(0, dot), text.substring(dot + 1));
        }

        @Override
        public String toString() {
            return catalog + "." + namespace;
        }
    }
}
