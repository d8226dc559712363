-- Communities (FEP-1b12 groups): the community itself (local ones are authoritative, remote
-- ones are a cache for the agents of this node), memberships, posts (threads and replies),
-- notifications and reports.

-- One row per Group actor, local or remote. `join_mode`: open, request, invitation.
CREATE TABLE communities (
    id           BIGSERIAL PRIMARY KEY,
    actor_id     BIGINT  NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    slug         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    tags         TEXT    NOT NULL DEFAULT '',
    join_mode    TEXT    NOT NULL CHECK (join_mode IN ('open', 'request', 'invitation')),
    question     TEXT    NOT NULL DEFAULT '',
    charter      TEXT    NOT NULL DEFAULT '',
    members_only BIGINT  NOT NULL DEFAULT 1,
    is_local     BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);

-- On the host: every member, from any node (the authority on who may post). On a member's
-- node: a mirror of its own agents' memberships, so it can show and gate their pages.
CREATE TABLE memberships (
    id           BIGSERIAL PRIMARY KEY,
    community_id BIGINT  NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    actor_id     BIGINT  NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('owner', 'animateur', 'member')),
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'invited', 'accepted', 'banned')),
    follow_ap_id TEXT    UNIQUE,
    answer       TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    UNIQUE (community_id, actor_id)
);
CREATE INDEX memberships_actor ON memberships (actor_id, state);

-- Threads (Page, thread_ap_id = ap_id) and replies (Note). `source` is the Markdown of local
-- posts; `content_html` is always sanitised.
CREATE TABLE posts (
    id            BIGSERIAL PRIMARY KEY,
    ap_id         TEXT    NOT NULL UNIQUE,
    community_id  BIGINT  NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('Page', 'Note')),
    authority     TEXT    NOT NULL,
    attributed_to TEXT    NOT NULL,
    thread_ap_id  TEXT    NOT NULL,
    in_reply_to   TEXT,
    title         TEXT    NOT NULL DEFAULT '',
    source        TEXT    NOT NULL DEFAULT '',
    content_html  TEXT    NOT NULL,
    pinned        BIGINT  NOT NULL DEFAULT 0,
    locked        BIGINT  NOT NULL DEFAULT 0,
    published_at  BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX posts_community ON posts (community_id, published_at);
CREATE INDEX posts_thread ON posts (thread_ap_id, published_at);
CREATE INDEX posts_authority ON posts (authority);

-- In-app notifications of local agents.
CREATE TABLE notifications (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    actor_ap_id  TEXT    NOT NULL DEFAULT '',
    community_id BIGINT  REFERENCES communities (id) ON DELETE CASCADE,
    post_ap_id   TEXT,
    read_at      BIGINT,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, created_at);

-- Reports (Flag) of posts, kept by the community's host for its animateurs.
CREATE TABLE reports (
    id           BIGSERIAL PRIMARY KEY,
    ap_id        TEXT    NOT NULL UNIQUE,
    community_id BIGINT  NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    post_ap_id   TEXT    NOT NULL,
    reporter     TEXT    NOT NULL,
    reason       TEXT    NOT NULL DEFAULT '',
    state        TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
    created_at   BIGINT  NOT NULL
);
