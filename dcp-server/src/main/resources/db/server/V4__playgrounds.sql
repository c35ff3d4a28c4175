-- Playgrounds (an Iceberg namespace per team, user and name, with an expiry) and the manifests applied to a
-- playground or to production (scope ''). Times are epoch milliseconds (UTC). Numbered after spark-runner's
-- migrations: one schema history for the one database.
CREATE TABLE playgrounds (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    name        VARCHAR(64)   NOT NULL,
    team        VARCHAR(64)   NOT NULL,
    user_name   VARCHAR(256)  NOT NULL,
    namespace   VARCHAR(128)  NOT NULL UNIQUE,
    created_at  BIGINT        NOT NULL,
    expires_at  BIGINT        NOT NULL
);

CREATE UNIQUE INDEX playgrounds_by_owner_name ON playgrounds (team, user_name, name);
CREATE INDEX playgrounds_by_expiry ON playgrounds (expires_at);

CREATE TABLE manifest_resources (
    scope          VARCHAR(64)      NOT NULL,
    kind           VARCHAR(64)      NOT NULL,
    name           VARCHAR(128)     NOT NULL,
    team           VARCHAR(64)      NOT NULL,
    manifest_yaml  VARCHAR(1000000) NOT NULL,
    tables_json    VARCHAR(8000)    NOT NULL,
    applied_by     VARCHAR(256)     NOT NULL,
    applied_at     BIGINT           NOT NULL,
    PRIMARY KEY (scope, kind, name)
);
