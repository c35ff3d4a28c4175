package com.doordash.pedregal.gateway.testing;

/** CoreETL specs the backend tests run. */
public final class Specs {
    private Specs() {
    }

    /**
     * The seed example's shape: {@code pedregal.<database>.<source>} through {@code query} (reading {@code source})
     * into {@code pedregal.derived.<sink>}.
     */
    public static String spec(String database, String source, String query, String sink) {
        return """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "%s", "table": "%s"}],
                 "transformations": [{"type": "sql", "query": "%s"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}]}"""
                .formatted(database, source, query, sink);
    }

    /** Counts the demo table's events by type into {@code pedregal.derived.<sink>}: 5 rows, 10,000 events. */
    public static String eventCounts(String sink) {
        return spec("raw", "events", "SELECT event_type, count(*) AS events FROM source GROUP BY event_type", sink);
    }
}
