-- The HTTP signature scheme each peer accepted last (issue 14): '' not known yet, 'cavage'
-- (draft-cavage-http-signatures-12, Mastodon's) or 'rfc9421' (HTTP Message Signatures).
-- Deliveries knock with it first, and with the other one when it answers 401.
ALTER TABLE peers ADD COLUMN signature_scheme TEXT NOT NULL DEFAULT '';

-- Refused is not lost (issue 14): a group's Announce that a member's node refused only because
-- the inner activity's node is not allowed here, kept as received (the group's signature was
-- verified), so that allowing that node later replays it. Bounded per authority by the code.
CREATE TABLE refused_relays (
    id              BIGSERIAL PRIMARY KEY,
    authority       TEXT    NOT NULL,
    activity_ap_id  TEXT    NOT NULL UNIQUE,
    group_ap_id     TEXT    NOT NULL,
    raw             TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX refused_relays_authority ON refused_relays (authority, id);
