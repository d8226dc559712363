-- Resources of communities (the survival kit, the guide, the best practices): collaboratively
-- edited Markdown documents with every revision kept. The host of the community holds the
-- original and decides which revision is current; members' nodes keep what the group
-- announced to them.

-- One row per resource; `revision` is the number of the current revision, whose text is
-- copied here (`source`, `content_html` always sanitised) so that pages read one row.
CREATE TABLE resources (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id         TEXT    NOT NULL UNIQUE,
    community_id  INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    slug          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('guide', 'kit', 'pratiques', 'autre')),
    title         TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    content_html  TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    attributed_to TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (community_id, slug)
);

-- Every revision of a resource, numbered from 1 without gaps on the host.
CREATE TABLE resource_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    author      TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    summary     TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (resource_id, number)
);

-- Files attached to a resource (PDF, office documents, images). On the host, the bytes live
-- in the data directory under their SHA-256 (content-addressed: one copy per content) and
-- `url` is NULL; a member's node lists the host's files with their `url` on the host and
-- fetches them on demand (`sha256` is empty there).
CREATE TABLE resource_attachments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    uploaded_by TEXT    NOT NULL,
    url         TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX resource_attachments_resource ON resource_attachments (resource_id);
