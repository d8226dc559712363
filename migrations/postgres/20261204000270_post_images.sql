-- Photos in posts (issue 19): one row per image of a thread or a reply, in order. On the
-- author's node `sha256` names the re-encoded display copy in `data_dir/images/` and `url` is
-- where peers fetch it; on other nodes `url` is the origin's and `sha256` stays NULL until the
-- first view fetches, checks and re-encodes the image here.
CREATE TABLE post_images (
    id          BIGSERIAL PRIMARY KEY,
    post_id     BIGINT  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position    BIGINT  NOT NULL,
    url         TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    width       BIGINT  NOT NULL,
    height      BIGINT  NOT NULL,
    alt         TEXT    NOT NULL,
    sha256      TEXT,
    created_at  BIGINT  NOT NULL,
    UNIQUE (post_id, position)
);
