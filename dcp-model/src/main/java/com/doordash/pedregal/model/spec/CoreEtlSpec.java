package com.doordash.pedregal.model.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A CoreETL job: read the sources, run the SQL transformations in order, write the last result into
 * every sink.
 */
public record CoreEtlSpec(List<SourceSpec> sources, List<TransformationSpec> transformations, List<SinkSpec> sinks) {
    public CoreEtlSpec {
        sources = copyOf(sources);
        transformations = copyOf(transformations);
        sinks = copyOf(sinks);
    }

    // List.copyOf rejects null elements; a null element is reported by validation instead.
    private static <T> List<T> copyOf(List<T> list) {
        return list == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(list));
    }
}
