-- Issue 19: the language an agent chose for her pages, mails and push notifications
-- ('fr' or 'en'). No row: the browser's Accept-Language decides, then the node's locale.
CREATE TABLE agent_languages (
    account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    language   TEXT    NOT NULL CHECK (language IN ('fr', 'en'))
);

-- Issue 19: unread markers. The highest local post id of a thread (itself or a reply) the agent
-- had on screen when she last opened it: local ids grow as posts arrive here, so a remote
-- reply delivered late is still new.
CREATE TABLE thread_views (
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    thread_ap_id TEXT    NOT NULL,
    seen_post_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, thread_ap_id)
);
