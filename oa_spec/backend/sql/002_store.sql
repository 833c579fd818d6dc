-- Which store this is, for a plan to name (State.identity, apply PLAN refuses another): random when the
-- schema is made, the same however the database is reached (its socket, 127.0.0.1, a host name), and telling
-- nothing of where it is. A schema of its own (search_path) is a store of its own.
CREATE TABLE oaspec_store (
    id       integer     NOT NULL PRIMARY KEY,
    store_id varchar(64) NOT NULL
);
INSERT INTO oaspec_store (id, store_id) VALUES (1, md5(random()::text || clock_timestamp()::text));
