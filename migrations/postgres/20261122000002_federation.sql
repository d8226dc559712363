-- Federation core: the peers a node talks to, follows, received activity ids (deduplication),
-- stored objects, and the persistent delivery queue.

-- One row per remote authority. `state` is the single answer to "may we talk to it?":
-- only 'approved' (both admins agreed) and 'manual' (a one-sided allow by our admin, for
-- software without the handshake) let traffic through.
CREATE TABLE peers (
    id            BIGSERIAL PRIMARY KEY,
    authority     TEXT    NOT NULL UNIQUE,
    state         TEXT    NOT NULL CHECK (state IN ('requested', 'pending', 'approved', 'refused', 'revoked', 'manual', 'denied')),
    institution   TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL DEFAULT '',
    contact       TEXT    NOT NULL DEFAULT '',
    message       TEXT    NOT NULL DEFAULT '',
    actor_ap_id   TEXT,
    request_ap_id TEXT,
    decided_by    TEXT,
    decided_at    BIGINT,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

-- follower follows followee; either side may be local or remote.
CREATE TABLE follows (
    id          BIGSERIAL PRIMARY KEY,
    follower_id BIGINT  NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    followee_id BIGINT  NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    ap_id       TEXT    NOT NULL UNIQUE,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'accepted')),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id, state);

-- Every activity id processed once: a retried delivery is acknowledged, not applied twice.
CREATE TABLE received_activities (
    ap_id       TEXT    PRIMARY KEY,
    authority   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    received_at BIGINT  NOT NULL
);
CREATE INDEX received_activities_authority ON received_activities (authority);

-- Objects (notes and, later, posts) with their origin authority, so revocation can purge.
CREATE TABLE objects (
    id            BIGSERIAL PRIMARY KEY,
    ap_id         TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL,
    authority     TEXT    NOT NULL,
    attributed_to TEXT    NOT NULL,
    content_html  TEXT    NOT NULL DEFAULT '',
    in_reply_to   TEXT,
    published_at  BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX objects_authority ON objects (authority);
CREATE INDEX objects_attributed ON objects (attributed_to);

-- The delivery queue: one row per (activity, destination inbox). A row is claimed by setting
-- `locked_until`; a crashed worker's claim expires and the row is retried.
CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    activity_ap_id  TEXT    NOT NULL,
    sender_id       BIGINT  NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    inbox_url       TEXT    NOT NULL,
    authority       TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    locked_until    BIGINT,
    last_error      TEXT,
    last_status     BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (activity_ap_id, inbox_url)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_authority ON deliveries (authority, state);
