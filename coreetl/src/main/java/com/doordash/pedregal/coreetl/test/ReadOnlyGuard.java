package com.doordash.pedregal.coreetl.test;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.analysis.NamedRelation;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Identifier;
import scala.Tuple2;

/**
 * The allowlist behind {@link ReadOnlyExtensions}: walks a plan and refuses every command that is not known to be
 * read-only or local to the session.
 *
 * <p>Allowed: {@code SET}/{@code RESET} of keys other than catalog or warehouse keys, {@code USE}, {@code SHOW ...},
 * {@code DESCRIBE ...}, {@code EXPLAIN}, {@code REFRESH ...}, {@code LIST JAR|FILE}, temporary views (create,
 * replace, drop; local or global) and temporary functions without resources. Everything else that is a
 * {@link Command} (or an insert statement) is refused, so a command added by a later Spark or Iceberg version is
 * refused until it is listed here.
 *
 * <p>{@code CACHE TABLE}, {@code UNCACHE TABLE} and {@code CLEAR CACHE} are refused: the cache manager lives in
 * the shared state, so caching takes memory from every user of the cluster and clearing it affects them all.
 */
final class ReadOnlyGuard {
    private static final Set<String> ALLOWED = Set.of(
            "ExplainCommand",
            "SetNamespaceCommand", "SetCatalogCommand", "SetCatalogAndNamespace",
            "CreateTempViewUsing", "DropTempViewCommand",
            "RefreshTable", "RefreshTableCommand", "RefreshResource", "RefreshFunction", "RefreshFunctionCommand",
            "ListJarsCommand", "ListFilesCommand", "ListArchivesCommand");
    private static final Set<String> ALLOWED_PREFIXES = Set.of("Show", "Describe");
    /** Writes that are not {@link Command}s in every Spark version. */
    private static final Set<String> WRITES = Set.of(
            "InsertIntoStatement", "InsertIntoDir", "WriteToStream", "WriteToStreamStatement",
            "Call", "CallStatement", "UnresolvedProcedure");
    private static final Map<String, String> VERBS = Map.ofEntries(
            Map.entry("InsertIntoStatement", "INSERT INTO"),
            Map.entry("AppendData", "INSERT INTO"),
            Map.entry("OverwriteByExpression", "INSERT OVERWRITE"),
            Map.entry("OverwritePartitionsDynamic", "INSERT OVERWRITE"),
            Map.entry("InsertIntoHadoopFsRelationCommand", "INSERT INTO"),
            Map.entry("InsertIntoDataSourceCommand", "INSERT INTO"),
            Map.entry("SaveIntoDataSourceCommand", "a DataFrame write"),
            Map.entry("InsertIntoDir", "INSERT OVERWRITE DIRECTORY"),
            Map.entry("CreateTableAsSelect", "CREATE TABLE AS SELECT"),
            Map.entry("CreateDataSourceTableAsSelectCommand", "CREATE TABLE AS SELECT"),
            Map.entry("ReplaceTableAsSelect", "REPLACE TABLE AS SELECT"),
            Map.entry("CreateTable", "CREATE TABLE"),
            Map.entry("CreateTableCommand", "CREATE TABLE"),
            Map.entry("CreateDataSourceTableCommand", "CREATE TABLE"),
            Map.entry("ReplaceTable", "REPLACE TABLE"),
            Map.entry("DropTable", "DROP TABLE"),
            Map.entry("DropTableCommand", "DROP TABLE"),
            Map.entry("TruncateTable", "TRUNCATE TABLE"),
            Map.entry("TruncateTableCommand", "TRUNCATE TABLE"),
            Map.entry("CreateNamespace", "CREATE NAMESPACE"),
            Map.entry("DropNamespace", "DROP NAMESPACE"),
            Map.entry("DeleteFromTable", "DELETE FROM"),
            Map.entry("UpdateTable", "UPDATE"),
            Map.entry("MergeIntoTable", "MERGE INTO"),
            Map.entry("ReplaceData", "a row-level rewrite (DELETE/UPDATE/MERGE) of"),
            Map.entry("WriteDelta", "a row-level rewrite (DELETE/UPDATE/MERGE) of"),
            Map.entry("Call", "CALL"),
            Map.entry("CallStatement", "CALL"),
            Map.entry("CreateViewCommand", "CREATE VIEW"),
            Map.entry("CreateView", "CREATE VIEW"),
            Map.entry("DropView", "DROP VIEW"),
            Map.entry("CreateFunctionCommand", "CREATE FUNCTION"),
            Map.entry("CreateFunction", "CREATE FUNCTION"),
            Map.entry("DropFunctionCommand", "DROP FUNCTION"),
            Map.entry("DropFunction", "DROP FUNCTION"),
            Map.entry("SetCommand", "SET"),
            Map.entry("ResetCommand", "RESET"),
            Map.entry("CacheTable", "CACHE TABLE"),
            Map.entry("CacheTableAsSelect", "CACHE TABLE"),
            Map.entry("CacheTableCommand", "CACHE TABLE"),
            Map.entry("UncacheTable", "UNCACHE TABLE"),
            Map.entry("UncacheTableCommand", "UNCACHE TABLE"),
            Map.entry("ClearCacheCommand", "CLEAR CACHE"));

