-- Issue 16, bringing agents in. A community's public page exists only while a row says its
-- animateurs opened it.
CREATE TABLE community_public_pages (
    community_id INTEGER PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    enabled_by   TEXT    NOT NULL,
    enabled_at   INTEGER NOT NULL
);

-- Links to join a community hosted here ("rejoindre accueil"), shared on an intranet or
-- printed as a QR code. The token is kept readable: the link is meant to be shown again and
-- printed, and it only lets an agent of this node join one community.
CREATE TABLE community_links (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    token        TEXT    NOT NULL UNIQUE,
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    max_uses     INTEGER,
    uses         INTEGER NOT NULL DEFAULT 0,
    revoked_at   INTEGER
);
CREATE INDEX community_links_community ON community_links (community_id);
