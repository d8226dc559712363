-- Issue 16, the first hour of a new agent. An agent may offer to welcome newcomers of their
-- métier from other institutions (an opt-in on the directory entry, federated with it).
ALTER TABLE directory_entries ADD COLUMN welcomes_newcomers BIGINT NOT NULL DEFAULT 0;
