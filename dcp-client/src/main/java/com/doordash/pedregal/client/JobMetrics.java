package com.doordash.pedregal.client;

/**
 * What a job's Spark application did, summed over its tasks; the server reports it once the application
 * ended. A counter the server did not report is 0.
 */
public final class JobMetrics {
    private final long recordsRead;
    private final long recordsWritten;
    private final long bytesRead;
    private final long bytesWritten;
    private final long stagesCompleted;
    private final long tasksCompleted;
    private final long executorCpuTimeMs;

    JobMetrics(long recordsRead, long recordsWritten, long bytesRead, long bytesWritten, long stagesCompleted,
            long tasksCompleted, long executorCpuTimeMs) {
        this.recordsRead = recordsRead;
        this.recordsWritten = recordsWritten;
        this.bytesRead = bytesRead;
        this.bytesWritten = bytesWritten;
        this.stagesCompleted = stagesCompleted;
        this.tasksCompleted = tasksCompleted;
        this.executorCpuTimeMs = executorCpuTimeMs;
    }

    /** Records read by all tasks. */
    public long getRecordsRead() {
        return recordsRead;
    }

    /** Records written by all tasks. */
    public long getRecordsWritten() {
        return recordsWritten;
    }

    /** Bytes read by all tasks. */
    public long getBytesRead() {
        return bytesRead;
    }

    /** Bytes written by all tasks. */
    public long getBytesWritten() {
        return bytesWritten;
    }

    /** Stages that completed successfully. */
    public long getStagesCompleted() {
        return stagesCompleted;
    }

    /** Tasks that completed successfully. */
    public long getTasksCompleted() {
        return tasksCompleted;
    }

    /** CPU time the executors spent, in milliseconds. */
    public long getExecutorCpuTimeMs() {
        return executorCpuTimeMs;
    }

    @Override
    public String toString() {
        return "JobMetrics{recordsRead=" + recordsRead + ", recordsWritten=" + recordsWritten + ", bytesRead=" + bytesRead
                + ", bytesWritten=" + bytesWritten + ", stagesCompleted=" + stagesCompleted
                + ", tasksCompleted=" + tasksCompleted + ", executorCpuTimeMs=" + executorCpuTimeMs + "}";
    }
}
