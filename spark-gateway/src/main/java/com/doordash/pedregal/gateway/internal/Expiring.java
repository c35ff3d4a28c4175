package com.doordash.pedregal.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read from a remote place (a cluster's workers, an engine's machine) and kept for a while: every submit asks
 * for a backend's capabilities, and the remote place is asked at most once per {@code ttl}. A failed read is not kept.
 */
public final class Expiring<T> {
    private final long ttlNanos;
    private final Supplier<T> read;
    private T value;
    private long readAt;

    /** A value read with {@code read}, kept for {@code ttl}. */
    public Expiring(Duration ttl, Supplier<T> read) {
        this.ttlNanos = ttl.toNanos();
        this.read = requireNonNull(read, "read is null");
    }

    /** The value, read again when it is older than the time to live. */
    public synchronized T get() {
        if (value == null || System.nanoTime() - readAt >= ttlNanos) {
            value = requireNonNull(read.get(), "read a null value");
            readAt = System.nanoTime();
        }
        return value;
    }
}
