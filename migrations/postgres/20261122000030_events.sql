-- Sessions (events) of communities, their participants, and the secret of each agent's
-- personal calendar feed. On the community's host the event and its participants are the
-- original; members' nodes keep a cache refreshed by the group's Update{Event}.

-- `kind`: seance, atelier, formation. `capacity` NULL = no limit. `series` links the events
-- of a monthly series created in one go. `sequence` counts changes (iCalendar SEQUENCE).
CREATE TABLE events (
    id           BIGSERIAL PRIMARY KEY,
    ap_id        TEXT    NOT NULL UNIQUE,
    community_id BIGINT  NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    authority    TEXT    NOT NULL,
    organizer    TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('seance', 'atelier', 'formation')),
    title        TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',
    content_html TEXT    NOT NULL DEFAULT '',
    starts_at    BIGINT  NOT NULL,
    ends_at      BIGINT  NOT NULL,
    address      TEXT    NOT NULL DEFAULT '',
    online_url   TEXT    NOT NULL DEFAULT '',
    capacity     BIGINT,
    status       TEXT    NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    series       TEXT,
    sequence     BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (capacity IS NULL OR capacity > 0)
);
CREATE INDEX events_community ON events (community_id, starts_at);
CREATE INDEX events_series ON events (series);

-- `state`: accepted (has a seat), waiting (waiting list, in `created_at` order), pending
-- (on a member's node: Join sent, no answer yet). Actors by id: remote participants need
-- not be cached on every node. `join_ap_id`: the Join activity, to match its Accept/Reject.
CREATE TABLE event_participants (
    id          BIGSERIAL PRIMARY KEY,
    event_id    BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_ap_id TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('accepted', 'waiting', 'pending')),
    join_ap_id  TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (event_id, actor_ap_id)
);
CREATE INDEX event_participants_actor ON event_participants (actor_ap_id);

-- One personal calendar secret per account, stored hashed; regenerating replaces it.
CREATE TABLE calendar_tokens (
    account_id BIGINT  PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at BIGINT  NOT NULL
);
