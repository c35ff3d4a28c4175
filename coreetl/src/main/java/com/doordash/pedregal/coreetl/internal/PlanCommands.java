package com.doordash.pedregal.coreetl.internal;

import com.doordash.pedregal.model.SessionSettings;
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
 * How the platform's guards classify plan nodes (not an API: for coreetl only). Both the read-only guard of the test
 * cluster and the playground wall start from here:
 *
 * <ul>
 *   <li>{@link #changes} — the node writes or changes something: every {@link Command}, plus the writes that are not
 *       commands in every Spark version (insert statements, streaming writes, procedure calls). A command added by a
 *       later Spark or Iceberg version counts as a change until it is listed as session-local here.</li>
 *   <li>{@link #sessionLocal} — of those, the ones that touch nothing outside the Spark session: {@code SET}/{@code
 *       RESET} of keys other than {@link #protectedKey protected keys}, {@code USE}, {@code SHOW ...}, {@code DESCRIBE
 *       ...}, {@code EXPLAIN}, {@code REFRESH ...}, {@code LIST JAR|FILE}, temporary views (create, replace, drop; local
 *       or global) and temporary functions without resources.</li>
 *   <li>{@link #verb} and {@link #target} — how a message names what a refused node does, and to what.</li>
 * </ul>
 */
public final class PlanCommands {
    private static final Set<String> SESSION_LOCAL = Set.of(
            "ExplainCommand",
            "SetNamespaceCommand", "SetCatalogCommand", "SetCatalogAndNamespace",
            "CreateTempViewUsing", "DropTempViewCommand",
            "RefreshTable", "RefreshTableCommand", "RefreshResource", "RefreshFunction", "RefreshFunctionCommand",
            "ListJarsCommand", "ListFilesCommand", "ListArchivesCommand");
    private static final Set<String> SESSION_LOCAL_PREFIXES = Set.of("Show", "Describe");
    /** Writes that are not {@link Command}s in every Spark version. */
    private static final Set<String> WRITES = Set.of(
            "InsertIntoStatement", "InsertIntoDir", "WriteToStream", "WriteToStreamStatement",
            "Call", "CallStatement", "UnresolvedProcedure");
    private static final Set<String> CALLS = Set.of("Call", "CallStatement");
    private static final Set<String> CACHE = Set.of("CacheTable", "CacheTableAsSelect", "CacheTableCommand",
            "UncacheTable", "UncacheTableCommand", "ClearCacheCommand");
    private static final Map<String, String> VERBS = Map.ofEntries(
            Map.entry("InsertIntoStatement", "INSERT INTO"),
            Map.entry("AppendData", "INSERT INTO"),
            Map.entry("OverwriteByExpression", "INSERT OVERWRITE"),
            Map.entry("OverwritePartitionsDynamic", "INSERT OVERWRITE"),
            Map.entry("InsertIntoHadoopFsRelationCommand", "INSERT INTO"),
            Map.entry("InsertIntoDataSourceCommand", "INSERT INTO"),
            Map.entry("SaveIntoDataSourceCommand", "a DataFrame write"),
            Map.entry("InsertIntoDir", "INSERT OVERWRITE DIRECTORY"),
            Map.entry("InsertIntoDataSourceDirCommand", "INSERT OVERWRITE DIRECTORY"),
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
            Map.entry("RenameTable", "ALTER TABLE RENAME"),
            Map.entry("AddColumns", "ALTER TABLE ADD COLUMNS"),
            Map.entry("ReplaceColumns", "ALTER TABLE REPLACE COLUMNS"),
            Map.entry("DropColumns", "ALTER TABLE DROP COLUMNS"),
            Map.entry("RenameColumn", "ALTER TABLE RENAME COLUMN"),
            Map.entry("AlterColumn", "ALTER TABLE ALTER COLUMN"),
            Map.entry("AlterColumns", "ALTER TABLE ALTER COLUMN"),
            Map.entry("SetTableProperties", "ALTER TABLE SET TBLPROPERTIES"),
            Map.entry("UnsetTableProperties", "ALTER TABLE UNSET TBLPROPERTIES"),
            Map.entry("SetTableLocation", "ALTER TABLE SET LOCATION"),
            Map.entry("CreateNamespace", "CREATE NAMESPACE"),
            Map.entry("DropNamespace", "DROP NAMESPACE"),
            Map.entry("SetNamespaceProperties", "ALTER NAMESPACE"),
            Map.entry("SetNamespaceLocation", "ALTER NAMESPACE"),
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

    private PlanCommands() {
    }

    /** Whether {@code node} writes or changes something (inside the session or not). */
    public static boolean changes(LogicalPlan node) {
        return WRITES.contains(Plans.simpleName(node)) || node instanceof Command;
    }

    /** Whether {@code node}, a {@link #changes change}, touches nothing outside the Spark session. */
    public static boolean sessionLocal(LogicalPlan node) {
        String name = Plans.simpleName(node);
        if (WRITES.contains(name)) {
            return false;
        }
        if (SESSION_LOCAL.contains(name) || SESSION_LOCAL_PREFIXES.stream().anyMatch(name::startsWith)) {
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

    /** Whether {@code node} caches or uncaches data: local to the driver, but shared by every session on it. */
    public static boolean cache(LogicalPlan node) {
        return CACHE.contains(Plans.simpleName(node));
    }

    /** Whether {@code node} calls a stored procedure. */
    public static boolean call(LogicalPlan node) {
        return CALLS.contains(Plans.simpleName(node));
    }

    /**
     * Keys a user may not set in a guarded session: anything but {@code spark.sql.*} (Spark core and Hadoop settings,
     * which reach the session's file systems), and the {@code spark.sql.*} keys that point a session at other catalogs or
     * storage or load classes ({@link SessionSettings}).
     */
    public static boolean protectedKey(String key) {
        return SessionSettings.whyRefused(key).isPresent();
    }

    /** What {@code node} does, in words, such as {@code INSERT INTO} or {@code DROP TABLE}. */
    public static String verb(LogicalPlan node) {
        String name = Plans.simpleName(node);
        if (name.equals("InsertIntoHadoopFsRelationCommand") && Plans.call(node, "catalogTable").isEmpty()) {
            return "a write to the path";
        }
        return VERBS.getOrDefault(name, name);
    }

    /** The table, view, namespace or key a command changes, best effort. */
    public static Optional<String> target(LogicalPlan node) {
        if (node instanceof NamedRelation relation) {
            return Optional.of(relation.name());
        }
        for (String method : new String[] {"table", "targetTable", "tableName", "name", "tableDesc", "namespace", "ident",
                "viewName", "identifier", "child", "kv", "config", "functionName", "catalogTable", "outputPath", "storage"}) {
            Optional<Object> value = Plans.call(node, method);
            Optional<String> text = value.flatMap(PlanCommands::describe);
            if (text.isPresent()) {
                return text;
            }
        }
        return Optional.empty();
    }

    private static boolean isTrue(Object node, String method) {
        return Plans.call(node, method).map(Boolean.TRUE::equals).orElse(false);
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
            return Plans.call(value, "identifier").flatMap(PlanCommands::describe);
        }
        if (name.equals("Path")) {
            return Optional.of(value.toString());
        }
        if (name.equals("CatalogStorageFormat")) {
            return Plans.call(value, "locationUri").map(Object::toString);
        }
        if (name.equals("SubqueryAlias")) {
            return Plans.call(value, "child").flatMap(PlanCommands::describe);
        }
        if (name.startsWith("Resolved") || name.startsWith("Unresolved")) {
            for (String method : new String[] {"identifier", "multipartIdentifier", "nameParts", "namespace", "name"}) {
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
