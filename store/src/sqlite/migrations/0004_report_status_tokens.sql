-- The reporter's private status link: only the SHA-256 of each token a receipt gave is kept,
-- so the database alone cannot open anyone's status page. A report resent under its
-- idempotency key gets another token; every one given stays valid.
CREATE TABLE report_status_tokens (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    token_sha256 BLOB NOT NULL CHECK (length(token_sha256) = 32),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX report_status_tokens_by_report ON report_status_tokens (report_id);
