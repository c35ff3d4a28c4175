package com.doordash.pedregal.gateway.connect;

import com.doordash.pedregal.model.SessionSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.Catalog;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.CreateDataFrameViewCommand;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.sparkproject.com.google.protobuf.Descriptors.FieldDescriptor;
import org.sparkproject.com.google.protobuf.InvalidProtocolBufferException;
import org.sparkproject.com.google.protobuf.Message;

/**
 * What the proxy lets through to the read-only test cluster, per Spark Connect call — the first wall; the cluster's
 * read-only guard checks every plan again at analysis. Refused, each with a message naming what and why:
 * <ul>
 *   <li>{@code AddArtifacts}: no jars, class files or cached local relations reach the cluster;</li>
 *   <li>in {@code ExecutePlan} and {@code AnalyzePlan} plans: every command but SQL, local temporary views and resource
 *       reads (so no writes, streams, checkpoints, function or data source registrations, ML or external commands);
 *       reads of data sources other than Iceberg tables by name ({@code spark.read.text(path)}); catalog calls that
 *       cache, create, refresh or drop global views; global temporary views; user-defined functions, table functions and
 *       data sources in any language; cached relations; extensions; and fields this proxy does not know;</li>
 *   <li>{@code AnalyzePlan.persist} ({@code Dataset.cache()}): the cache is shared by every user;</li>
 *   <li>{@code Config} set or unset of a setting {@link SessionSettings} protects.</li>
 * </ul>
 */
final class ConnectRequests {
    private static final Set<String> ALLOWED_COMMANDS = Set.of("SQL_COMMAND", "CREATE_DATAFRAME_VIEW",
            "GET_RESOURCES_COMMAND");
    private static final Set<String> REFUSED_RELATIONS = Set.of("CACHED_LOCAL_RELATION", "CACHED_REMOTE_RELATION",
            "COMMON_INLINE_USER_DEFINED_TABLE_FUNCTION", "COMMON_INLINE_USER_DEFINED_DATA_SOURCE", "ML_RELATION",
            "EXTENSION", "MAP_PARTITIONS", "GROUP_MAP", "CO_GROUP_MAP", "APPLY_IN_PANDAS_WITH_STATE", "UNKNOWN");
    private static final Set<String> ALLOWED_CATALOG_CALLS = Set.of("CURRENT_DATABASE", "SET_CURRENT_DATABASE",
            "LIST_DATABASES", "LIST_TABLES", "LIST_FUNCTIONS", "LIST_COLUMNS", "GET_DATABASE", "GET_TABLE", "GET_FUNCTION",
            "DATABASE_EXISTS", "TABLE_EXISTS", "FUNCTION_EXISTS", "IS_CACHED", "CURRENT_CATALOG", "SET_CURRENT_CATALOG",
            "LIST_CATALOGS", "DROP_TEMP_VIEW");
    /** Messages that carry code of the caller's own (closures, Python, Java classes). */
    private static final Set<String> CODE_MESSAGES = Set.of("spark.connect.CommonInlineUserDefinedFunction",
            "spark.connect.CommonInlineUserDefinedTableFunction", "spark.connect.CommonInlineUserDefinedDataSource",
            "spark.connect.ScalarScalaUDF", "spark.connect.PythonUDF", "spark.connect.JavaUDF", "spark.connect.PythonUDTF",
            "spark.connect.PythonDataSource", "spark.connect.TypedAggregateExpression", "google.protobuf.Any");
    /** A table name: dotted parts, each plain or back-quoted, none a path or a parent directory. */
    private static final Pattern TABLE_NAME = Pattern.compile(
            "(?:[A-Za-z0-9_]+|`[^`/\\\\:.][^`/\\\\:]*`)(?:\\.(?:[A-Za-z0-9_]+|`[^`/\\\\:.][^`/\\\\:]*`))*");

    private ConnectRequests() {
    }

    /** Why the proxy refuses {@code request} of method {@code method} (such as {@code ExecutePlan}); empty to forward. */
    static Optional<String> refusal(String method, byte[] request) {
        try {
            return switch (method) {
                case "AddArtifacts" -> Optional.of(readOnly("artifacts (jars, class files, local relations) are not"
                        + " accepted: it runs no code of its own"));
                case "ExecutePlan" -> walk(ExecutePlanRequest.parseFrom(request));
                case "AnalyzePlan" -> analyze(AnalyzePlanRequest.parseFrom(request));
                case "Config" -> config(ConfigRequest.parseFrom(request));
                default -> Optional.empty();
            };
        }
        catch (InvalidProtocolBufferException e) {
            return Optional.of("malformed Spark Connect request: " + e.getMessage());
        }
    }

    private static Optional<String> analyze(AnalyzePlanRequest request) {
        if (request.getAnalyzeCase().name().equals("PERSIST")) {
            return Optional.of(tablesOnly("Dataset.cache()/persist() (the cache is shared by every user of the cluster)"));
        }
        return walk(request);
    }

