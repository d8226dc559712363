-- Attendance (issue 18): when an animateur marked an agent present at a session, and who did.
-- A walk-in (a member who had not registered) gets a participant row in state `accepted`
-- with the mark. Members' nodes keep the host's marks in the same columns, from the group's
-- Update{Event}, so an agent's own node can deliver their attestation.
ALTER TABLE event_participants ADD COLUMN attended_at BIGINT;
ALTER TABLE event_participants ADD COLUMN attended_by TEXT;
CREATE INDEX event_participants_attended ON event_participants (actor_ap_id, attended_at);
