-- Jobs and every state they went through. Times are epoch milliseconds (UTC), portable across H2 and PostgreSQL.
CREATE TABLE jobs (
    job_id          VARCHAR(64)    NOT NULL PRIMARY KEY,
    execution_id    VARCHAR(64)    NOT NULL UNIQUE,
    name            VARCHAR(128)   NOT NULL,
    team            VARCHAR(64)    NOT NULL,
    user_name       VARCHAR(256)   NOT NULL,
    spark_version   VARCHAR(16)    NOT NULL,
    request_json    VARCHAR(1000000) NOT NULL,
    state           VARCHAR(16)    NOT NULL,
    backend         VARCHAR(32),
    backend_run_id  VARCHAR(256),
    spark_ui_url    VARCHAR(512),
    error_message   VARCHAR(8000),
    created_at      BIGINT         NOT NULL,
    submitted_at    BIGINT,
    started_at      BIGINT,
    ended_at        BIGINT
);

CREATE INDEX jobs_by_created ON jobs (created_at, job_id);
CREATE INDEX jobs_by_team_created ON jobs (team, created_at, job_id);
CREATE INDEX jobs_by_state ON jobs (state);

CREATE TABLE job_transitions (
    job_id  VARCHAR(64)   NOT NULL REFERENCES jobs (job_id),
    seq     INT           NOT NULL,
    state   VARCHAR(16)   NOT NULL,
    at      BIGINT        NOT NULL,
    reason  VARCHAR(8000),
    PRIMARY KEY (job_id, seq)
);
