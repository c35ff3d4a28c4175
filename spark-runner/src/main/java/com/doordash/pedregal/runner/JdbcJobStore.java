package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Jobs and their transitions in the platform's {@link Database} (H2 or PostgreSQL); the tables of {@link #MIGRATIONS}.
 * Every state change is a conditional update, so two actors (the monitor seeing the driver end, a user
 * cancelling) can never both win.
 */
public final class JdbcJobStore {
    private static final String COLUMNS = "job_id, execution_id, request_json, state, backend, backend_run_id, "
            + "spark_ui_url, error_message, created_at, submitted_at, started_at, ended_at, metrics_json, callback_delivered_at, namespace, "
            + "placed_backend";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INSERT_JOB = "INSERT INTO jobs (job_id, execution_id, name, team, user_name, spark_version,"
            + " request_json, state, created_at, idempotency_key, callback_url, namespace, placed_backend) VALUES (:jobId,"
            + " :executionId, :name, :team, :user, :sparkVersion, :request, :state, :createdAt, :idempotencyKey, :callbackUrl,"
            + " :namespace, :placedBackend)";

    /** Where the runner's migrations live, for {@link Database#open}. */
    public static final String MIGRATIONS = "classpath:db/runner";

    private final Jdbi jdbi;

    /** A store of jobs in {@code database}, whose schema holds {@link #MIGRATIONS}. */
    public JdbcJobStore(Database database) {
        this.jdbi = requireNonNull(database, "database is null").jdbi();
    }

