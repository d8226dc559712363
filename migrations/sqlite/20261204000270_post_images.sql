-- Photos in posts (issue 19): one row per image of a thread or a reply, in order. On the
-- author's node `sha256` names the re-encoded display copy in `data_dir/images/` and `url` is
-- where peers fetch it; on other nodes `url` is the origin's and `sha256` stays NULL until the
-- first view fetches, checks and re-encodes the image here.
CREATE TABLE post_images (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    url         TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    alt         TEXT    NOT NULL,
    sha256      TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (post_id, position)
);
