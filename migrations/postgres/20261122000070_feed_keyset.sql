-- The home feed reads the newest posts of each of the agent's communities by index, in
-- (published_at, id) order: `id` breaks ties between posts of the same millisecond, so the
-- keyset cursor (published_at, id) neither skips nor repeats them. Supersedes posts_community.
CREATE INDEX posts_community_recent ON posts (community_id, published_at DESC, id DESC);
DROP INDEX posts_community;
