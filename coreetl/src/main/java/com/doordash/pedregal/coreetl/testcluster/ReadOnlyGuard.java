package com.doordash.pedregal.coreetl.testcluster;

import com.doordash.pedregal.coreetl.internal.PlanCommands;
import com.doordash.pedregal.coreetl.internal.PlanReads;
import com.doordash.pedregal.coreetl.internal.Plans;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Identifier;

/**
 * The allowlist behind {@link ReadOnlyExtensions}: the shared test cluster reads tables and writes nothing. It walks a
 * plan (also its subqueries) and refuses
 * <ul>
 *   <li>every change that is not local to the session (see {@link PlanCommands#sessionLocal}), so a command added by
 *       a later Spark or Iceberg version is refused until it is listed there — {@code the test cluster is read-only:
 *       ...};</li>
 *   <li>caching in any form ({@code CACHE TABLE}, {@code UNCACHE TABLE}, {@code CLEAR CACHE}): the cache manager lives
 *       in the shared state, so caching takes memory from every user and clearing it affects them all;</li>
 *   <li>global temporary views (create, replace, drop, read): the {@code global_temp} database is shared by every user
 *       of the cluster;</li>
 *   <li>every read of other than tables of the {@code pedregal} catalog, and every SQL call that reaches the JVM or
 *       runs a program ({@link PlanReads}) — {@code the test cluster reads tables only: refused ...}.</li>
 * </ul>
 */
final class ReadOnlyGuard {
    private static final Set<String> READABLE_CATALOGS = Set.of("pedregal");
    private static final String GLOBAL_TEMP = "global_temp";

    private ReadOnlyGuard() {
    }

    /** Throws {@link ReadOnlyViolationException} when {@code plan} writes, reads other than tables or runs code. */
    static void check(LogicalPlan plan) {
        for (LogicalPlan node : PlanReads.nodes(plan)) {
            if (PlanCommands.changes(node) && !PlanCommands.sessionLocal(node)) {
                throw new ReadOnlyViolationException(message(node));
            }
            globalTempView(node).ifPresent(view -> {
                throw new ReadOnlyViolationException("the test cluster keeps views to each session: refused the global"
                        + " temporary view " + view + " (global_temp is shared by every user; use a temporary view)");
            });
            PlanReads.refusedCode(node).ifPresent(code -> {
                throw new ReadOnlyViolationException(tablesOnly(code));
            });
            PlanReads.refusedRead(node, READABLE_CATALOGS).ifPresent(read -> {
                throw new ReadOnlyViolationException(tablesOnly(read));
            });
        }
    }

    /**
     * Refuses a parsed plan that runs a procedure (Spark 4.0 executes CALL during analysis, before check rules) or names a
     * path or a table outside the warehouse (a data source would read it while the plan is analyzed).
     */
    static void checkParsed(LogicalPlan plan) {
        for (LogicalPlan node : PlanReads.nodes(plan)) {
            if (PlanCommands.call(node)) {
                throw new ReadOnlyViolationException(message(node));
            }
        }
        PlanReads.refusedName(plan).ifPresent(name -> {
            throw new ReadOnlyViolationException(tablesOnly(name + " (a path, or a name that leaves the warehouse)"));
        });
    }

    static String message(LogicalPlan node) {
        String target = PlanCommands.target(node).map(t -> " " + t).orElse("");
        return "the test cluster is read-only: " + PlanCommands.verb(node) + target
                + " is not allowed (writes happen in 'run', in a playground)";
    }

    private static String tablesOnly(String what) {
        return "the test cluster reads tables only: refused " + what;
    }

    /** The global temporary view {@code node} creates, drops or reads, if any. */
    private static Optional<String> globalTempView(LogicalPlan node) {
        String name = Plans.simpleName(node);
        switch (name) {
            case "CreateViewCommand":
                return Plans.call(node, "viewType").filter(type -> type.toString().startsWith("Global"))
                        .map(type -> Plans.call(node, "name").map(Object::toString).orElse("?"));
            case "CreateTempViewUsing":
                return Plans.call(node, "global").filter(Boolean.TRUE::equals)
                        .map(global -> Plans.call(node, "tableIdent").map(Object::toString).orElse("?"));
            case "DropTempViewCommand":
                return Plans.call(node, "ident").filter(Identifier.class::isInstance).map(Identifier.class::cast)
                        .filter(ident -> List.of(ident.namespace()).stream().anyMatch(ReadOnlyGuard::isGlobalTemp))
                        .map(Identifier::toString);
            case "View":
                return Plans.call(node, "desc").flatMap(desc -> Plans.call(desc, "identifier"))
                        .filter(identifier -> Plans.call(identifier, "database").map(Object::toString)
                                .filter(ReadOnlyGuard::isGlobalTemp).isPresent())
                        .map(Object::toString);
            default:
                return Optional.empty();
        }
    }

    private static boolean isGlobalTemp(String database) {
        return GLOBAL_TEMP.equals(database.toLowerCase(Locale.ROOT));
    }
}
