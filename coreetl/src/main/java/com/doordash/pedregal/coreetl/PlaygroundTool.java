package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.model.driver.DriverOutput;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform tool that prepares and removes a playground's tables; the server runs it like {@code DemoData}:
 *
 * <ul>
 *   <li>{@code PlaygroundTool create-tables --spec-base64 <base64 of a CoreETL spec JSON>}: the spec's sinks point
 *       into the playground namespace already. Creates each sink's namespace when missing, and each sink's Iceberg
 *       table, with the schema of the rows {@link CoreEtlJob} would write to it (analyzed, never computed: nothing is
 *       read) — every column nullable, as a table created by the job's first write — and the sink's
 *       {@code partition_by}. A table that exists with another schema or partitioning is dropped (with its data:
 *       playground data is disposable) and created again; one that matches is left alone. Prints
 *       {@code PLAYGROUND-TOOL RESULT {"tables":[{"table":"pedregal.pg_x.t","action":"created"|"replaced"|"unchanged",
 *       "schema":[{"name":"c","type":"string","nullable":true}]}]}}, one entry per sink in spec order ({@code type} is
 *       Spark's SQL type name: {@code bigint}, {@code decimal(10,2)}, {@code struct<a:int>}).</li>
 *   <li>{@code PlaygroundTool drop-namespace --namespace <catalog>.<namespace>}: drops every table of the namespace
 *       (with PURGE; in name order) and then the namespace. Prints {@code PLAYGROUND-TOOL RESULT {"dropped_tables":["pedregal.pg_x.t"],
 *       "namespace_dropped":true}}; a namespace that does not exist gives {@code []} and {@code false}.</li>
 *   <li>{@code PlaygroundTool drop-tables --tables <catalog>.<namespace>.<table>[,...]}: drops those tables (with
 *       PURGE) that exist. Prints {@code PLAYGROUND-TOOL RESULT {"dropped_tables":["pedregal.pg_x.t"]}}.</li>
 * </ul>
 *
 * Options may also be written {@code --option=value}. The RESULT line is the only line the tool prints to stdout. Both
 * commands refuse a namespace whose name does not start with {@value #NAMESPACE_PREFIX}, so that a spec whose sinks
 * were not redirected cannot touch production tables. On failure the tool prints one stderr line
 * {@code PLAYGROUND-TOOL FAILED: <message>} and exits with code 1.
 */
public final class PlaygroundTool {
    private static final Logger LOG = LoggerFactory.getLogger(PlaygroundTool.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String RESULT = DriverOutput.PLAYGROUND_TOOL_RESULT;
    static final String FAILED = DriverOutput.PLAYGROUND_TOOL_FAILED;
    /** How every playground namespace's name starts. */
    static final String NAMESPACE_PREFIX = "pg_";
    static final String USAGE = "usage: PlaygroundTool create-tables --spec-base64 <CoreETL spec JSON, base64-encoded>"
            + " | drop-namespace --namespace <catalog>.<namespace> | drop-tables --tables <catalog>.<namespace>.<table>[,...]";

    private PlaygroundTool() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, () -> SparkSession.builder().getOrCreate(), true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the tool and returns its exit code: 0 on success, 1 on failure.
     *
     * @param sessions builds (or returns) the Spark session; called only once the arguments are valid
     * @param stopSession whether to stop the session at the end (tests sharing a session pass false)
     */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<SparkSession> sessions, boolean stopSession) {
        SparkSession spark = null;
        try {
            String command = args == null || args.length == 0 ? "" : args[0];
            ObjectNode result;
            switch (command) {
                case "create-tables" -> {
                    CoreEtlSpec spec = CoreEtlMain.readSpec(new CoreEtlMain.SpecArgument(true, option(args, "--spec-base64")));
                    for (int i = 0; i < spec.sinks().size(); i++) {
                        SinkSpec sink = spec.sinks().get(i);
                        requirePlayground(sink.database(), "sinks[" + i + "] (" + sink.qualifiedName() + ")");
                    }
                    spark = sessions.get();
                    result = createTables(spark, spec);
                }
                case "drop-namespace" -> {
                    Playground playground = Playground.parse(option(args, "--namespace"), "--namespace");
                    requirePlayground(playground.namespace(), "--namespace");
                    spark = sessions.get();
                    result = dropNamespace(spark, playground);
                }
                case "drop-tables" -> {
                    List<String> tables = List.of(option(args, "--tables").split(","));
                    for (String table : tables) {
                        String[] parts = table.strip().split("\\.");
                        if (parts.length != 3) {
                            throw new CoreEtlException("--tables: \"" + table + "\" is not catalog.namespace.table");
                        }
                        requirePlayground(parts[1], "--tables (" + table + ")");
                    }
                    spark = sessions.get();
                    result = dropTables(spark, tables);
                }
                default -> throw new CoreEtlException("arguments: " + USAGE + " (got: " + describe(args) + ")");
            }
            String line = RESULT + MAPPER.writeValueAsString(result);
            LOG.info(line);
            out.println(line);
            out.flush();
            return 0;
        }
        catch (Throwable e) {
            String message = Messages.describe(e);
            LOG.error("the playground tool failed: {}", message, e);
            err.println(FAILED + message);
            err.flush();
            return 1;
        }
        finally {
            if (stopSession && spark != null) {
                try {
                    spark.stop();
                }
                catch (RuntimeException e) {
                    LOG.warn("could not stop Spark: {}", e.toString());
                }
            }
        }
    }

    private static ObjectNode createTables(SparkSession spark, CoreEtlSpec spec) throws Exception {
        StructType schema = nullable(new CoreEtlJob(spark, spec).plannedResult().schema());
        ObjectNode result = MAPPER.createObjectNode();
        ArrayNode tables = result.putArray("tables");
        Set<String> namespaces = new LinkedHashSet<>();
        for (int i = 0; i < spec.sinks().size(); i++) {
            SinkSpec sink = spec.sinks().get(i);
            String step = "sinks[" + i + "] (" + sink.qualifiedName() + ")";
            try {
                String namespace = CoreEtlJob.quoted(sink.catalog(), sink.database());
                if (namespaces.add(namespace)) {
                    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
                }
                List<PartitionField> partitioning = new ArrayList<>();
                for (String entry : sink.partitionBy()) {
                    partitioning.add(PartitionField.parse(entry));
                }
                String table = CoreEtlJob.quoted(sink.catalog(), sink.database(), sink.table());
                String action = "created";
                if (spark.catalog().tableExists(table)) {
                    if (matches(spark, table, schema, partitioning)) {
                        action = "unchanged";
                    }
                    else {
                        spark.sql("DROP TABLE " + table + " PURGE");
                        action = "replaced";
                    }
                }
                if (!action.equals("unchanged")) {
                    spark.sql("CREATE TABLE " + table + " (" + schema.toDDL() + ") USING iceberg" + (partitioning.isEmpty() ? ""
                            : " PARTITIONED BY (" + partitioning.stream().map(PartitionField::toSql).collect(Collectors.joining(", ")) + ")"));
                }
                LOG.info("{}: {}", step, action);
                ObjectNode entry = tables.addObject();
                entry.put("table", sink.qualifiedName());
                entry.put("action", action);
                ArrayNode columns = entry.putArray("schema");
                for (StructField field : schema.fields()) {
                    columns.addObject().put("name", field.name()).put("type", field.dataType().catalogString())
                            .put("nullable", field.nullable());
                }
            }
            catch (Exception e) {
                throw new CoreEtlException(step, e);
            }
        }
        return result;
    }

    /** Whether {@code table} has exactly {@code schema} and {@code partitioning}. */
    private static boolean matches(SparkSession spark, String table, StructType schema, List<PartitionField> partitioning)
            throws Exception {
        if (!withoutMetadata(spark.table(table).schema()).equals(schema)) {
            return false;
        }
        Table iceberg = Spark3Util.loadIcebergTable(spark, table);
        iceberg.refresh();
        List<String> current = iceberg.spec().fields().stream()
                .map(field -> field.transform() + "(" + iceberg.schema().findColumnName(field.sourceId()) + ")")
                .collect(Collectors.toList());
        List<String> wanted = partitioning.stream().map(PlaygroundTool::icebergTransform).collect(Collectors.toList());
        return current.equals(wanted);
    }

    /** How Iceberg names a partition field's transform, such as {@code day(event_time)} or {@code bucket[16](id)}. */
    private static String icebergTransform(PartitionField field) {
        String transform = switch (field.transform()) {
            case "years", "months", "days", "hours" -> field.transform().substring(0, field.transform().length() - 1);
            case "bucket", "truncate" -> field.transform() + "[" + field.width() + "]";
            default -> field.transform();
        };
        return transform + "(" + field.column() + ")";
    }

    private static ObjectNode dropNamespace(SparkSession spark, Playground playground) {
        ObjectNode result = MAPPER.createObjectNode();
        ArrayNode dropped = result.putArray("dropped_tables");
        boolean exists = false;
        for (Row row : spark.sql("SHOW NAMESPACES IN " + CoreEtlJob.quoted(playground.catalog())).collectAsList()) {
            exists |= playground.namespace().equals(row.getString(0));
        }
        if (exists) {
            String namespace = CoreEtlJob.quoted(playground.catalog(), playground.namespace());
            List<String> names = new ArrayList<>();
            for (Row row : spark.sql("SHOW TABLES IN " + namespace).collectAsList()) {
                if (!row.getBoolean(2)) { // not a temporary view of this session
                    names.add(row.getString(1));
                }
            }
            names.sort(null);
            for (String table : names) {
                spark.sql("DROP TABLE " + CoreEtlJob.quoted(playground.catalog(), playground.namespace(), table) + " PURGE");
                dropped.add(playground + "." + table);
                LOG.info("dropped {}.{}", playground, table);
            }
            spark.sql("DROP NAMESPACE " + namespace);
        }
        result.put("namespace_dropped", exists);
        return result;
    }

    private static ObjectNode dropTables(SparkSession spark, List<String> tables) {
        ObjectNode result = MAPPER.createObjectNode();
        ArrayNode dropped = result.putArray("dropped_tables");
        for (String table : tables) {
            String[] parts = table.strip().split("\\.");
            String quoted = CoreEtlJob.quoted(parts[0], parts[1], parts[2]);
            if (spark.catalog().tableExists(parts[0] + "." + parts[1] + "." + parts[2])) {
                spark.sql("DROP TABLE " + quoted + " PURGE");
                dropped.add(table.strip());
                LOG.info("dropped {}", table.strip());
            }
        }
        return result;
    }

    private static void requirePlayground(String namespace, String what) {
        if (namespace == null || !namespace.toLowerCase(Locale.ROOT).startsWith(NAMESPACE_PREFIX)) {
            throw new CoreEtlException(what + ": namespace \"" + namespace + "\" is not a playground namespace (its name must"
                    + " start with " + NAMESPACE_PREFIX + ")");
        }
    }

    /** The value of {@code name} in {@code args} after the command: {@code name value} or {@code name=value}. */
    private static String option(String[] args, String name) {
        String value = null;
        if (args.length == 3 && args[1].equals(name)) {
            value = args[2];
        }
        else if (args.length == 2 && args[1].startsWith(name + "=")) {
            value = args[1].substring(name.length() + 1);
        }
        if (value == null || value.isBlank()) {
            throw new CoreEtlException("arguments: " + USAGE + " (got: " + describe(args) + ")");
        }
        return value.strip();
    }

    private static String describe(String[] args) {
        return args == null || args.length == 0 ? "nothing" : String.join(" ", args);
    }

    /** {@code schema} with every column, and every nested field, nullable, and no metadata. */
    static StructType nullable(StructType schema) {
        return (StructType) normalize(schema, true);
    }

    private static StructType withoutMetadata(StructType schema) {
        return (StructType) normalize(schema, false);
    }

    private static DataType normalize(DataType type, boolean nullable) {
        if (type instanceof StructType struct) {
            StructField[] fields = new StructField[struct.fields().length];
            for (int i = 0; i < fields.length; i++) {
                StructField field = struct.fields()[i];
                fields[i] = new StructField(field.name(), normalize(field.dataType(), nullable), nullable || field.nullable(),
                        Metadata.empty());
            }
            return new StructType(fields);
        }
        if (type instanceof ArrayType array) {
            return new ArrayType(normalize(array.elementType(), nullable), nullable || array.containsNull());
        }
        if (type instanceof MapType map) {
            return new MapType(normalize(map.keyType(), nullable), normalize(map.valueType(), nullable),
                    nullable || map.valueContainsNull());
        }
        return type;
    }

    /** A playground namespace: one namespace level in one catalog. */
    private record Playground(String catalog, String namespace) {
        private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

        /** Reads {@code <catalog>.<namespace>}; a bad value fails naming {@code what}. */
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
