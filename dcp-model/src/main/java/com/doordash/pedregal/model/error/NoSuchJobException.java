package com.doordash.pedregal.model.error;

/** No job has the given id. */
public final class NoSuchJobException extends PlatformException {
    /** No job has {@code jobId}. */
    public NoSuchJobException(String jobId) {
        super(ErrorCode.JOB_NOT_FOUND, "job " + jobId + " does not exist", "job_id");
    }
}
