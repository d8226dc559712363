-- The federation handshake between institutions: what the other side says about itself next
-- to what we could verify, when it last asked (rate limit), deliveries that may reach a peer
-- that is not approved yet (the handshake itself), and the audit log of every decision.
-- The peer states already exist in the CHECK constraint of `peers`: no table rebuild needed.

ALTER TABLE peers ADD COLUMN branch TEXT NOT NULL DEFAULT '';
-- Read from the peer's instance actor document, fetched from its own origin.
ALTER TABLE peers ADD COLUMN verified_institution TEXT NOT NULL DEFAULT '';
ALTER TABLE peers ADD COLUMN verified_kind TEXT NOT NULL DEFAULT '';
-- The message our admin sent with our own request.
ALTER TABLE peers ADD COLUMN our_message TEXT NOT NULL DEFAULT '';
ALTER TABLE peers ADD COLUMN last_request_at INTEGER;
CREATE INDEX peers_state ON peers (state);

-- 1 for Follow/Accept/Reject/Undo/Block between instance actors: those must reach a peer
-- whose federation is not (or no longer) active; every other delivery needs an active peer.
ALTER TABLE deliveries ADD COLUMN handshake INTEGER NOT NULL DEFAULT 0;

CREATE TABLE federation_audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    -- A local username, `cli`, or `peer` for what the other side did.
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    authority TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX federation_audit_at ON federation_audit (at);
