package com.doordash.pedregal.model.spec;

/**
 * One SQL step of a CoreETL job.
 *
 * @param type the transformation type; only {@code sql} is supported
 * @param query the Spark SQL query; it reads the view {@code source} (one source), the sources' table
 *     names (several sources) and the names of earlier transformations
 * @param name optional; makes the result visible to later transformations under this view name
 */
public record TransformationSpec(String type, String query, String name) {
}
