-- Deliveries that survive a crash (issue 13, finding 11). A claim names the process that
-- holds it (`claimed_by`); each delivering process keeps a heartbeat row in
-- `worker_instances`, so that another process (or the same node restarted) takes over the
-- claims of a process that is gone without waiting out the lease. `publish_journal` is the
-- write-ahead record of a change that must be sent: written before the change is stored,
-- removed once its deliveries are queued, replayed (idempotently) by the worker otherwise.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
CREATE TABLE worker_instances (
    id           TEXT    PRIMARY KEY,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
CREATE TABLE publish_journal (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    instance   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX publish_journal_created ON publish_journal (created_at);
