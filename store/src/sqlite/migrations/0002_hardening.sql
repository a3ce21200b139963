-- Random report references, idempotency digests and spam rows; unsubscribe tokens; withdrawn
-- articles; a content generation other processes' changes can be seen by.

-- Reports get a reference of their own (older ones keep the numbered one readers were given),
-- the SHA-256 of what was sent (filled in by the migration's hook for older ones), and a spam
-- flag for what the honeypot caught. SQLite cannot add a NOT NULL UNIQUE column in place.
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
    status          TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'resolved')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    resolved_at     TEXT
);
INSERT INTO reports_new (id, reference, idempotency_key, article_id, quoted_passage,
    what_is_wrong, correction, source_url, email, status, created_at, resolved_at)
SELECT id, printf('BP-%06d', id), idempotency_key, article_id, quoted_passage, what_is_wrong,
    correction, source_url, email, status, created_at, resolved_at
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_created_at ON reports (created_at);
CREATE INDEX reports_email ON reports (email COLLATE NOCASE) WHERE email IS NOT NULL;

-- Each sign-up's unsubscribe token (the hook gives older ones theirs).
ALTER TABLE newsletter_subscribers ADD COLUMN unsubscribe_token TEXT;
CREATE UNIQUE INDEX newsletter_unsubscribe_token ON newsletter_subscribers (unsubscribe_token);

-- An article taken out of the content folder is withdrawn: off the site, its reports kept.
ALTER TABLE articles ADD COLUMN withdrawn_at TEXT;
DROP INDEX articles_newest_first;
CREATE INDEX articles_live_newest_first ON articles (published_at DESC, slug)
    WHERE withdrawn_at IS NULL;

-- Advanced by every change to what readers are shown, by any connection of any process.
CREATE TABLE content_generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO content_generation (id, value) VALUES (1, 1);

CREATE TRIGGER articles_inserted AFTER INSERT ON articles
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER articles_updated AFTER UPDATE ON articles
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER articles_deleted AFTER DELETE ON articles
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER sections_inserted AFTER INSERT ON sections
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sections_updated AFTER UPDATE ON sections
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sections_deleted AFTER DELETE ON sections
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER related_articles_inserted AFTER INSERT ON related_articles
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER related_articles_updated AFTER UPDATE ON related_articles
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER related_articles_deleted AFTER DELETE ON related_articles
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;

CREATE TRIGGER site_inserted AFTER INSERT ON site
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER site_updated AFTER UPDATE ON site
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER site_deleted AFTER DELETE ON site
BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;
