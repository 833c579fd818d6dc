-- The gateway's idempotency records are swept by age (pg_idempotency.py): a template push's job-finish events can
-- leave millions within the ten minutes they are kept, and the delete of the expired ones must not read them all.
CREATE INDEX oaspec_records_age ON oaspec_records (namespace, updated_at);
