-- Polls: a thread of category `sondage` carries a question. `polls` holds its settings,
-- `poll_options` its choices with their totals (counted by the community's host, announced to
-- members' nodes in the group's Update{Question}), `poll_votes` the votes: on the host every
-- voter's, on a member's node the ballots of its own agents (what it sent to the host).
CREATE TABLE polls (
    post_id      INTEGER NOT NULL PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    multiple     INTEGER NOT NULL DEFAULT 0,
    anonymous    INTEGER NOT NULL DEFAULT 0,
    -- who sees the totals: 'always', 'after_vote' (once one has voted), 'after_close'
    results      TEXT    NOT NULL DEFAULT 'always',
    -- a date poll: each option is a date or a date and time (`YYYY-MM-DD[THH:MM]`)
    dates        INTEGER NOT NULL DEFAULT 0,
    end_time     INTEGER NOT NULL,
    voters_count INTEGER NOT NULL DEFAULT 0,
    -- when the host last counted (its clock): a member's node keeps the latest totals only
    counted_at   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE poll_options (
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    total    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, position),
    UNIQUE (post_id, name)
);

-- One row per option chosen: the vote `Note`'s id, its author and the option's name.
CREATE TABLE poll_votes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    ap_id       TEXT    NOT NULL UNIQUE,
    voter       TEXT    NOT NULL,
    option_name TEXT    NOT NULL,
    voted_at    INTEGER NOT NULL,
    UNIQUE (post_id, voter, option_name)
);
CREATE INDEX poll_votes_voter ON poll_votes (voter);
