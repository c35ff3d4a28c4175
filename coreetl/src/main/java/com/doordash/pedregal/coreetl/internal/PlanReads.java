package com.doordash.pedregal.coreetl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Identifier;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What a guarded session may read and run (not an API: for coreetl only). Both the test cluster's read-only guard and
 * the wall of a job without custom code allow reading tables of the platform's catalog and nothing else:
 * <ul>
 *   <li>{@link #refusedRead} — a leaf of a plan that is not a table of an allowed catalog, a local relation, a range or a
 *       CTE reference: path-based data sources ({@code text.`/etc/passwd`}, {@code spark.read.json(path)}), JDBC, Hive,
 *       streams, views over data sources; and table names that leave the warehouse ({@code pedregal.`../db`.x});</li>
 *   <li>{@link #refusedCode} — SQL that reaches the JVM or the operating system: {@code reflect}, {@code java_method},
 *       {@code try_reflect}, UDFs of any language, functions from classes, {@code TRANSFORM ... USING} scripts, typed
 *       and Python/R operators carrying closures;</li>
 *   <li>{@link #nodes} — every node of a plan, also in subqueries and in the query a view command holds.</li>
 * </ul>
 */
public final class PlanReads {
    /** Leaves that read no storage. */
    private static final Set<String> HARMLESS_LEAVES = Set.of("LocalRelation", "Range", "OneRowRelation", "CTERelationRef",
            "CommandResult", "EmptyRelation", "LocalTempView");
    private static final Set<String> TABLE_RELATIONS = Set.of("DataSourceV2Relation", "DataSourceV2ScanRelation");
    private static final Set<String> CODE_NODES = Set.of("ScriptTransformation", "MapPartitions", "MapElements",
            "AppendColumns", "AppendColumnsWithObject", "MapGroups", "CoGroup", "FlatMapGroupsWithState",
            "FlatMapGroupsInR", "FlatMapGroupsInRWithArrow", "MapPartitionsInR", "MapPartitionsInRWithArrow",
            "TransformWithState", "TypedFilter");
    private static final Set<String> CODE_NODE_PARTS = Set.of("Python", "Pandas", "Arrow");
    /** A part of a table name: no path separators, no parent directories. */
    private static final Pattern SAFE_PART = Pattern.compile("[^/\\\\:]*");

    private PlanReads() {
    }

    /** Every node of {@code plan}, parents first: children, subquery plans and the plan a view command holds. */
    public static List<LogicalPlan> nodes(LogicalPlan plan) {
        return Plans.allNodes(plan);
    }

    /**
     * What {@code node} reads that is not a table of {@code catalogs} (for a message such as {@code text file
     * /etc/passwd}), or empty when it reads nothing else.
     */
    public static Optional<String> refusedRead(LogicalPlan node, Set<String> catalogs) {
        String name = Plans.simpleName(node);
        if (name.equals("CreateTempViewUsing")) {
            String provider = Plans.call(node, "provider").map(Object::toString).orElse("?");
            return Optional.of("CREATE TEMPORARY VIEW ... USING " + provider + " (a view over a data source)");
        }
        if (TABLE_RELATIONS.contains(name)) {
            Optional<String> catalog = Plans.call(node, "catalog").flatMap(c -> Plans.call(c, "name")).map(Object::toString);
            Optional<Object> identifier = Plans.call(node, "identifier");
            String table = identifier.map(Object::toString).orElseGet(() -> Plans.call(node, "name").map(Object::toString).orElse(name));
            if (catalog.isEmpty() || !catalogs.contains(catalog.get())) {
                return Optional.of(table + " (not a table of catalog " + String.join(", ", catalogs) + ")");
            }
            if (identifier.isPresent() && identifier.get() instanceof Identifier ident && !safe(ident)) {
                return Optional.of(catalog.get() + "." + table + " (a table name that leaves the warehouse)");
            }
            return Optional.empty();
        }
        if (!(node instanceof LeafNode) || HARMLESS_LEAVES.contains(name) || name.startsWith("Resolved")
                || PlanCommands.changes(node)) {
            return Optional.empty();
        }
        if (name.equals("LogicalRelation")) {
            Optional<Object> relation = Plans.call(node, "relation");
            String described = relation.map(r -> Plans.call(r, "location")
                    .flatMap(location -> Plans.call(location, "rootPaths"))
                    .map(paths -> "files " + (paths instanceof scala.collection.Iterable<?> all ? all.mkString(", ") : paths))
                    .orElse(Plans.simpleName(r))).orElse("a data source");
            return Optional.of(described + " (a path-based or external data source)");
        }
        return Optional.of(name + " (only tables of catalog " + String.join(", ", catalogs) + " can be read)");
    }

    /**
     * What in {@code node} reaches the JVM or the operating system, for a message such as {@code reflect(...)}; empty
     * when nothing does.
     */
    public static Optional<String> refusedCode(LogicalPlan node) {
        String name = Plans.simpleName(node);
        if (name.equals("ScriptTransformation")) {
            String script = Plans.call(node, "script").map(Object::toString).orElse("?");
            return Optional.of("TRANSFORM ... USING '" + script + "' (it runs a program)");
        }
        if (name.equals("CreateFunctionCommand") || name.equals("CreateFunction")) {
            String className = Plans.call(node, "className").map(Object::toString).orElse("?");
            return Optional.of("CREATE FUNCTION ... AS '" + className + "' (a function from a class)");
        }
        if (CODE_NODES.contains(name) || CODE_NODE_PARTS.stream().anyMatch(name::contains)) {
            return Optional.of(name + " (it runs code of the caller's own)");
        }
        for (Expression expression : Plans.expressions(node)) {
            Optional<String> code = codeIn(expression);
            if (code.isPresent()) {
                return code;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> codeIn(Expression expression) {
        String name = Plans.simpleName(expression);
        if (name.contains("Reflect")) {
            return Optional.of(expression.prettyName() + "(...) (it calls a JVM method)");
        }
        if (name.contains("UDF") || name.contains("UDAF") || name.contains("UDTF") || name.equals("ScalaAggregator")
                || name.startsWith("Python")) {
            return Optional.of(name + " (a user-defined function in code)");
        }
        for (Expression child : Plans.children(expression)) {
            Optional<String> code = codeIn(child);
            if (code.isPresent()) {
                return code;
            }
        }
        return Optional.empty();
    }

    /** Whether every part of a name stays inside the catalog: no {@code /}, {@code \}, {@code :} or leading dot. */
    public static boolean safeName(List<String> parts) {
        return parts.stream().allMatch(part -> SAFE_PART.matcher(part).matches() && !part.startsWith("."));
    }

    private static boolean safe(Identifier identifier) {
        List<String> parts = new ArrayList<>(List.of(identifier.namespace()));
        parts.add(identifier.name());
        return safeName(parts);
    }

    /**
     * A table name in a parsed plan that reads a path or leaves the warehouse ({@code text.`/etc/passwd`},
     * {@code pedregal.`../db`.x}), for a message; empty when every name is a plain one.
     */
    public static Optional<String> refusedName(LogicalPlan parsed) {
        for (LogicalPlan node : nodes(parsed)) {
            for (String method : new String[] {"multipartIdentifier", "nameParts"}) {
                Optional<Object> parts = Plans.call(node, method);
                if (parts.isPresent() && parts.get() instanceof scala.collection.Seq<?> seq) {
                    List<String> names = new ArrayList<>();
                    CollectionConverters.asJava(seq).forEach(part -> names.add(String.valueOf(part)));
                    if (!safeName(names)) {
                        return Optional.of(String.join(".", names.stream().map(part -> "`" + part + "`").toList()));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