    private ReadOnlyGuard() {
    }

    /** Throws {@link ReadOnlyViolationException} when {@code plan} writes or changes anything outside the session. */
    static void check(LogicalPlan plan) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            String name = Plans.simpleName(node);
            if (WRITES.contains(name) || (node instanceof Command && !allowed(node, name))) {
                throw new ReadOnlyViolationException(message(node, name));
            }
        }
    }

    /** Refuses a parsed plan that runs a procedure: Spark 4.0 executes CALL during analysis, before check rules. */
    static void checkParsed(LogicalPlan plan) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            String name = Plans.simpleName(node);
            if (name.equals("Call") || name.equals("CallStatement")) {
                throw new ReadOnlyViolationException(message(node, name));
            }
        }
    }

    static String message(LogicalPlan node, String name) {
        String verb = VERBS.getOrDefault(name, name);
        String target = target(node).map(t -> " " + t).orElse("");
        return "the test cluster is read-only: " + verb + target + " is not allowed (writes happen in 'run', in a playground)";
    }

    private static boolean allowed(LogicalPlan node, String name) {
        if (ALLOWED.contains(name) || ALLOWED_PREFIXES.stream().anyMatch(name::startsWith)) {
            return true;
        }
        switch (name) {
            case "SetCommand":
                return Plans.call(node, "kv").map(kv -> !(protectedKey(((Tuple2<?, ?>) kv)._1().toString())
                        && ((scala.Option<?>) ((Tuple2<?, ?>) kv)._2()).isDefined())).orElse(true);
            case "ResetCommand":
                return Plans.call(node, "config").map(key -> !protectedKey(key.toString())).orElse(true);
            case "CreateViewCommand":
                return Plans.call(node, "viewType").map(type -> !type.toString().startsWith("Persisted")).orElse(false);
            case "CreateFunctionCommand":
                return isTrue(node, "isTemp") && Plans.call(node, "resources")
                        .map(resources -> ((scala.collection.Iterable<?>) resources).isEmpty()).orElse(false);
            case "DropFunctionCommand":
                return isTrue(node, "isTemp");
            default:
                return false;
        }
    }

    /** Keys that point a session at other storage: catalogs and warehouses. */
    static boolean protectedKey(String key) {
        String lower = key.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("spark.sql.catalog.") || lower.equals("spark.sql.catalog") || lower.contains("warehouse")
                || lower.startsWith("spark.sql.extensions") || lower.startsWith("spark.hadoop.");
    }

    private static boolean isTrue(Object node, String method) {
        return Plans.call(node, method).map(Boolean.TRUE::equals).orElse(false);
    }

    /** The table, view, namespace or key a command changes, best effort. */
    private static Optional<String> target(LogicalPlan node) {
        if (node instanceof NamedRelation relation) {
            return Optional.of(relation.name());
        }
        for (String method : new String[] {"table", "tableName", "name", "tableDesc", "namespace", "ident", "viewName",
                "identifier", "child", "kv", "functionName"}) {
            Optional<Object> value = Plans.call(node, method);
            Optional<String> text = value.flatMap(ReadOnlyGuard::describe);
            if (text.isPresent()) {
                return text;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> describe(Object value) {
        if (value instanceof NamedRelation relation) {
            return Optional.of(relation.name());
        }
        if (value instanceof TableIdentifier identifier) {
            return Optional.of(identifier.unquotedString());
        }
        if (value instanceof Identifier identifier) {
            return Optional.of(identifier.toString());
        }
        if (value instanceof Tuple2<?, ?> kv) {
            return Optional.of(String.valueOf(kv._1()));
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        if (value instanceof scala.collection.Seq<?> parts && !parts.isEmpty() && parts.head() instanceof String) {
            return Optional.of(parts.mkString("."));
        }
        String name = Plans.simpleName(value);
        if (name.equals("CatalogTable")) {
            return Plans.call(value, "identifier").flatMap(ReadOnlyGuard::describe);
        }
        if (name.startsWith("Resolved") || name.startsWith("Unresolved")) {
            for (String method : new String[] {"identifier", "multipartIdentifier", "nameParts", "name"}) {
                Optional<Object> inner = Plans.call(value, method);
                if (inner.isPresent() && inner.get() != value) {
                    Optional<String> text = describe(inner.get());
                    if (text.isPresent()) {
                        Optional<String> catalog = Plans.call(value, "catalog")
                                .flatMap(c -> Plans.call(c, "name")).map(Object::toString);
                        return Optional.of(catalog.map(c -> c + "." + text.get()).orElse(text.get()));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
