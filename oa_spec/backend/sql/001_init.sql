-- oaspec state schema, version 1. Portable on purpose: PostgreSQL >= 9.2 and openGauss/GaussDB accept
-- every statement (no ON CONFLICT, no identity columns, no jsonb, no LISTEN/NOTIFY). JSON is stored as
-- text, written and read by oaspec only. Never store '' (openGauss A mode reads it as NULL).

-- Revisions: append-only, one row per (account, number); a started row is a running apply's journal.
CREATE TABLE oaspec_revisions (
    account     varchar(64)  NOT NULL,
    number      integer      NOT NULL,
    phase       varchar(16)  NOT NULL,  -- 'started' (a run in progress or one that died) or 'final'
    status      varchar(16)  NOT NULL,  -- the record's status: applied, failed (or started)
    body        text         NOT NULL,  -- Revision.to_json()
    recorded_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (account, number)
);

-- One lock row per account, kept after release so the fencing token only grows.
CREATE TABLE oaspec_locks (
    account       varchar(64)  NOT NULL PRIMARY KEY,
    fencing_token bigint       NOT NULL,
    lock_id       varchar(64),            -- NULL while free
    holder        varchar(255),
    host          varchar(255),
    operation     varchar(64),
    pid           integer,
    ci_job_url    varchar(2048),
    acquired_at   timestamptz,
    expires_at    timestamptz
);

-- The audit trail: entries chained by hash, and the head row every append locks (FOR UPDATE) so two
-- concurrent appends cannot both chain to the same predecessor.
CREATE TABLE oaspec_audit (
    seq   bigint      NOT NULL PRIMARY KEY,
    hash  varchar(80) NOT NULL,
    entry_time varchar(40) NOT NULL,
    entry text        NOT NULL  -- audit.canonical(entry), exactly the line the files backend writes
);
CREATE TABLE oaspec_audit_head (
    id   integer     NOT NULL PRIMARY KEY,
    seq  bigint      NOT NULL,
    hash varchar(80) NOT NULL
);
INSERT INTO oaspec_audit_head (id, seq, hash)
    VALUES (1, 0, 'sha256:0000000000000000000000000000000000000000000000000000000000000000');

-- What oaspec manages on each account (kind -> identities, JSON).
CREATE TABLE oaspec_ownership (
    account    varchar(64) NOT NULL PRIMARY KEY,
    body       text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Keyed records for later features (gateway idempotency keys, published slots).
CREATE TABLE oaspec_records (
    namespace  varchar(64)  NOT NULL,
    record_key varchar(512) NOT NULL,
    body       text         NOT NULL,
    updated_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, record_key)
);
