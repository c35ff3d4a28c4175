package com.doordash.pedregal.model.error;

import static java.util.Objects.requireNonNull;

/**
 * One problem with a request: the path of the field (for example {@code config.resources.driver.memory}
 * or {@code config.core_etl.job_spec.sources[0].table}) and what is wrong with it.
 */
public record Violation(String field, String message) {
    public Violation {
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
