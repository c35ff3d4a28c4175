package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The answer to {@link DCPSparkClient#deletePlayground(String)}: the playground as it was, the tables dropped with
 * it and the jobs of it that were cancelled.
 *
 * @param json the server's answer as it came (a copy is returned)
 */
public record DeletedPlayground(Playground playground, List<String> droppedTables, List<String> cancelledJobs,
        JsonNode json) {
    public DeletedPlayground {
        requireNonNull(playground, "playground is null");
        droppedTables = List.copyOf(droppedTables);
        cancelledJobs = List.copyOf(cancelledJobs);
        json = requireNonNull(json, "json is null").deepCopy();
    }

    /** The server's answer as it came. */
    @Override
    public JsonNode json() {
        return json.deepCopy();
    }
}
