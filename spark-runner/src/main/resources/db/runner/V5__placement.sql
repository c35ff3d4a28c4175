-- The backend the gateway placed a job on at submit; its launch goes there. Null for jobs accepted before placement was
-- stored: they are routed at launch.
ALTER TABLE jobs ADD COLUMN placed_backend VARCHAR(64);
