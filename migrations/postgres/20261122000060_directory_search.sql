-- The directory (annuaire) and the full-text search index.

-- One directory entry per agent: local entries are authoritative (with the agent's choices of
-- visibility), remote ones are the cache of what their origin made visible to the circle.
-- `visibility` and the `*_visibility` columns: hidden, node (this node only), circle (every
-- approved peer). The cache goes with its actor (account deleted, peer revoked).
CREATE TABLE directory_entries (
    actor_id            BIGINT  PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    visibility          TEXT    NOT NULL CHECK (visibility IN ('hidden', 'node', 'circle')),
    branch              TEXT    NOT NULL DEFAULT '',
    service             TEXT    NOT NULL DEFAULT '',
    phone               TEXT    NOT NULL DEFAULT '',
    phone_visibility    TEXT    NOT NULL DEFAULT 'node'
        CHECK (phone_visibility IN ('hidden', 'node', 'circle')),
    email               TEXT    NOT NULL DEFAULT '',
    email_visibility    TEXT    NOT NULL DEFAULT 'node'
        CHECK (email_visibility IN ('hidden', 'node', 'circle')),
    skills              TEXT    NOT NULL DEFAULT '',
    mobility            BIGINT  NOT NULL DEFAULT 0,
    mobility_visibility TEXT    NOT NULL DEFAULT 'node'
        CHECK (mobility_visibility IN ('hidden', 'node', 'circle')),
    search_text         TEXT    NOT NULL DEFAULT '',
    updated_at          BIGINT  NOT NULL
);

-- The search index: one row per readable thing (post, directory entry; later sessions,
-- resources, action items). `terms` is the text normalised in Rust (lowercase, no diacritics,
-- French Snowball stems), so that both engines match the same words; the 'simple'
-- configuration only splits it.
CREATE TABLE search_docs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT    NOT NULL,
    ap_id        TEXT    NOT NULL UNIQUE,
    community_id BIGINT  REFERENCES communities (id) ON DELETE CASCADE,
    actor_id     BIGINT  REFERENCES actors (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    published_at BIGINT  NOT NULL,
    terms        TEXT    NOT NULL,
    terms_tsv    tsvector GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED
);
CREATE INDEX search_docs_community ON search_docs (community_id);
CREATE INDEX search_docs_actor ON search_docs (actor_id);
CREATE INDEX search_docs_terms ON search_docs USING GIN (terms_tsv);

-- Whatever removes a post (its Delete, a moderator, a purge of a revoked peer, its
-- community going) removes it from the index.
CREATE FUNCTION posts_leave_search() RETURNS trigger AS $$
BEGIN
    DELETE FROM search_docs WHERE ap_id = OLD.ap_id;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER posts_leave_search AFTER DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_leave_search();

-- Resources, sessions and action items leave the index the same way, whatever removes them.
CREATE FUNCTION resources_leave_search() RETURNS trigger AS $$
BEGIN
    DELETE FROM search_docs WHERE ap_id = OLD.ap_id;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER resources_leave_search AFTER DELETE ON resources
    FOR EACH ROW EXECUTE FUNCTION resources_leave_search();
CREATE FUNCTION events_leave_search() RETURNS trigger AS $$
BEGIN
    DELETE FROM search_docs WHERE ap_id = OLD.ap_id;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_leave_search AFTER DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_leave_search();
CREATE FUNCTION action_items_leave_search() RETURNS trigger AS $$
BEGIN
    DELETE FROM search_docs WHERE ap_id = OLD.ap_id;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER action_items_leave_search AFTER DELETE ON action_items
    FOR EACH ROW EXECUTE FUNCTION action_items_leave_search();
