package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.coreetl.PlaygroundWall.Playground;
import com.doordash.pedregal.coreetl.internal.PlanCommands;
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
 * The rule behind {@link PlaygroundWall}: walks a plan and refuses every change (see {@link PlanCommands#changes}) that
 * is not allowed in a playground run. An allowlist, so a command added by a later Spark or Iceberg version is refused
 * until it is listed here.
 *
 * <p>Allowed: what {@link PlanCommands#sessionLocal} allows (temporary views, {@code SET} of other than protected
 * keys — {@code spark.pedregal.*}, catalogs, warehouses —, {@code SHOW}, {@code DESCRIBE}, ...), caching, and on
 * tables of the playground namespace: {@code INSERT}/append/overwrite, {@code CREATE}/{@code REPLACE} (also as
 * select; without a {@code LOCATION} or a property that moves the table's files), {@code DROP}, {@code TRUNCATE},
 * {@code ALTER TABLE} (not {@code RENAME} or {@code SET LOCATION}), Iceberg's partition, identifier-field, ordering,
 * branch and tag changes, {@code DELETE}, {@code UPDATE} and {@code MERGE}; and {@code CREATE NAMESPACE} of the
 * playground namespace itself.
 *
 * <p>Refused: all of that on any other table; writes to paths ({@code INSERT OVERWRITE DIRECTORY},
 * {@code df.write.parquet(path)}); writes to other data sources; every other namespace change (also dropping the
 * playground's); views and functions in a catalog; {@code CALL}; {@code ADD JAR}.
 */
final class PlaygroundGuard {
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

    private PlaygroundGuard() {
    }

    /** Throws {@link PlaygroundWriteRefusedException} when {@code plan} changes anything outside {@code playground}. */
    static void check(LogicalPlan plan, Playground playground) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            if (PlanCommands.changes(node) && !PlanCommands.sessionLocal(node) && !PlanCommands.cache(node)
                    && !allowed(node, playground)) {
                throw new PlaygroundWriteRefusedException(message(node, playground));
            }
        }
    }

    /** Refuses a parsed plan that runs a procedure: Spark 4.0 executes CALL during analysis, before check rules. */
    static void checkParsed(LogicalPlan plan, Playground playground) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            if (PlanCommands.call(node)) {
                throw new PlaygroundWriteRefusedException(message(node, playground));
            }
        }
    }

    static String message(LogicalPlan node, Playground playground) {
        String target = PlanCommands.target(node).map(t -> " " + t).orElse("");
        return "playground run may write only to " + playground + ": refused " + PlanCommands.verb(node) + target;
    }

    private static boolean allowed(LogicalPlan node, Playground playground) {
        String name = Plans.simpleName(node);
        if (TABLE_WRITES.contains(name)) {
            return inPlayground(Plans.call(node, "table"), playground);
        }
        if (TABLE_CREATES.contains(name)) {
            return inPlayground(Plans.call(node, "name"), playground) && specKeepsItsFiles(Plans.call(node, "tableSpec"));
        }
        return switch (name) {
            case "MergeIntoTable" -> inPlayground(Plans.call(node, "targetTable"), playground);
            case "DropTable" -> inPlayground(Plans.call(node, "child"), playground);
            case "SetTableProperties" -> inPlayground(Plans.call(node, "table"), playground)
                    && Plans.call(node, "properties").map(PlaygroundGuard::propertiesKeepItsFiles).orElse(false);
            case "CreateNamespace" -> qualifiedName(Plans.call(node, "name"))
                    .filter(parts -> parts.equals(List.of(playground.catalog(), playground.namespace()))).isPresent();
            default -> false;
        };
    }

    private static boolean inPlayground(Optional<Object> target, Playground playground) {
        return qualifiedName(target).filter(parts -> parts.size() == 3 && parts.get(0).equals(playground.catalog())
                && parts.get(1).equals(playground.namespace())).isPresent();
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
