package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.coreetl.DriverWall.Scope;
import com.doordash.pedregal.coreetl.internal.PlanCommands;
import com.doordash.pedregal.coreetl.internal.PlanReads;
import com.doordash.pedregal.coreetl.internal.Plans;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Identifier;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rule behind {@link DriverWall}: walks a plan and refuses every change (see {@link PlanCommands#changes}) that
 * is not allowed in the run's {@link Scope}, and — for a run without code of its own — every read of other than the
 * catalog's tables and every SQL call that reaches the JVM (see {@link PlanReads}). An allowlist, so a command added
 * by a later Spark or Iceberg version is refused until it is listed here.
 *
 * <p>Allowed: what {@link PlanCommands#sessionLocal} allows (temporary views, {@code SET} of other than protected
 * keys — {@code spark.pedregal.*}, catalogs, warehouses —, {@code SHOW}, {@code DESCRIBE}, ...), caching, and on
 * tables of the namespaces the scope covers (a playground's one namespace, or the team's): {@code INSERT}/append/overwrite, {@code CREATE}/{@code REPLACE} (also as
 * select; without a {@code LOCATION} or a property that moves the table's files), {@code DROP}, {@code TRUNCATE},
 * {@code ALTER TABLE} (not {@code RENAME} or {@code SET LOCATION}), Iceberg's partition, identifier-field, ordering,
 * branch and tag changes, {@code DELETE}, {@code UPDATE} and {@code MERGE}; and {@code CREATE NAMESPACE} of a
 * namespace the scope covers.
 *
 * <p>Refused: all of that on any other table; writes to paths ({@code INSERT OVERWRITE DIRECTORY},
 * {@code df.write.parquet(path)}); writes to other data sources; every other namespace change (also dropping the
 * playground's); views and functions in a catalog; {@code CALL}; {@code ADD JAR}.
 */
final class DriverGuard {
    private static final Set<String> TABLE_WRITES = Set.of("AppendData", "OverwriteByExpression",
            "OverwritePartitionsDynamic", "ReplaceData", "WriteDelta", "UpdateTable", "DeleteFromTable", "TruncateTable",
            "TruncatePartition", "AddColumns", "ReplaceColumns", "DropColumns", "RenameColumn", "AlterColumn",
            "AlterColumns", "CommentOnTable", "UnsetTableProperties",
            // Iceberg's extensions; their table is a fully qualified name
            "AddPartitionField", "DropPartitionField", "ReplacePartitionField", "SetIdentifierFields",
            "DropIdentifierFields", "SetWriteDistributionAndOrdering", "CreateOrReplaceBranch", "CreateOrReplaceTag",
            "DropBranch", "DropTag");
    private static final Set<String> TABLE_CREATES = Set.of("CreateTable", "CreateTableAsSelect", "ReplaceTable",
            "ReplaceTableAsSelect");

    private DriverGuard() {
    }

    /** The catalog whose tables a run without code of its own may read. */
    private static final Set<String> READABLE_CATALOGS = Set.of("pedregal");

    /**
     * Throws {@link WriteRefusedException} when {@code plan} changes anything outside {@code scope} or, without custom
     * code, reads other than tables or reaches the JVM.
     */
    static void check(LogicalPlan plan, Scope scope) {
        for (LogicalPlan node : PlanReads.nodes(plan)) {
            if (PlanCommands.changes(node) && !PlanCommands.sessionLocal(node) && !PlanCommands.cache(node)
                    && !allowed(node, scope)) {
                throw new WriteRefusedException(message(node, scope));
            }
            if (!scope.customCode()) {
                PlanReads.refusedCode(node).ifPresent(code -> {
                    throw new WriteRefusedException(who(scope) + " may not run code of its own: refused " + code
                            + (scope.playground() ? "" : " (policy.custom-code.teams)"));
                });
                PlanReads.refusedRead(node, READABLE_CATALOGS).ifPresent(read -> {
                    throw new WriteRefusedException(who(scope) + " reads tables only: refused " + read);
                });
            }
        }
    }

    /**
     * Refuses a parsed plan that runs a procedure (Spark 4.0 executes CALL during analysis, before check rules) or, without
     * custom code, names a path or a table outside the warehouse.
     */
    static void checkParsed(LogicalPlan plan, Scope scope) {
        for (LogicalPlan node : PlanReads.nodes(plan)) {
            if (PlanCommands.call(node)) {
                throw new WriteRefusedException(message(node, scope));
            }
        }
        if (!scope.customCode()) {
            PlanReads.refusedName(plan).ifPresent(name -> {
                throw new WriteRefusedException(who(scope) + " reads tables only: refused " + name
                        + " (a path, or a name that leaves the warehouse)");
            });
        }
    }

    static String message(LogicalPlan node, Scope scope) {
        String target = PlanCommands.target(node).map(t -> " " + t).orElse("");
        return scope.describe() + ": refused " + PlanCommands.verb(node) + target;
    }

    private static String who(Scope scope) {
        return scope.playground() ? "a playground run" : scope.who();
    }

    private static boolean allowed(LogicalPlan node, Scope scope) {
        String name = Plans.simpleName(node);
        if (TABLE_WRITES.contains(name)) {
            return covered(Plans.call(node, "table"), scope);
        }
        if (TABLE_CREATES.contains(name)) {
            return covered(Plans.call(node, "name"), scope) && specKeepsItsFiles(Plans.call(node, "tableSpec"));
        }
        return switch (name) {
            case "MergeIntoTable" -> covered(Plans.call(node, "targetTable"), scope);
            case "DropTable" -> covered(Plans.call(node, "child"), scope);
            case "SetTableProperties" -> covered(Plans.call(node, "table"), scope)
                    && Plans.call(node, "properties").map(DriverGuard::propertiesKeepItsFiles).orElse(false);
            case "CreateNamespace" -> qualifiedName(Plans.call(node, "name"))
                    .filter(parts -> parts.size() == 2 && PlanReads.safeName(parts) && !parts.get(1).contains("*")
                            && scope.covers(parts.get(0), parts.get(1))).isPresent();
            default -> false;
        };
    }

    private static boolean covered(Optional<Object> target, Scope scope) {
        return qualifiedName(target).filter(parts -> parts.size() == 3 && PlanReads.safeName(parts)
                && scope.covers(parts.get(0), parts.get(1))).isPresent();
    }

    /**
     * The catalog, namespace and name of a resolved table, identifier or namespace; of an Iceberg command's table
     * name (which must then be fully qualified); empty when it is not known (a path, a v1 table).
     */
    private static Optional<List<String>> qualifiedName(Optional<Object> target) {
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Object value = target.get();
        if (value instanceof scala.collection.Seq<?> seq) {
            List<String> parts = new ArrayList<>();
            for (Object part : CollectionConverters.asJava(seq)) {
                if (!(part instanceof String text)) {
                    return Optional.empty();
                }
                parts.add(text);
            }
            return Optional.of(parts);
        }
        String name = Plans.simpleName(value);
        if (name.equals("SubqueryAlias")) {
            return qualifiedName(Plans.call(value, "child"));
        }
        Optional<String> catalog = Plans.call(value, "catalog").flatMap(c -> Plans.call(c, "name")).map(Object::toString);
        if (catalog.isEmpty()) {
            return Optional.empty();
        }
        Optional<Object> identifier = Plans.call(value, "identifier");
        if (identifier.isPresent() && identifier.get() instanceof Identifier ident) {
            List<String> parts = new ArrayList<>(List.of(catalog.get()));
            parts.addAll(List.of(ident.namespace()));
            parts.add(ident.name());
            return Optional.of(parts);
        }
        if (name.equals("ResolvedNamespace")) {
            return Plans.call(value, "namespace").flatMap(namespace -> qualifiedName(Optional.of(namespace)))
                    .map(namespace -> {
                        List<String> parts = new ArrayList<>(List.of(catalog.get()));
                        parts.addAll(namespace);
                        return parts;
                    });
        }
        return Optional.empty();
    }

    /** Whether a table spec leaves the table's files where its catalog puts them: no location, no path property. */
    private static boolean specKeepsItsFiles(Optional<Object> tableSpec) {
        if (tableSpec.isEmpty()) {
            return true;
        }
        Object spec = tableSpec.get();
        if (Plans.call(spec, "location").isPresent()) {
            return false;
        }
        for (String method : new String[] {"properties", "options"}) {
            Optional<Object> map = Plans.call(spec, method);
            if (map.isPresent() && !propertiesKeepItsFiles(map.get())) {
                return false;
            }
        }
        return true;
    }

    private static boolean propertiesKeepItsFiles(Object properties) {
        if (!(properties instanceof scala.collection.Map<?, ?> map)) {
            return true;
        }
        for (Object key : CollectionConverters.asJava(map.keys())) {
            String lower = String.valueOf(key).toLowerCase(Locale.ROOT);
            if (lower.equals("location") || lower.equals("path") || lower.endsWith(".path") || lower.contains("location")) {
                return false;
            }
        }
        return true;
    }
}
