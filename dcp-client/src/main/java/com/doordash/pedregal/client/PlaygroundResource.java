package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A resource applied in a playground, such as a {@code DerivedDataset}, with the tables it owns there.
 *
 * @param appliedAt when it was last applied; null when the server did not say
 */
public record PlaygroundResource(String kind, String name, List<String> tables, Instant appliedAt) {
    public PlaygroundResource {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        tables = List.copyOf(tables);
    }
}
