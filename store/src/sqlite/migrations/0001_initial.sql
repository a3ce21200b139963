-- The articles the site shows, loaded from content/, and what readers send.
CREATE TABLE sections (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE articles (
    id                     INTEGER PRIMARY KEY,
    slug                   TEXT NOT NULL UNIQUE,
    headline               TEXT NOT NULL,
    standfirst             TEXT,
    section_id             INTEGER NOT NULL REFERENCES sections(id),
    published_at           TEXT NOT NULL,
    updated_at             TEXT,
    featured               INTEGER NOT NULL DEFAULT 0,
    credit                 TEXT,
    audio_url              TEXT,
    audio_duration_seconds INTEGER,
    body_json              TEXT NOT NULL DEFAULT '[]',
    reading_time_minutes   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_newest_first ON articles (published_at DESC, slug);

CREATE TABLE related_articles (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    related_slug TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE site (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL,
    motto         TEXT NOT NULL,
    tagline       TEXT NOT NULL,
    ai_disclaimer TEXT NOT NULL
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
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

CREATE TABLE newsletter_subscribers (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