    private static Optional<String> config(ConfigRequest request) {
        ConfigRequest.Operation operation = request.getOperation();
        List<String> keys = switch (operation.getOpTypeCase().name()) {
            case "SET" -> operation.getSet().getPairsList().stream().map(KeyValue::getKey).toList();
            case "UNSET" -> List.copyOf(operation.getUnset().getKeysList());
            default -> List.of();
        };
        for (String key : keys) {
            Optional<String> refused = SessionSettings.whyRefused(key);
            if (refused.isPresent()) {
                return Optional.of(readOnly("spark.conf().set/unset of " + refused.get()));
            }
        }
        return walk(request);
    }

    /** Checks {@code message} and every message inside it. */
    private static Optional<String> walk(Message message) {
        if (!message.getUnknownFields().asMap().isEmpty()) {
            return Optional.of("the request holds fields this proxy does not know (" + message.getDescriptorForType()
                    .getFullName() + " " + message.getUnknownFields().asMap().keySet() + "); is the client newer than"
                    + " the cluster's Spark " + "4.0?");
        }
        Optional<String> own = check(message);
        if (own.isPresent()) {
            return own;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            List<?> values = field.getKey().isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
            for (Object value : values) {
                if (value instanceof Message inner) {
                    Optional<String> refused = walk(inner);
                    if (refused.isPresent()) {
                        return refused;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> check(Message message) {
        String type = message.getDescriptorForType().getFullName();
        if (CODE_MESSAGES.contains(type)) {
            return Optional.of(tablesOnly(type.substring(type.lastIndexOf('.') + 1)
                    + " (code of the caller's own: user-defined functions, data sources and extensions)"));
        }
        if (message instanceof Command command) {
            String kind = command.getCommandTypeCase().name();
            if (!ALLOWED_COMMANDS.contains(kind)) {
                return Optional.of(readOnly("the command " + kind.toLowerCase(Locale.ROOT) + " is not allowed (writes,"
                        + " streams, checkpoints and registrations happen in 'run', in a playground)"));
            }
        }
        else if (message instanceof CreateDataFrameViewCommand view && view.getIsGlobal()) {
            return Optional.of("the test cluster keeps views to each session: refused the global temporary view "
                    + view.getName() + " (global_temp is shared by every user; use a temporary view)");
        }
        else if (message instanceof Relation relation) {
            String kind = relation.getRelTypeCase().name();
            if (REFUSED_RELATIONS.contains(kind)) {
                return Optional.of(tablesOnly(kind.toLowerCase(Locale.ROOT) + " (code or data of the caller's own)"));
            }
        }
        else if (message instanceof Catalog catalog) {
            String call = catalog.getCatTypeCase().name();
            if (!ALLOWED_CATALOG_CALLS.contains(call)) {
                return Optional.of(readOnly("catalog." + camel(call) + "() is not allowed (it caches, creates, refreshes"
                        + " or drops shared state)"));
            }
        }
        else if (message instanceof Read.DataSource source) {
            return dataSource(source);
        }
        else if (message instanceof Read.NamedTable table && !TABLE_NAME.matcher(table.getUnparsedIdentifier()).matches()) {
            return Optional.of(tablesOnly(table.getUnparsedIdentifier() + " (a path, or a name that leaves the warehouse)"));
        }
        return Optional.empty();
    }

    private static Optional<String> dataSource(Read.DataSource source) {
        String format = source.getFormat().strip().toLowerCase(Locale.ROOT);
        if (!format.equals("iceberg")) {
            return Optional.of(tablesOnly("spark.read.format(\"" + source.getFormat() + "\")"
                    + (source.getPathsCount() > 0 ? ".load(" + String.join(", ", source.getPathsList()) + ")" : "")
                    + " (read tables with spark.table(\"pedregal.<namespace>.<table>\") or SQL)"));
        }
        for (String path : source.getPathsList()) {
            if (!TABLE_NAME.matcher(path).matches()) {
                return Optional.of(tablesOnly("spark.read.format(\"iceberg\").load(\"" + path + "\") (a path; load"
                        + " tables by name)"));
            }
        }
        for (String option : source.getOptionsMap().keySet()) {
            String lower = option.toLowerCase(Locale.ROOT);
            if (lower.equals("path") || lower.equals("paths") || lower.contains("location") || lower.contains("uri")) {
                return Optional.of(tablesOnly("the read option " + option + " (a path; load tables by name)"));
            }
        }
        return Optional.empty();
    }

    private static String readOnly(String what) {
        return "the test cluster is read-only: " + what;
    }

    private static String tablesOnly(String what) {
        return "the test cluster reads tables only: refused " + what;
    }

    private static String camel(String constant) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            }
            else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
