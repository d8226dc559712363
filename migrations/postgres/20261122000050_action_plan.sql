-- The action plan of a community (items, their comments) and kinds of community posts
-- (discussion, veille, mobilite) with hashtags. The host holds the original items; members'
-- nodes keep a cache, as for posts.

-- `status`: proposed, in_progress, done, dropped. `due_on` and `escalated_on` are calendar
-- dates (YYYY-MM-DD) or ''; an item is escalated when `escalated_on` is set.
CREATE TABLE action_items (
    id            BIGSERIAL PRIMARY KEY,
    ap_id         TEXT    NOT NULL UNIQUE,
    community_id  BIGINT  NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    authority     TEXT    NOT NULL,
    attributed_to TEXT    NOT NULL,
    owner         TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    content_html  TEXT    NOT NULL DEFAULT '',
    due_on        TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL CHECK (status IN ('proposed', 'in_progress', 'done', 'dropped')),
    escalated_on  TEXT    NOT NULL DEFAULT '',
    escalated_to  TEXT    NOT NULL DEFAULT '',
    published_at  BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX action_items_community ON action_items (community_id, status);

CREATE TABLE action_comments (
    id            BIGSERIAL PRIMARY KEY,
    ap_id         TEXT    NOT NULL UNIQUE,
    item_id       BIGINT  NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    authority     TEXT    NOT NULL,
    attributed_to TEXT    NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    content_html  TEXT    NOT NULL,
    published_at  BIGINT  NOT NULL
);
CREATE INDEX action_comments_item ON action_comments (item_id, published_at);

-- Kinds of threads: `category` discussion, veille or mobilite; `tags` the hashtags, lower
-- case, each surrounded by spaces (" rh mobilite ") so that one LIKE finds one tag.
ALTER TABLE posts ADD COLUMN category TEXT NOT NULL DEFAULT 'discussion';
ALTER TABLE posts ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN deadline TEXT NOT NULL DEFAULT '';
