package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

/**
 * A job can never run where the router sends it: the backend does not run its runtime, or the job asks more of a
 * resource than the backend can ever grant. The caller names the field of its own request at fault.
 */
public final class PlacementException extends RuntimeException {
    /** What the job asks too much of. */
    public enum Resource {
        SPARK_VERSION, DRIVER_CORES, DRIVER_MEMORY, EXECUTORS, EXECUTOR_CORES, EXECUTOR_MEMORY
    }

    private final Resource resource;
    private final String asked;
    private final String available;

    PlacementException(Resource resource, String asked, String available, String where) {
        super(requireNonNull(resource, "resource is null") == Resource.SPARK_VERSION
                ? "\"" + asked + "\" is not available" + where + " (available: " + available + ")"
                : asked + " is more than can ever be granted" + where + " (at most " + available + ")");
        this.resource = resource;
        this.asked = requireNonNull(asked, "asked is null");
        this.available = requireNonNull(available, "available is null");
    }

    /** What the job asks too much of. */
    public Resource resource() {
        return resource;
    }

    /** What the job asks, as it reads in the message ({@code 64g}, {@code 3}, {@code 3.4}). */
    public String asked() {
        return asked;
    }

    /** The most the backend grants ({@code 16g}), or the runtimes it runs. */
    public String available() {
        return available;
    }
}
