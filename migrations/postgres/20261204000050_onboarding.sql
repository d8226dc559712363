-- Issue 16, bringing agents in. A community's public page exists only while a row says its
-- animateurs opened it.
CREATE TABLE community_public_pages (
    community_id BIGINT  PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    enabled_by   TEXT    NOT NULL,
    enabled_at   BIGINT  NOT NULL
);

-- Links to join a community hosted here ("rejoindre accueil"), shared on an intranet or
-- printed as a QR code. The token is kept readable: the link is meant to be shown again and
-- printed, and it only lets an agent of this node join one community.
CREATE TABLE community_links (
    id           BIGSERIAL PRIMARY KEY,
    community_id BIGINT  NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    token        TEXT    NOT NULL UNIQUE,
    created_by   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    max_uses     BIGINT,
    uses         BIGINT  NOT NULL DEFAULT 0,
    revoked_at   BIGINT
);
CREATE INDEX community_links_community ON community_links (community_id);
