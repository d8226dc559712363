-- Reactions (« Merci », « +1 », « Bravo ») on threads, replies and resources: one row per
-- agent, object and kind. The community's host keeps every member's; members' nodes keep
-- what the group announced. `ap_id` is the `Like` / `EmojiReact` id, what an `Undo` names.
CREATE TABLE reactions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    object_ap_id TEXT    NOT NULL,
    actor_ap_id  TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    ap_id        TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    UNIQUE (object_ap_id, actor_ap_id, kind)
);
CREATE INDEX reactions_community ON reactions (community_id);
