package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Objects;

/**
 * One problem the server found with a request: the path of the field to blame, such as
 * {@code config.resources.executor.memory}, and what is wrong with it.
 */
public final class ErrorDetail implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The path of the field; empty when no single field is to blame. */
    private final String field;
    /** What is wrong. */
    private final String message;

    ErrorDetail(String field, String message) {
        this.field = requireNonNull(field, "field is null");
        this.message = requireNonNull(message, "message is null");
    }

    /** The path of the field, such as {@code config.spark_version}; empty when no single field is to blame. */
    public String getField() {
        return field;
    }

    /** What is wrong, for a person, such as {@code "9.9" is not supported (supported: 3.5)}. */
    public String getMessage() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorDetail that && field.equals(that.field) && message.equals(that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, message);
    }

    /** {@code field: message}, or just the message when no field is to blame. */
    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
