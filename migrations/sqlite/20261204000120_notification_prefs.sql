-- What each agent wants to be told by mail (and, later, by push): the digest's rhythm and the
-- quiet hours (minutes after local midnight; start = end means none), one mode per kind of
-- notification, the communities muted. No row means the defaults (every kind at once, a weekly
-- digest, quiet from 19:00 to 08:00 and at weekends).
CREATE TABLE notification_settings (
    account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    digest         TEXT    NOT NULL CHECK (digest IN ('daily', 'weekly', 'never')),
    quiet_start    INTEGER NOT NULL,
    quiet_end      INTEGER NOT NULL,
    quiet_weekends INTEGER NOT NULL,
    digest_sent_at INTEGER,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE notification_kind_prefs (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    mode       TEXT    NOT NULL CHECK (mode IN ('now', 'digest', 'off')),
    PRIMARY KEY (account_id, kind)
);

CREATE TABLE notification_mutes (
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, community_id)
);

-- One-click unsubscribe links (RFC 8058): single use, stored as the SHA-256 of the token; the
-- target names the one preference the link turns off (a kind, or the digest).
CREATE TABLE unsubscribe_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT    NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target     TEXT    NOT NULL,
    used_at    INTEGER,
    created_at INTEGER NOT NULL
);

-- The unsubscribe link a queued message carries in its List-Unsubscribe header.
ALTER TABLE mail_outbox ADD COLUMN unsubscribe_url TEXT;
