-- The HTTP signature scheme each peer accepted last (issue 14): '' not known yet, 'cavage'
-- (draft-cavage-http-signatures-12, Mastodon's) or 'rfc9421' (HTTP Message Signatures).
-- Deliveries knock with it first, and with the other one when it answers 401.
ALTER TABLE peers ADD COLUMN signature_scheme TEXT NOT NULL DEFAULT '';
