package com.doordash.pedregal.coreetl;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.coreetl.internal.PlanCommands;
import com.doordash.pedregal.coreetl.internal.Plans;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkMode;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.spec.SourceSpec;
import com.doordash.pedregal.model.spec.TransformationSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.CreateTableWriter;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one CoreETL spec in an existing Spark session: reads the Iceberg sources, runs the SQL transformations
 * in order and writes the last result into every Iceberg sink.
 *
 * <ul>
 *   <li>Each source is {@code spark.table(catalog.database.table)}, filtered by its {@code filter}. With one
 *       source it is the temp view {@code source} and the view named after its table; with several, each is
 *       the view named after its table.</li>
 *   <li>Each transformation is {@code spark.sql(query)}; a named one becomes a temp view of that name. The last
 *       result (or the only source, when there are no transformations) feeds the sinks.</li>
 *   <li>A sink creates its namespace and, when missing, its table (partitioned by {@code partition_by}); it then
 *       appends, or replaces every row for {@code overwrite}. The rows written are the new snapshot's
 *       {@code added-records}.</li>
 * </ul>
 *
 * Every failure is a {@link CoreEtlException} naming the step.
 */
public final class CoreEtlJob {
    private static final Logger LOG = LoggerFactory.getLogger(CoreEtlJob.class);
    /** The view a job with a single source reads. */
    public static final String SOURCE_VIEW = "source";

    private final SparkSession spark;
    private final CoreEtlSpec spec;

    public CoreEtlJob(SparkSession spark, CoreEtlSpec spec) {
        this.spark = requireNonNull(spark, "spark is null");
        this.spec = requireNonNull(spec, "spec is null");
    }

    /** Runs the job; returns the rows written per sink, or throws {@link CoreEtlException}. */
    public JobResult run() {
        return writeSinks(result(false));
    }

    /**
     * The rows the job would write to every sink, analyzed but not computed: the sources and named transformations
     * become temp views as in {@link #run}, and nothing is read or written. A transformation that is not a query is
     * refused (a command would run at once); throws {@link CoreEtlException}.
     */
    public Dataset<Row> plannedResult() {
        return result(true);
    }

    private Dataset<Row> result(boolean queriesOnly) {
        if (spec.sources().isEmpty()) {
            throw new CoreEtlException("sources: must list at least one source");
        }
        if (spec.sinks().isEmpty()) {
            throw new CoreEtlException("sinks: must list at least one sink");
        }
        return transform(readSources(), queriesOnly);
    }

    private Dataset<Row> readSources() {
        List<SourceSpec> sources = spec.sources();
        if (sources.size() > 1) {
            // Only a single source is the view "source"; do not let one of an earlier job in this session linger.
            spark.catalog().dropTempView(SOURCE_VIEW);
        }
        Dataset<Row> last = null;
        for (int i = 0; i < sources.size(); i++) {
            SourceSpec source = sources.get(i);
            String step = "sources[" + i + "] (" + source.qualifiedName() + ")";
            try {
                Dataset<Row> data = spark.table(quoted(source.catalog(), source.database(), source.table()));
                if (source.filter() != null && !source.filter().isBlank()) {
                    data = data.where(source.filter());
                }
                List<String> views = sources.size() == 1 ? List.of(SOURCE_VIEW, source.table()) : List.of(source.table());
                for (String view : views) {
                    data.createOrReplaceTempView(view);
                }
                LOG.info("{}: reading {}{} as {}", step, source.qualifiedName(),
                        source.filter() == null ? "" : " where " + source.filter(), String.join(", ", views));
                last = data;
            }
            catch (Exception e) {
                throw new CoreEtlException(step, e);
            }
        }
        return last;
    }

    private Dataset<Row> transform(Dataset<Row> input, boolean queriesOnly) {
        List<TransformationSpec> transformations = spec.transformations();
        if (transformations.isEmpty() && spec.sources().size() > 1) {
            throw new CoreEtlException("transformations: must list at least one transformation when there are several sources");
        }
        Dataset<Row> result = input;
        for (int i = 0; i < transformations.size(); i++) {
            TransformationSpec transformation = transformations.get(i);
            String step = "transformations[" + i + "]";
            try {
                LOG.info("{}: running {}{}", step, Messages.singleLine(transformation.query()),
                        transformation.name() == null ? "" : " as view " + transformation.name());
                if (queriesOnly) {
                    requireQuery(transformation.query());
                }
                result = spark.sql(transformation.query());
                if (transformation.name() != null) {
                    result.createOrReplaceTempView(transformation.name());
                }
            }
            catch (Exception e) {
                throw new CoreEtlException(step, e);
            }
        }
        return result;
    }

    private void requireQuery(String sql) throws Exception {
        for (LogicalPlan node : Plans.nodes(spark.sessionState().sqlParser().parsePlan(sql))) {
            if (PlanCommands.changes(node) && !PlanCommands.sessionLocal(node)) {
                throw new CoreEtlException("is not a query: " + PlanCommands.verb(node)
                        + PlanCommands.target(node).map(target -> " " + target).orElse(""));
            }
        }
    }

