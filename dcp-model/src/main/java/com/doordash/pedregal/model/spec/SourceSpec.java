package com.doordash.pedregal.model.spec;

/**
 * A table a CoreETL job reads.
 *
 * @param type the source type; only {@code iceberg} is supported
 * @param catalog the Spark catalog, for example {@code pedregal}
 * @param database the namespace inside the catalog
 * @param table the table name
 * @param filter an optional SQL boolean expression applied while reading, for example {@code event_date >= '2024-01-01'}
 */
public record SourceSpec(String type, String catalog, String database, String table, String filter) {
    /** The table's name as Spark SQL sees it: {@code catalog.database.table}. */
    public String qualifiedName() {
        return catalog + "." + database + "." + table;
    }
}
