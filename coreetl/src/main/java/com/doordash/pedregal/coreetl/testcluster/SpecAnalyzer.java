package com.doordash.pedregal.coreetl.testcluster;

import com.doordash.pedregal.coreetl.CoreEtlJob;
import com.doordash.pedregal.coreetl.Messages;
import com.doordash.pedregal.coreetl.internal.Plans;
import com.doordash.pedregal.model.JobRequestValidator;
import com.doordash.pedregal.model.TestFindings;
import com.doordash.pedregal.model.TestOptions;
import com.doordash.pedregal.model.TestReport;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.spec.SourceSpec;
import com.doordash.pedregal.model.spec.TransformationSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkFilters;
import org.apache.iceberg.spark.source.SparkTable;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.DataSourceStrategy$;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The analyzer behind {@code test}: checks a CoreETL spec on a (read-only) Spark session without writing anything
 * and returns a JSON report. It runs the spec exactly like {@link CoreEtlJob} up to the sinks (sources as views, a
 * single source also as {@code source}, transformations as views, the last result, or the only source, feeding
 * every sink), in a fresh {@code spark.newSession()} whose temporary views are dropped at the end.
 *
 * <p>The report (snake_case): {@code status} (PASSED, or FAILED iff a finding has severity error), {@code findings}
 * ({@code severity, code, message, transformation, line, column, name}), {@code schemas}, {@code explain},
 * {@code lineage}, {@code preview}, {@code schema_diff}, {@code cost} and {@code timings_ms}; a section disabled in
 * the options is left out. Codes: INVALID_SPEC, INVALID_OPTIONS, SYNTAX_ERROR, UNRESOLVED_TABLE, UNRESOLVED_COLUMN,
 * UNRESOLVED_FUNCTION, ANALYSIS_ERROR, POLICY_SINK_NAMESPACE, POLICY_CARTESIAN_PRODUCT, POLICY_SELECT_STAR,
 * POLICY_PARTITION_FILTER, SECTION_FAILED (a section could not be computed: warning), REFUSED (the read-only guard
 * refused a step: it writes, reads other than tables, or reaches the JVM).
 *
 * <p>Schema diff rules, from the existing sink table to the result: a new column is {@code added} (not breaking); a
 * missing one is {@code removed} (breaking); a type change is breaking unless it is a safe widening (int to
 * bigint, float to double, decimal(p,s) to decimal(p',s) with p' &gt; p); {@code nullability_changed} is breaking when
 * the result may hold nulls for a NOT NULL table column (the write would fail), and not breaking the other way
 * round (the table column stays nullable).
 */
public final class SpecAnalyzer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SparkSession spark;
    private final TestOptions options;
    private final ObjectNode report = MAPPER.createObjectNode();
    private final ArrayNode findings = MAPPER.createArrayNode();
    private final ObjectNode timings = MAPPER.createObjectNode();
    private final List<String> views = new ArrayList<>();

    private SpecAnalyzer(SparkSession spark, TestOptions options) {
        this.spark = spark;
        this.options = options;
    }

    /**
     * Analyzes {@code specJson} (a CoreETL job spec) with {@code optionsJson} (null for the defaults) and returns the
     * report as JSON. Never throws for a bad spec or options: those are findings.
     */
    public static String analyze(SparkSession spark, String specJson, String optionsJson) {
        long start = System.nanoTime();
        TestOptions options;
        SpecAnalyzer analyzer;
        try {
            options = TestOptions.parse(optionsJson);
            analyzer = new SpecAnalyzer(spark.newSession(), options);
        }
        catch (InvalidRequestException e) {
            analyzer = new SpecAnalyzer(spark, TestOptions.defaults());
            analyzer.finding("error", "INVALID_OPTIONS", e.getMessage(), null, null, null, null);
            return analyzer.finish(start);
        }
        analyzer.run(specJson);
        return analyzer.finish(start);
    }

    private String finish(long start) {
        timings.put("total", millisSince(start));
        boolean failed = false;
        for (var finding : findings) {
            failed |= "error".equals(finding.path("severity").asText());
        }
        ObjectNode ordered = MAPPER.createObjectNode();
        ordered.put("status", failed ? TestReport.FAILED : TestReport.PASSED);
        ordered.set("findings", findings);
        ordered.setAll(report);
        ordered.set("timings_ms", timings);
        try {
            return MAPPER.writeValueAsString(ordered);
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot write the report", e);
        }
    }

    private void run(String specJson) {
        CoreEtlSpec spec;
        try {
            spec = Json.read(specJson, CoreEtlSpec.class);
        }
        catch (InvalidRequestException e) {
            for (Violation violation : e.violations()) {
                finding("error", "INVALID_SPEC", violation.toString(), null, null, null, null);
            }
            return;
        }
        List<Violation> violations = JobRequestValidator.validateSpec(spec, "");
        for (Violation violation : violations) {
            finding("error", "INVALID_SPEC", violation.toString(), null, null, null, null);
        }
        if (!violations.isEmpty()) {
            return;
        }
        try {
            analyzeSpec(spec);
        }
        finally {
            for (String view : views) {
                try {
                    spark.catalog().dropTempView(view);
                }
                catch (RuntimeException e) {
                    // the session is thrown away anyway
                }
            }
        }
    }

    private void analyzeSpec(CoreEtlSpec spec) {
        if (options.enabled("policy")) {
            for (int i = 0; i < spec.sinks().size(); i++) {
                SinkSpec sink = spec.sinks().get(i);
                if (!options.allowedSinkNamespaces().contains(sink.database())) {
                    finding("error", "POLICY_SINK_NAMESPACE", "sinks[" + i + "] (" + sink.qualifiedName() + "): namespace '"
                            + sink.database() + "' is not one of the allowed sink namespaces " + options.allowedSinkNamespaces(),
                            null, null, null, sink.qualifiedName());
                }
            }
        }
        long start = System.nanoTime();
        Dataset<Row> result = readSources(spec);
        if (result == null) {
            return;
        }
        ArrayNode transformationSchemas = MAPPER.createArrayNode();
        List<TransformationSpec> transformations = spec.transformations();
        for (int i = 0; i < transformations.size(); i++) {
            TransformationSpec transformation = transformations.get(i);
            try {
                result = spark.sql(transformation.query());
                if (transformation.name() != null) {
                    result.createOrReplaceTempView(transformation.name());
                    views.add(transformation.name());
                }
            }
            catch (Exception e) {
                failure(e, i, "transformations[" + i + "]");
                return;
            }
            ObjectNode schema = transformationSchemas.addObject();
            schema.put("index", i);
            if (transformation.name() == null) {
                schema.putNull("name");
            }
            else {
                schema.put("name", transformation.name());
            }
            schema.set("columns", columns(result.schema()));
        }
        timings.put("resolve", millisSince(start));
        if (options.enabled("schemas")) {
            ObjectNode schemas = report.putObject("schemas");
            schemas.set("transformations", transformationSchemas);
            ArrayNode sinks = schemas.putArray("sinks");
            for (SinkSpec sink : spec.sinks()) {
                ObjectNode node = sinks.addObject();
                node.put("table", sink.qualifiedName());
                node.set("columns", columns(result.schema()));
            }
        }
        Dataset<Row> last = result;
        LogicalPlan analyzed = last.queryExecution().analyzed();
        Lineage lineage = Lineage.of(analyzed);
        section("explain", () -> report.put("explain", explain(spec)));
        section("lineage", () -> report.set("lineage", lineage(spec, analyzed, lineage)));
        section("policy", () -> policy(spec, last, analyzed, lineage));
        section("preview", () -> report.set("preview", preview(last)));
        section("schema_diff", () -> report.set("schema_diff", schemaDiff(spec, last.schema())));
        section("cost", () -> report.set("cost", cost(spec)));
    }

    private Dataset<Row> readSources(CoreEtlSpec spec) {
        List<SourceSpec> sources = spec.sources();
        Dataset<Row> last = null;
        for (int i = 0; i < sources.size(); i++) {
            SourceSpec source = sources.get(i);
            try {
                Dataset<Row> data = spark.table(CoreEtlJob.quoted(source.catalog(), source.database(), source.table()));
                if (source.filter() != null && !source.filter().isBlank()) {
                    data = data.where(source.filter());
                }
                List<String> names = sources.size() == 1 ? List.of(CoreEtlJob.SOURCE_VIEW, source.table()) : List.of(source.table());
                for (String view : names) {
                    data.createOrReplaceTempView(view);
                    views.add(view);
                }
                last = data;
            }
            catch (Exception e) {
                failure(e, null, "sources[" + i + "] (" + source.qualifiedName() + ")");
                return null;
            }
        }
        return last;
    }

    private interface Section {
        void compute() throws Exception;
    }

    private void section(String name, Section section) {
        if (!options.enabled(name)) {
            return;
        }
        long start = System.nanoTime();
        try {
            section.compute();
        }
        catch (Exception e) {
            finding("warning", "SECTION_FAILED", name + ": " + Messages.describe(e), null, null, null, null);
        }
        timings.put(name, millisSince(start));
    }

    // ---- findings

    private void failure(Exception e, Integer transformation, String step) {
        Integer line = null;
        Integer column = null;
        String name = null;
        String code = "ANALYSIS_ERROR";
        String message = Messages.describe(e);
        if (refused(e)) {
            // The read-only guard refused it (a write, a path, reflection, ...): the platform answers 403, not a report.
            code = TestFindings.REFUSED;
        }
        else if (e instanceof ParseException parse) {
            code = "SYNTAX_ERROR";
            line = intOf(parse.line());
            column = intOf(parse.startPosition());
            column = column == null ? null : column + 1;
            message = syntaxMessage(parse);
        }
        else if (e instanceof AnalysisException analysis) {
            line = intOf(analysis.line());
            column = intOf(analysis.startPosition());
            column = column == null ? null : column + 1;
            String errorClass = errorClass(e);
            Map<String, String> parameters = analysis.getMessageParameters();
            if (errorClass.startsWith("TABLE_OR_VIEW_NOT_FOUND")) {
                code = "UNRESOLVED_TABLE";
                name = unquote(parameters.get("relationName"));
            }
            else if (errorClass.startsWith("UNRESOLVED_COLUMN") || errorClass.startsWith("UNRESOLVED_FIELD")) {
                code = "UNRESOLVED_COLUMN";
                name = unquote(parameters.getOrDefault("objectName", parameters.get("fieldName")));
            }
            else if (errorClass.startsWith("UNRESOLVED_ROUTINE")) {
                code = "UNRESOLVED_FUNCTION";
                name = unquote(parameters.get("routineName"));
            }
        }
        finding("error", code, step + ": " + message, transformation, line, column, name);
    }

    private static boolean refused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ReadOnlyViolationException) {
                return true;
            }
        }
        return false;
    }

    private static String syntaxMessage(ParseException parse) {
        String text = parse.getMessage();
        int sql = text.indexOf("== SQL ==");
        return Messages.singleLine(sql > 0 ? text.substring(0, sql) : text);
    }

    private static String errorClass(Throwable e) {
        String errorClass = e instanceof SparkThrowable spark ? spark.getErrorClass() : null;
        return errorClass == null ? "" : errorClass;
    }

    private static Integer intOf(scala.Option<Object> value) {
        return value.isDefined() ? (Integer) value.get() : null;
    }

    private static String unquote(String name) {
        if (name == null) {
            return null;
        }
        return name.replace("`", "");
    }

    private void finding(String severity, String code, String message, Integer transformation, Integer line, Integer column,
            String name) {
        ObjectNode finding = findings.addObject();
        finding.put("severity", severity);
        finding.put("code", code);
        finding.put("message", message);
        putNullable(finding, "transformation", transformation);
        putNullable(finding, "line", line);
        putNullable(finding, "column", column);
        if (name == null) {
            finding.putNull("name");
        }
        else {
            finding.put("name", name);
        }
    }

    private static void putNullable(ObjectNode node, String field, Integer value) {
        if (value == null) {
            node.putNull(field);
        }
        else {
            node.put(field, value);
        }
    }

    // ---- sections

    private static ArrayNode columns(StructType schema) {
        ArrayNode columns = MAPPER.createArrayNode();
        for (StructField field : schema.fields()) {
            ObjectNode column = columns.addObject();
            column.put("name", field.name());
            column.put("type", field.dataType().simpleString());
            column.put("nullable", field.nullable());
        }
        return columns;
    }

    private String explain(CoreEtlSpec spec) {
        List<TransformationSpec> transformations = spec.transformations();
        String query = transformations.isEmpty()
                ? "SELECT * FROM " + CoreEtlJob.SOURCE_VIEW
                : transformations.get(transformations.size() - 1).query();
        return spark.sql("EXPLAIN FORMATTED " + query).collectAsList().get(0).getString(0);
    }

    private ObjectNode lineage(CoreEtlSpec spec, LogicalPlan analyzed, Lineage lineage) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode tables = node.putArray("tables");
        ArrayNode columns = node.putArray("columns");
        for (SinkSpec sink : spec.sinks()) {
            ObjectNode table = tables.addObject();
            table.put("sink", sink.qualifiedName());
            ArrayNode sources = table.putArray("sources");
            lineage.tables().forEach(sources::add);
            for (Attribute attribute : CollectionConverters.asJava(analyzed.output())) {
                ObjectNode column = columns.addObject();
                column.put("sink", sink.qualifiedName());
                column.put("column", attribute.name());
                ArrayNode columnSources = column.putArray("sources");
                lineage.sources(attribute).forEach(columnSources::add);
            }
        }
        return node;
    }

    private void policy(CoreEtlSpec spec, Dataset<Row> last, LogicalPlan analyzed, Lineage lineage) throws Exception {
        Integer lastIndex = spec.transformations().isEmpty() ? null : spec.transformations().size() - 1;
        if (options.forbidCartesian()) {
            LogicalPlan optimized = last.queryExecution().optimizedPlan();
            for (LogicalPlan node : Plans.nodes(optimized)) {
                if (node instanceof Join join && join.condition().isEmpty()
                        && !join.joinType().toString().contains("Semi") && !join.joinType().toString().contains("Anti")) {
                    finding("error", "POLICY_CARTESIAN_PRODUCT", "the result joins without a join condition (a cartesian "
                            + "product): add an ON condition", lastIndex, null, null, null);
                    break;
                }
            }
        }
        if (options.forbidSelectStar() && lastIndex != null) {
            LogicalPlan parsed = CatalystSqlParser$.MODULE$.parsePlan(spec.transformations().get(lastIndex).query());
            if (containsStar(parsed)) {
                finding("warning", "POLICY_SELECT_STAR", "transformations[" + lastIndex + "] feeds the sinks with SELECT *: "
                        + "list the columns, so that a new source column does not change the sink's schema",
                        lastIndex, null, null, null);
            }
        }
        if (options.requirePartitionFilter()) {
            Set<String> filtered = new TreeSet<>();
            for (LogicalPlan node : Plans.nodes(analyzed)) {
                if (node instanceof Filter filter) {
                    filtered.addAll(lineage.sourcesOf(filter.condition()));
                }
            }
            Set<String> reported = new LinkedHashSet<>();
            for (DataSourceV2Relation relation : lineage.relations()) {
                String table = Lineage.tableName(relation);
                List<String> partitionColumns = partitionColumns(relation);
                if (partitionColumns.isEmpty() || reported.contains(table)) {
                    continue;
                }
                boolean any = partitionColumns.stream().anyMatch(column -> filtered.contains(table + "." + column));
                if (!any) {
                    reported.add(table);
                    finding("warning", "POLICY_PARTITION_FILTER", table + " is partitioned by " + partitionColumns
                            + " but is read without a filter on them: the job scans every partition",
                            null, null, null, table);
                }
            }
        }
    }

    private static List<String> partitionColumns(DataSourceV2Relation relation) {
        List<String> columns = new ArrayList<>();
        if (relation.table() instanceof SparkTable sparkTable) {
            Table table = sparkTable.table();
            for (PartitionField field : table.spec().fields()) {
                if (!field.transform().isVoid()) {
                    columns.add(table.schema().findColumnName(field.sourceId()));
                }
            }
        }
        return columns;
    }

    private static boolean containsStar(LogicalPlan plan) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            if (Plans.simpleName(node).equals("Project") || Plans.simpleName(node).equals("Aggregate")) {
                for (Expression expression : Plans.expressions(node)) {
                    if (hasStar(expression)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean hasStar(Expression expression) {
        if (Plans.simpleName(expression).equals("UnresolvedStar")) {
            return true;
        }
        for (Expression child : Plans.children(expression)) {
            if (hasStar(child)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode preview(Dataset<Row> last) {
        int limit = options.previewLimit();
        ObjectNode preview = MAPPER.createObjectNode();
        ArrayNode columns = preview.putArray("columns");
        for (String column : last.columns()) {
            columns.add(column);
        }
        ArrayNode rows = preview.putArray("rows");
        for (Row row : last.limit(limit).collectAsList()) {
            ArrayNode values = rows.addArray();
            for (int i = 0; i < row.length(); i++) {
                values.add(MAPPER.valueToTree(jsonValue(row.get(i))));
            }
        }
        preview.put("limit", limit);
        return preview;
    }

    private static Object jsonValue(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : d;
        }
        if (value instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? f.toString() : f;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Row row) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < row.length(); i++) {
                fields.put(row.schema() == null ? "_" + (i + 1) : row.schema().fields()[i].name(), jsonValue(row.get(i)));
            }
            return fields;
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            CollectionConverters.asJava(map).forEach((k, v) -> entries.put(String.valueOf(k), jsonValue(v)));
            return entries;
        }
        if (value instanceof scala.collection.Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            CollectionConverters.asJava(items).forEach(item -> list.add(jsonValue(item)));
            return list;
        }
        return value.toString();
    }

    private ArrayNode schemaDiff(CoreEtlSpec spec, StructType result) {
        ArrayNode diffs = MAPPER.createArrayNode();
        for (SinkSpec sink : spec.sinks()) {
            ObjectNode diff = diffs.addObject();
            diff.put("sink", sink.qualifiedName());
            String table = CoreEtlJob.quoted(sink.catalog(), sink.database(), sink.table());
            boolean exists = spark.catalog().tableExists(table);
            diff.put("exists", exists);
            ArrayNode changes = diff.putArray("changes");
            if (!exists) {
                continue;
            }
            StructType current = spark.table(table).schema();
            Map<String, StructField> before = byName(current);
            Map<String, StructField> after = byName(result);
            for (Map.Entry<String, StructField> entry : after.entrySet()) {
                StructField now = entry.getValue();
                StructField was = before.get(entry.getKey());
                if (was == null) {
                    change(changes, now.name(), "added", null, now.dataType().simpleString(), false);
                    continue;
                }
                if (!was.dataType().sameType(now.dataType())) {
                    change(changes, now.name(), "type_changed", was.dataType().simpleString(), now.dataType().simpleString(),
                            !safeWidening(was.dataType(), now.dataType()));
                }
                if (was.nullable() != now.nullable()) {
                    change(changes, now.name(), "nullability_changed", was.nullable() ? "nullable" : "not null",
                            now.nullable() ? "nullable" : "not null", now.nullable());
                }
            }
            for (Map.Entry<String, StructField> entry : before.entrySet()) {
                if (!after.containsKey(entry.getKey())) {
                    StructField was = entry.getValue();
                    change(changes, was.name(), "removed", was.dataType().simpleString(), null, true);
                }
            }
        }
        return diffs;
    }

    private static Map<String, StructField> byName(StructType schema) {
        Map<String, StructField> fields = new LinkedHashMap<>();
        for (StructField field : schema.fields()) {
            fields.put(field.name().toLowerCase(Locale.ROOT), field);
        }
        return fields;
    }

    /** Widenings Iceberg allows without rewriting data, which old readers still read. */
    static boolean safeWidening(DataType from, DataType to) {
        if (from.equals(DataTypes.IntegerType) && to.equals(DataTypes.LongType)) {
            return true;
        }
        if (from.equals(DataTypes.FloatType) && to.equals(DataTypes.DoubleType)) {
            return true;
        }
        return from instanceof DecimalType a && to instanceof DecimalType b && a.scale() == b.scale() && b.precision() > a.precision();
    }

    private static void change(ArrayNode changes, String column, String kind, String from, String to, boolean breaking) {
        ObjectNode change = changes.addObject();
        change.put("column", column);
        change.put("change", kind);
        if (from == null) {
            change.putNull("from");
        }
        else {
            change.put("from", from);
        }
        if (to == null) {
            change.putNull("to");
        }
        else {
            change.put("to", to);
        }
        change.put("breaking", breaking);
    }

    private ArrayNode cost(CoreEtlSpec spec) throws Exception {
        ArrayNode cost = MAPPER.createArrayNode();
        for (SourceSpec source : spec.sources()) {
            String name = CoreEtlJob.quoted(source.catalog(), source.database(), source.table());
            Table table = Spark3Util.loadIcebergTable(spark, name);
            long[] total = planFiles(table.newScan());
            long[] pruned = total;
            if (source.filter() != null && !source.filter().isBlank()) {
                TableScan scan = table.newScan();
                LogicalPlan plan = spark.table(name).where(source.filter()).queryExecution().analyzed();
                for (LogicalPlan node : Plans.nodes(plan)) {
                    if (node instanceof Filter filter) {
                        for (Expression conjunct : conjuncts(filter.condition())) {
                            scala.Option<org.apache.spark.sql.sources.Filter> translated =
                                    DataSourceStrategy$.MODULE$.translateFilter(conjunct, true);
                            if (translated.isDefined()) {
                                org.apache.iceberg.expressions.Expression converted = SparkFilters.convert(translated.get());
                                if (converted != null) {
                                    scan = scan.filter(converted);
                                }
                            }
                        }
                        break;
                    }
                }
                pruned = planFiles(scan);
            }
            ObjectNode entry = cost.addObject();
            entry.put("source", source.qualifiedName());
            entry.put("files", pruned[0]);
            entry.put("bytes", pruned[1]);
            entry.put("total_files", total[0]);
            entry.put("total_bytes", total[1]);
        }
        return cost;
    }

    private static List<Expression> conjuncts(Expression condition) {
        List<Expression> all = new ArrayList<>();
        if (condition instanceof And and) {
            all.addAll(conjuncts(and.left()));
            all.addAll(conjuncts(and.right()));
        }
        else {
            all.add(condition);
        }
        return all;
    }

    private static long[] planFiles(TableScan scan) throws Exception {
        long files = 0;
        long bytes = 0;
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                files++;
                bytes += task.file().fileSizeInBytes();
            }
        }
        return new long[] {files, bytes};
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
