package com.doordash.pedregal.model.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A table a CoreETL job writes its final result into.
 *
 * @param type the sink type; only {@code iceberg} is supported
 * @param catalog the Spark catalog, for example {@code pedregal}
 * @param database the namespace inside the catalog; created when missing
 * @param table the table name; the table is created from the result's schema when missing
 * @param mode {@code append} (the default) or {@code overwrite}
 * @param partitionBy the partitioning used when the table is created: column names or the transforms
 *     {@code years(c)}, {@code months(c)}, {@code days(c)}, {@code hours(c)}, {@code bucket(n, c)}, {@code truncate(n, c)}
 */
public record SinkSpec(
        String type,
        String catalog,
        String database,
        String table,
        SinkMode mode,
        @JsonProperty("partition_by") List<String> partitionBy) {
    public SinkSpec {
        partitionBy = partitionBy == null ? List.of() : List.copyOf(partitionBy);
    }

    /** The table's name as Spark SQL sees it: {@code catalog.database.table}. */
    public String qualifiedName() {
        return catalog + "." + database + "." + table;
    }

    /** The write mode, {@link SinkMode#APPEND} when none was given. */
    public SinkMode effectiveMode() {
        return mode == null ? SinkMode.APPEND : mode;
    }
}
