-- Private messages between persons (issue 14): stored only on the nodes of their participants.
-- `conversation` is a hash of the sorted participants' ids, so every node groups the same
-- messages together without a protocol field; `participants` keeps that sorted list (one id
-- a line) to show it. `authority` is the author's node, so that revoking it purges them.
CREATE TABLE messages (
    id            BIGSERIAL PRIMARY KEY,
    ap_id         TEXT    NOT NULL UNIQUE,
    conversation  TEXT    NOT NULL,
    participants  TEXT    NOT NULL,
    author        TEXT    NOT NULL,
    authority     TEXT    NOT NULL,
    content_html  TEXT    NOT NULL,
    in_reply_to   TEXT,
    published_at  BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation, published_at);
CREATE INDEX messages_authority ON messages (authority);

-- Who may read a message here: its author and recipients, except a local agent who refused it.
CREATE TABLE message_readers (
    message_id BIGINT  NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    actor      TEXT    NOT NULL,
    PRIMARY KEY (message_id, actor)
);
CREATE INDEX message_readers_actor ON message_readers (actor);

-- An agent who accepts private messages only from agents of their own institution (node).
CREATE TABLE message_preferences (
    account_id       BIGINT  PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    institution_only BIGINT  NOT NULL DEFAULT 0 CHECK (institution_only IN (0, 1)),
    updated_at       BIGINT  NOT NULL
);
