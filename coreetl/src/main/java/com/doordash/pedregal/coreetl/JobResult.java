package com.doordash.pedregal.coreetl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** What a CoreETL job wrote: one entry per sink, in the spec's order. */
public record JobResult(List<SinkResult> sinks) {
    public JobResult {
        sinks = List.copyOf(requireNonNull(sinks, "sinks is null"));
    }

    /**
     * The rows one sink added.
     *
     * @param table the qualified table name, {@code catalog.database.table}
     * @param rowsWritten the rows the write added (the snapshot summary's {@code added-records})
     */
    public record SinkResult(String table, long rowsWritten) {
        public SinkResult {
            requireNonNull(table, "table is null");
        }
    }

    /** The sum of every sink's rows. */
    public long totalRowsWritten() {
        return sinks.stream().mapToLong(SinkResult::rowsWritten).sum();
    }

    /** {@code wrote 3000 rows to pedregal.derived.orders, 12 rows to pedregal.derived.refunds}. */
    public String summary() {
        return "wrote " + sinks.stream()
                .map(sink -> sink.rowsWritten() + " rows to " + sink.table())
                .collect(Collectors.joining(", "));
    }
}
