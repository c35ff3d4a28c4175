-- Idempotency keys (unique per team), the Spark metrics of ended jobs, and callback delivery.
ALTER TABLE jobs ADD COLUMN idempotency_key VARCHAR(128);
ALTER TABLE jobs ADD COLUMN callback_url VARCHAR(2048);
ALTER TABLE jobs ADD COLUMN callback_delivered_at BIGINT;
ALTER TABLE jobs ADD COLUMN metrics_json VARCHAR(4000);

CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (team, idempotency_key);
