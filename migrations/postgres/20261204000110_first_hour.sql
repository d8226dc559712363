-- Issue 16, the first hour of a new agent. An agent may offer to welcome newcomers of their
-- métier from other institutions (an opt-in on the directory entry, federated with it).
ALTER TABLE directory_entries ADD COLUMN welcomes_newcomers BIGINT NOT NULL DEFAULT 0;

-- The welcome kit (a community's pinned thread) an agent opened from their welcome page.
CREATE TABLE welcome_kit_reads (
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    read_at      BIGINT NOT NULL,
    PRIMARY KEY (account_id, community_id)
);
