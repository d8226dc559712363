-- Issue 19: the language an agent chose for her pages, mails and push notifications
-- ('fr' or 'en'). No row: the browser's Accept-Language decides, then the node's locale.
CREATE TABLE agent_languages (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    language   TEXT    NOT NULL CHECK (language IN ('fr', 'en'))
);
