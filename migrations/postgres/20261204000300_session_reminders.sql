-- Session reminders (issue 15): one row per agent, session and reminder (`day`: the day
-- before; `week`: a week before), written in the same transaction as the queued mail, so that
-- a reminder leaves once even when the node restarts. `mail_id` is NULL when nothing was sent
-- (the agent turned reminders off, or quiet hours would hold it past the start).
CREATE TABLE session_reminders_sent (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_id   BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    which      TEXT   NOT NULL CHECK (which IN ('day', 'week')),
    mail_id    BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, event_id, which)
);

-- The calendar file a message carries as a text/calendar attachment (a session reminder).
ALTER TABLE mail_outbox ADD COLUMN attachment_ics TEXT;
