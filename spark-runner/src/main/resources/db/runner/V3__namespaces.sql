-- The namespace a job runs in: "default", or a playground's namespace, whose jobs may write only there.
ALTER TABLE jobs ADD COLUMN namespace VARCHAR(128) DEFAULT 'default' NOT NULL;
