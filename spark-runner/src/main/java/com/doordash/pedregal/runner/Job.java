package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.SubmitJobRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job as the runner stores it.
 *
 * @param jobId the job's id
 * @param executionId the id of its execution (names the run on the backend)
 * @param request the request it was submitted with
 * @param state its current state
 * @param backend the backend running it, once launched
 * @param backendRunId the backend's id of the run, once launched
 * @param sparkUiUrl the Spark UI while it runs
 * @param errorMessage why it failed
 * @param createdAt when it was accepted
 * @param submittedAt when its driver was started
 * @param startedAt when its Spark application came up
 * @param endedAt when it reached a final state
 * @param history every state it entered, oldest first
 * @param metrics what its Spark application did, once it ended, or null
 * @param callbackDeliveredAt when its final status reached its callback URL, or null
 * @param namespace the namespace it runs in: {@link LaunchRequest#DEFAULT_NAMESPACE}, or a playground's, whose jobs
 *     may write only to the playground's tables
 * @param placedBackend the backend the gateway placed it on when it was accepted, where it launches; null for a job
 *     accepted before placements were stored (it is routed at launch)
 */
public record Job(
        String jobId,
        String executionId,
        SubmitJobRequest request,
        JobState state,
        String backend,
        String backendRunId,
        String sparkUiUrl,
        String errorMessage,
        Instant createdAt,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        List<Transition> history,
        JobMetrics metrics,
        Instant callbackDeliveredAt,
        String namespace,
        String placedBackend) {
    public Job {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(executionId, "executionId is null");
        requireNonNull(request, "request is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        history = List.copyOf(history);
    }

    /** The backend run, once the job was launched. */
    public Optional<BackendRun> run() {
        return backend == null || backendRunId == null
                ? Optional.empty()
                : Optional.of(new BackendRun(backend, executionId, backendRunId));
    }

    /** The job's name. */
    public String name() {
        return request.name();
    }

    /** A new job, PENDING, as accepted at {@code createdAt}. */
    public static Job accepted(String jobId, String executionId, SubmitJobRequest request, Instant createdAt) {
        return accepted(jobId, executionId, request, createdAt, LaunchRequest.DEFAULT_NAMESPACE);
    }

    /** A new job, PENDING, as accepted at {@code createdAt}, to run in {@code namespace}. */
    public static Job accepted(String jobId, String executionId, SubmitJobRequest request, Instant createdAt,
            String namespace) {
        return accepted(jobId, executionId, request, createdAt, namespace, null);
    }

    /** A new job, PENDING, as accepted at {@code createdAt}, to run in {@code namespace} on {@code placedBackend}. */
    public static Job accepted(String jobId, String executionId, SubmitJobRequest request, Instant createdAt,
            String namespace, String placedBackend) {
        return new Job(jobId, executionId, request, JobState.PENDING, null, null, null, null, createdAt, null, null, null,
                List.of(), null, null, namespace, placedBackend);
    }

    /** Whether it runs in a playground's namespace. */
    public boolean inPlayground() {
        return !LaunchRequest.DEFAULT_NAMESPACE.equals(namespace);
    }

    /** The owning team. */
    public String team() {
        return request.team();
    }
}
