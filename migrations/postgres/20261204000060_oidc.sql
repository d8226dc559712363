-- OpenID Connect (ProConnect) sign-in.
-- oidc_pending: one row per sign-in started and not yet finished, by the hash of its `state`;
-- taken (deleted) once by the callback, so a replayed state finds nothing.
CREATE TABLE oidc_pending (
    state_hash    TEXT    PRIMARY KEY,
    nonce         TEXT    NOT NULL,
    pkce_verifier TEXT    NOT NULL,
    next          TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX oidc_pending_expires ON oidc_pending (expires_at);

-- The provider's subject of a local account: how it is found on every later sign-in.
CREATE TABLE oidc_identities (
    issuer     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    account_id BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    siret      TEXT,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_account ON oidc_identities (account_id);

-- The ID token of a session opened through the provider: the `id_token_hint` of its logout.
CREATE TABLE oidc_sessions (
    session_hash TEXT    PRIMARY KEY,
    id_token     TEXT    NOT NULL,
    expires_at   BIGINT  NOT NULL
);
