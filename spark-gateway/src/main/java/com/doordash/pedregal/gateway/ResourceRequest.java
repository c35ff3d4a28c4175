package com.doordash.pedregal.gateway;

/**
 * The resources a job asks for, as counted for admission and checked against what a backend can grant.
 *
 * @param driverCores cores of the driver
 * @param driverMemory memory of the driver in bytes (heap plus any overhead the job names)
 * @param executors how many executors (the most it may scale to, with dynamic allocation)
 * @param executorCores cores of each executor
 * @param executorMemory memory of each executor in bytes (heap plus any overhead the job names)
 */
public record ResourceRequest(int driverCores, long driverMemory, int executors, int executorCores, long executorMemory) {
    public ResourceRequest {
        if (driverCores < 0 || executors < 0 || executorCores < 0 || driverMemory < 0 || executorMemory < 0) {
            throw new IllegalArgumentException("resources must not be negative: " + driverCores + ", " + driverMemory
                    + ", " + executors + ", " + executorCores + ", " + executorMemory);
        }
    }

    /** Cores of the driver and every executor. */
    public long totalCores() {
        return driverCores + (long) executors * executorCores;
    }

    /** Memory of the driver and every executor, in bytes. */
    public long totalMemory() {
        return driverMemory + executors * executorMemory;
    }
}
