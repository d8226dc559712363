-- The digests sent: one row per agent and period (`daily:2026-12-08`, `weekly:2026-12-07`),
-- written in the same transaction as the queued mail, so that a digest leaves once per period
-- even when the node restarts or two processes share the database. `mail_id` is NULL when the
-- period had nothing to tell (no mail is sent then).
CREATE TABLE digests_sent (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    period     TEXT    NOT NULL,
    mail_id    INTEGER,
    items      INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, period)
);
CREATE INDEX digests_sent_period ON digests_sent (period);
