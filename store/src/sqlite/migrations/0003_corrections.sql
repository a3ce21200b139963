-- The correction loop: report states (received, accepted, declined with a reason, corrected),
-- published corrections, and every earlier body of an article.

-- A published correction: the passage as it was, what replaced it and the public note.
CREATE TABLE corrections (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    passage      TEXT NOT NULL,
    replacement  TEXT NOT NULL,
    note         TEXT NOT NULL,
    published_at TEXT NOT NULL
);
CREATE INDEX corrections_by_article ON corrections (article_id, id);

-- An article's body as it was before a correction replaced it.
CREATE TABLE article_versions (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id),
    correction_id INTEGER NOT NULL UNIQUE REFERENCES corrections(id),
    body_json     TEXT NOT NULL,
    replaced_at   TEXT NOT NULL
);

-- The new states replace 'resolved', which meant only "an editor dealt with it" and made no
-- change to the article: such reports are declined, their reason left unrecorded.
CREATE TABLE reports_new (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_sha256  TEXT,
    spam            INTEGER NOT NULL DEFAULT 0 CHECK (spam IN (0, 1)),
    article_id      INTEGER NOT NULL REFERENCES articles(id),
    quoted_passage  TEXT NOT NULL,
    what_is_wrong   TEXT NOT NULL,
    correction      TEXT NOT NULL,
    source_url      TEXT,
    email           TEXT,
    status          TEXT NOT NULL DEFAULT 'received'
                    CHECK (status IN ('received', 'accepted', 'declined', 'corrected')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    decided_at      TEXT,
    decline_reason  TEXT,
    correction_id   INTEGER REFERENCES corrections(id)
);
INSERT INTO reports_new (id, reference, idempotency_key, request_sha256, spam, article_id,
    quoted_passage, what_is_wrong, correction, source_url, email, status, created_at,
    decided_at)
SELECT id, reference, idempotency_key, request_sha256, spam, article_id, quoted_passage,
    what_is_wrong, correction, source_url, email,
    CASE status WHEN 'resolved' THEN 'declined' ELSE status END, created_at, resolved_at
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_created_at ON reports (created_at);
CREATE INDEX reports_email ON reports (email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE INDEX reports_by_correction ON reports (correction_id) WHERE correction_id IS NOT NULL;

-- The corrections page changes with the corrections.
CREATE TRIGGER corrections_inserted AFTER INSERT ON corrections
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER corrections_updated AFTER UPDATE ON corrections
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER corrections_deleted AFTER DELETE ON corrections
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
