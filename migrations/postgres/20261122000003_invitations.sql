-- Invitations: an admin creates an account without a password and hands its agent a one-time
-- link, where the agent chooses the password. Stored by hash, like sessions.
CREATE TABLE invitations (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    account_id  BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_by  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX invitations_account ON invitations (account_id);
