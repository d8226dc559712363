-- Indexes for what the home page of every newcomer asks (issue 20, web under load).
-- Measured at 100,000 posts, 50 communities (benches/README.md):
-- « has this agent posted in this community? » (the welcome checklist on the home page)
-- read every post of the community; now one index probe.
CREATE INDEX posts_community_author ON posts (community_id, attributed_to);
-- The community's welcome kit (its first pinned thread) read every post of the community;
-- pinned posts are few, so the index holds only them.
CREATE INDEX posts_community_pinned ON posts (community_id, published_at, id) WHERE pinned = 1;