    /**
     * Stores a new job and its first transition; fails with {@link IdempotencyKeyTakenException} when its team
     * already used its idempotency key.
     */
    public void insert(Job job) {
        try {
            insertJob(job);
        }
        catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && job.request().idempotencyKey() != null) {
                throw new IdempotencyKeyTakenException(job.team(), job.request().idempotencyKey());
            }
            throw e;
        }
    }

    /**
     * Stores new jobs and their first transitions in one transaction: all of them, or none (then the cause is thrown,
     * and {@link #insert} tells which job was at fault).
     */
    public void insertAll(List<Job> jobs) {
        jdbi.useTransaction(handle -> {
            PreparedBatch rows = handle.prepareBatch(INSERT_JOB);
            PreparedBatch transitions = handle.prepareBatch("INSERT INTO job_transitions (job_id, seq, state, at, reason)"
                    + " VALUES (:jobId, 1, :state, :at, 'accepted')");
            for (Job job : jobs) {
                bindJob(rows, job).add();
                transitions.bind("jobId", job.jobId()).bind("state", job.state().name())
                        .bind("at", job.createdAt().toEpochMilli()).add();
            }
            rows.execute();
            transitions.execute();
        });
    }

    /** The job {@code team} submitted with {@code idempotencyKey}. */
    public Optional<Job> findByIdempotencyKey(String team, String idempotencyKey) {
        return jdbi.withHandle(handle -> withHistory(handle, handle.createQuery("SELECT " + COLUMNS
                        + " FROM jobs WHERE team = :team AND idempotency_key = :key")
                .bind("team", team)
                .bind("key", idempotencyKey)
                .map((rs, ctx) -> Row.of(rs))
                .list())).stream().findFirst();
    }

    /** Ended jobs whose final status has not reached their callback URL yet, oldest first. */
    public List<Job> undeliveredCallbacks() {
        return jdbi.withHandle(handle -> withHistory(handle, handle.createQuery("SELECT " + COLUMNS
                        + " FROM jobs WHERE callback_url IS NOT NULL AND callback_delivered_at IS NULL"
                        + " AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT') ORDER BY ended_at, job_id")
                .map((rs, ctx) -> Row.of(rs))
                .list()));
    }

    /** Records that the job's final status reached its callback URL. */
    public void markCallbackDelivered(String jobId, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE jobs SET callback_delivered_at = :at WHERE job_id = :jobId")
                .bind("at", at.toEpochMilli())
                .bind("jobId", jobId)
                .execute());
    }

    private void insertJob(Job job) {
        jdbi.useTransaction(handle -> {
            bindJob(handle.createUpdate(INSERT_JOB), job).execute();
            insertTransition(handle, job.jobId(), new Transition(job.state(), job.createdAt(), "accepted"));
        });
    }

    private static <S extends SqlStatement<S>> S bindJob(S statement, Job job) {
        return statement
                .bind("namespace", job.namespace())
                .bind("placedBackend", job.placedBackend())
                .bind("idempotencyKey", job.request().idempotencyKey())
                .bind("callbackUrl", job.request().callbackUrl())
                .bind("jobId", job.jobId())
                .bind("executionId", job.executionId())
                .bind("name", job.request().name())
                .bind("team", job.request().team())
                .bind("user", job.request().user())
                .bind("sparkVersion", job.request().config().sparkVersion())
                .bind("request", Json.write(job.request()))
                .bind("state", job.state().name())
                .bind("createdAt", job.createdAt().toEpochMilli());
    }

    /** The job with {@code jobId}, with its history. */
    public Optional<Job> find(String jobId) {
        return jdbi.withHandle(handle -> {
            Optional<Row> row = handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE job_id = :jobId")
                    .bind("jobId", jobId)
                    .map((rs, ctx) -> Row.of(rs))
                    .findOne();
            return row.map(found -> found.toJob(history(handle, List.of(jobId)).getOrDefault(jobId, List.of())));
        });
    }

    /** The job whose execution is {@code executionId}, with its history. */
    public Optional<Job> findByExecutionId(String executionId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE execution_id = :executionId")
                .bind("executionId", executionId)
                .map((rs, ctx) -> Row.of(rs))
                .findOne()
                .map(found -> found.toJob(history(handle, List.of(found.jobId())).getOrDefault(found.jobId(), List.of()))));
    }

    /** Jobs that have not reached a final state, oldest first. */
    public List<Job> active() {
        return jdbi.withHandle(handle -> withHistory(handle, handle.createQuery("SELECT " + COLUMNS
                        + " FROM jobs WHERE state IN ('PENDING', 'SUBMITTED', 'RUNNING') ORDER BY created_at, job_id")
                .map((rs, ctx) -> Row.of(rs))
                .list()));
    }

    /** One page of jobs, newest first. */
    public JobPage list(JobQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1");
        Cursor after = query.pageToken() == null ? null : Cursor.decode(query.pageToken());
        if (query.teams() != null) {
            if (query.teams().isEmpty()) {
                return new JobPage(List.of(), null);
            }
            sql.append(" AND team IN (<teams>)");
        }
        if (query.namePrefix() != null) {
            sql.append(" AND name LIKE :namePrefix ESCAPE '!'");
        }
        if (query.state() != null) {
            sql.append(" AND state = :state");
        }
        if (after != null) {
            sql.append(" AND (created_at < :afterCreated OR (created_at = :afterCreated AND job_id < :afterId))");
        }
        sql.append(" ORDER BY created_at DESC, job_id DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            Query select = handle.createQuery(sql.toString()).bind("limit", query.limit() + 1);
            if (query.teams() != null) {
                select.bindList("teams", List.copyOf(query.teams()));
            }
            if (query.namePrefix() != null) {
                select.bind("namePrefix", query.namePrefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            }
            if (query.state() != null) {
                select.bind("state", query.state().name());
            }
            if (after != null) {
                select.bind("afterCreated", after.createdAt()).bind("afterId", after.jobId());
            }
            List<Row> rows = select.map((rs, ctx) -> Row.of(rs)).list();
            boolean more = rows.size() > query.limit();
            List<Job> jobs = withHistory(handle, more ? rows.subList(0, query.limit()) : rows);
            String next = null;
            if (more) {
                Job last = jobs.get(jobs.size() - 1);
                next = new Cursor(last.createdAt().toEpochMilli(), last.jobId()).encode();
            }
            return new JobPage(jobs, next);
        });
    }

    /**
     * Moves the job from one of {@code from} to {@code change.state()}, recording the transition; does
     * nothing and returns false when the job is in another state (someone else moved it first).
     */
    public boolean transition(String jobId, Set<JobState> from, StateUpdate change) {
        for (JobState state : from) {
            if (!state.canMoveTo(change.state())) {
                throw new IllegalArgumentException(state + " cannot move to " + change.state());
            }
        }
        return jdbi.inTransaction(handle -> {
            StringBuilder sql = new StringBuilder("UPDATE jobs SET state = :to");
            Map<String, Object> values = new HashMap<>();
            String timeColumn = switch (change.state()) {
                case SUBMITTED -> "submitted_at";
                case RUNNING -> "started_at";
                case SUCCEEDED, FAILED, CANCELLED, TIMEOUT -> "ended_at";
                case PENDING -> null;
            };
            if (timeColumn != null) {
                sql.append(", ").append(timeColumn).append(" = :at");
                values.put("at", change.at().toEpochMilli());
            }
            if (change.run() != null) {
                sql.append(", backend = :backend, backend_run_id = :runId");
                values.put("backend", change.run().backend());
                values.put("runId", change.run().runId());
            }
            if (change.metrics() != null) {
                sql.append(", metrics_json = :metrics");
                values.put("metrics", Json.write(change.metrics()));
            }
            if (change.errorMessage() != null) {
                sql.append(", error_message = :error");
                values.put("error", truncate(change.errorMessage(), 8000));
            }
            // The UI address only means something while the application runs.
            sql.append(change.state() == JobState.RUNNING ? ", spark_ui_url = :ui" : ", spark_ui_url = NULL");
            if (change.state() == JobState.RUNNING) {
                values.put("ui", change.sparkUiUrl());
            }
            sql.append(" WHERE job_id = :jobId AND state IN (<from>)");
            int updated = handle.createUpdate(sql.toString())
                    .bind("to", change.state().name())
                    .bind("jobId", jobId)
                    .bindMap(values)
                    .bindList("from", from.stream().map(Enum::name).toList())
                    .execute();
            if (updated == 0) {
                return false;
            }
            insertTransition(handle, jobId, new Transition(change.state(), change.at(), change.reason()));
            return true;
        });
    }

    /** Records what a running job's Spark application did so far. */
    public void updateRunningMetrics(String jobId, JobMetrics metrics) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE jobs SET metrics_json = :metrics WHERE job_id = :jobId AND state = 'RUNNING'")
                .bind("metrics", Json.write(metrics))
                .bind("jobId", jobId)
                .execute());
    }

    /** Records the Spark UI address of a running job. */
    public void updateSparkUiUrl(String jobId, String url) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE jobs SET spark_ui_url = :url WHERE job_id = :jobId AND state = 'RUNNING'")
                .bind("url", url)
                .bind("jobId", jobId)
                .execute());
    }

    /** Whether the database answers. */
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static void insertTransition(Handle handle, String jobId, Transition transition) {
        handle.createUpdate("INSERT INTO job_transitions (job_id, seq, state, at, reason) "
                        + "SELECT :jobId, COALESCE(MAX(seq), 0) + 1, :state, :at, :reason FROM job_transitions WHERE job_id = :jobId")
                .bind("jobId", jobId)
                .bind("state", transition.state().name())
                .bind("at", transition.at().toEpochMilli())
                .bind("reason", transition.reason() == null ? null : truncate(transition.reason(), 8000))
                .execute();
    }

    private static List<Job> withHistory(Handle handle, List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<Transition>> history = history(handle, rows.stream().map(Row::jobId).toList());
        return rows.stream().map(row -> row.toJob(history.getOrDefault(row.jobId(), List.of()))).toList();
    }

    private static Map<String, List<Transition>> history(Handle handle, Collection<String> jobIds) {
        return handle.createQuery("SELECT job_id, state, at, reason FROM job_transitions WHERE job_id IN (<ids>) "
                        + "ORDER BY job_id, seq")
                .bindList("ids", List.copyOf(jobIds))
                .map((rs, ctx) -> Map.entry(rs.getString("job_id"), new Transition(
                        JobState.valueOf(rs.getString("state")), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("reason"))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** A row of {@code jobs} before its history is attached. */
    private record Row(
            String jobId, String executionId, String requestJson, JobState state, String backend, String backendRunId,
            String sparkUiUrl, String errorMessage, Instant createdAt, Instant submittedAt, Instant startedAt,
            Instant endedAt, String metricsJson, Instant callbackDeliveredAt, String namespace, String placedBackend) {
        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("job_id"), rs.getString("execution_id"), rs.getString("request_json"),
                    JobState.valueOf(rs.getString("state")), rs.getString("backend"), rs.getString("backend_run_id"),
                    rs.getString("spark_ui_url"), rs.getString("error_message"), instant(rs, "created_at"),
                    instant(rs, "submitted_at"), instant(rs, "started_at"), instant(rs, "ended_at"),
                    rs.getString("metrics_json"), instant(rs, "callback_delivered_at"), rs.getString("namespace"),
                    rs.getString("placed_backend"));
        }

        Job toJob(List<Transition> history) {
            SubmitJobRequest request = Json.read(requestJson, SubmitJobRequest.class);
            JobMetrics metrics = metricsJson == null ? null : Json.read(metricsJson, JobMetrics.class);
            return new Job(jobId, executionId, request, state, backend, backendRunId, sparkUiUrl, errorMessage,
                    createdAt, submittedAt, startedAt, endedAt, history, metrics, callbackDeliveredAt, namespace,
                    placedBackend);
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            long millis = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
    }

    /** Where a page ended: the last job's creation time and id. */
    private record Cursor(long createdAt, String jobId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + ":" + jobId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            }
            catch (RuntimeException e) {
                throw new InvalidRequestException("page_token", "is not a token returned by this API");
            }
        }
    }
}
