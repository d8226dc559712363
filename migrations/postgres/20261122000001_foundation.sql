-- Foundation: actors (local and remote), local accounts, sessions, API tokens.
-- Timestamps are milliseconds since the Unix epoch (BIGINT on PostgreSQL), flags are 0/1 integers:
-- the sqlx Any driver carries neither time nor boolean types across both engines.

CREATE TABLE actors (
    id               BIGSERIAL PRIMARY KEY,
    ap_id            TEXT    NOT NULL UNIQUE,
    kind             TEXT    NOT NULL CHECK (kind IN ('Person', 'Group', 'Application', 'Service')),
    username         TEXT    NOT NULL,
    authority        TEXT    NOT NULL,
    is_local         BIGINT  NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1)),
    display_name     TEXT    NOT NULL DEFAULT '',
    summary          TEXT    NOT NULL DEFAULT '',
    job_title        TEXT    NOT NULL DEFAULT '',
    institution      TEXT    NOT NULL DEFAULT '',
    inbox_url        TEXT    NOT NULL,
    shared_inbox_url TEXT,
    outbox_url       TEXT,
    followers_url    TEXT,
    following_url    TEXT,
    public_key_id    TEXT    NOT NULL,
    public_key_pem   TEXT    NOT NULL,
    private_key_pem  TEXT,
    fetched_at       BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    UNIQUE (authority, username, kind)
);
CREATE INDEX actors_authority ON actors (authority);

CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    actor_id      BIGINT  NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    username      TEXT    NOT NULL UNIQUE,
    email         TEXT    NOT NULL,
    password_hash TEXT,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
    disabled_at   BIGINT,
    last_login_at BIGINT,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);
