-- Web Push (issue 15): the node's VAPID key pair (one row), the agents' devices, and the push
-- outbox, claimed and retried like the mail outbox so nothing is lost when a push service is
-- down or the node restarts. Deleting a device (revoked, or its endpoint answered 404/410)
-- deletes what was waiting for it.
CREATE TABLE push_keys (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    private_key TEXT    NOT NULL,
    public_key  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE push_subscriptions (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    endpoint     TEXT    NOT NULL UNIQUE,
    p256dh       TEXT    NOT NULL,
    auth         TEXT    NOT NULL,
    label        TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_push_at BIGINT
);
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);

CREATE TABLE push_outbox (
    id              BIGSERIAL PRIMARY KEY,
    subscription_id BIGINT  NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    link            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    locked_until    BIGINT,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX push_outbox_due ON push_outbox (state, next_attempt_at);
CREATE INDEX push_outbox_subscription ON push_outbox (subscription_id);
