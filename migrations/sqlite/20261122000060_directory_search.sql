-- The directory (annuaire) and the full-text search index.

-- One directory entry per agent: local entries are authoritative (with the agent's choices of
-- visibility), remote ones are the cache of what their origin made visible to the circle.
-- `visibility` and the `*_visibility` columns: hidden, node (this node only), circle (every
-- approved peer). The cache goes with its actor (account deleted, peer revoked).
CREATE TABLE directory_entries (
    actor_id            INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
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
    mobility            INTEGER NOT NULL DEFAULT 0,
    mobility_visibility TEXT    NOT NULL DEFAULT 'node'
        CHECK (mobility_visibility IN ('hidden', 'node', 'circle')),
    search_text         TEXT    NOT NULL DEFAULT '',
    updated_at          INTEGER NOT NULL
);

-- The search index: one row per readable thing (post, directory entry; later sessions,
-- resources, action items). `terms` is the text normalised in Rust (lowercase, no diacritics,
-- French Snowball stems), so that both engines match the same words.
CREATE TABLE search_docs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    ap_id        TEXT    NOT NULL UNIQUE,
    community_id INTEGER REFERENCES communities (id) ON DELETE CASCADE,
    actor_id     INTEGER REFERENCES actors (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    terms        TEXT    NOT NULL
);
CREATE INDEX search_docs_community ON search_docs (community_id);
CREATE INDEX search_docs_actor ON search_docs (actor_id);

CREATE VIRTUAL TABLE search_fts USING fts5 (
    terms, content = 'search_docs', content_rowid = 'id', tokenize = 'unicode61'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, terms) VALUES (new.id, new.terms);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
    INSERT INTO search_fts (rowid, terms) VALUES (new.id, new.terms);
END;

-- Whatever removes a post (its Delete, a moderator, a purge of a revoked peer, its
-- community going) removes it from the index.
CREATE TRIGGER posts_leave_search AFTER DELETE ON posts BEGIN
    DELETE FROM search_docs WHERE ap_id = old.ap_id;
END;

-- Resources, sessions and action items leave the index the same way, whatever removes them.
CREATE TRIGGER resources_leave_search AFTER DELETE ON resources BEGIN
    DELETE FROM search_docs WHERE ap_id = old.ap_id;
END;
CREATE TRIGGER events_leave_search AFTER DELETE ON events BEGIN
    DELETE FROM search_docs WHERE ap_id = old.ap_id;
END;
CREATE TRIGGER action_items_leave_search AFTER DELETE ON action_items BEGIN
    DELETE FROM search_docs WHERE ap_id = old.ap_id;
END;