    private JobResult writeSinks(Dataset<Row> result) {
        List<SinkSpec> sinks = spec.sinks();
        boolean cached = sinks.size() > 1;
        if (cached) {
            // Every sink gets the same rows, and the query runs once.
            result.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            List<JobResult.SinkResult> written = new ArrayList<>();
            for (int i = 0; i < sinks.size(); i++) {
                SinkSpec sink = sinks.get(i);
                String step = "sinks[" + i + "] (" + sink.qualifiedName() + ")";
                try {
                    long rows = write(sink, result, step);
                    written.add(new JobResult.SinkResult(sink.qualifiedName(), rows));
                }
                catch (CoreEtlException e) {
                    throw e;
                }
                catch (Exception e) {
                    throw new CoreEtlException(step, e);
                }
            }
            return new JobResult(written);
        }
        finally {
            if (cached) {
                try {
                    result.unpersist();
                }
                catch (RuntimeException e) {
                    LOG.warn("could not unpersist the job's result", e);
                }
            }
        }
    }

    private long write(SinkSpec sink, Dataset<Row> result, String step) throws Exception {
        String table = quoted(sink.catalog(), sink.database(), sink.table());
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + quoted(sink.catalog(), sink.database()));
        SinkMode mode = sink.effectiveMode();
        Long before = null;
        if (!spark.catalog().tableExists(table)) {
            List<PartitionField> partitioning = new ArrayList<>();
            for (String entry : sink.partitionBy()) {
                partitioning.add(PartitionField.parse(entry));
            }
            LOG.info("{}: creating the table{}", step, partitioning.isEmpty() ? ""
                    : " partitioned by " + partitioning.stream().map(PartitionField::toSql).collect(Collectors.joining(", ")));
            create(table, result, partitioning);
        }
        else {
            before = currentSnapshotId(table);
            DataFrameWriterV2<Row> writer = result.writeTo(table);
            if (mode == SinkMode.OVERWRITE) {
                LOG.info("{}: replacing every row", step);
                writer.overwrite(functions.lit(true));
            }
            else {
                LOG.info("{}: appending", step);
                writer.append();
            }
        }
        long rows = rowsAdded(table, before);
        LOG.info("{}: wrote {} rows ({})", step, rows, mode.wireName());
        return rows;
    }

    private void create(String table, Dataset<Row> result, List<PartitionField> partitioning) throws Exception {
        if (partitioning.stream().allMatch(PartitionField::supportedByWriterV2)) {
            DataFrameWriterV2<Row> writer = result.writeTo(table);
            CreateTableWriter<Row> creator = writer;
            if (!partitioning.isEmpty()) {
                Column first = partitioning.get(0).toColumn();
                Column[] rest = partitioning.stream().skip(1).map(PartitionField::toColumn).toArray(Column[]::new);
                creator = writer.partitionedBy(first, rest);
            }
            creator.using("iceberg").create();
            return;
        }
        // Spark 3.5's DataFrameWriterV2 has no truncate transform: create the table with SQL instead.
        String view = "coreetl_result_" + UUID.randomUUID().toString().replace("-", "");
        result.createOrReplaceTempView(view);
        try {
            spark.sql("CREATE TABLE " + table + " USING iceberg PARTITIONED BY ("
                    + partitioning.stream().map(PartitionField::toSql).collect(Collectors.joining(", "))
                    + ") AS SELECT * FROM " + view);
        }
        finally {
            spark.catalog().dropTempView(view);
        }
    }

    /** The id of the table's current snapshot, or null when it has none. */
    private Long currentSnapshotId(String table) throws Exception {
        Snapshot current = icebergTable(table).currentSnapshot();
        return current == null ? null : current.snapshotId();
    }

    /** The records the current snapshot added; 0 when the write made no new snapshot or added nothing. */
    private long rowsAdded(String table, Long before) throws Exception {
        Snapshot current = icebergTable(table).currentSnapshot();
        if (current == null || Long.valueOf(current.snapshotId()).equals(before)) {
            return 0;
        }
        String added = current.summary().get("added-records");
        return added == null ? 0 : Long.parseLong(added.trim());
    }

    /** The table's Iceberg metadata, read fresh: the snapshot summary is cheaper here than metadata-table SQL. */
    private Table icebergTable(String table) throws Exception {
        Table loaded = Spark3Util.loadIcebergTable(spark, table);
        loaded.refresh();
        return loaded;
    }

    /** {@code parts} as a Spark SQL multi-part name, each part back-quoted. */
    public static String quoted(String... parts) {
        StringBuilder name = new StringBuilder();
        for (String part : parts) {
            if (name.length() > 0) {
                name.append('.');
            }
            name.append('`').append(part.replace("`", "``")).append('`');
        }
        return name.toString();
    }
}
