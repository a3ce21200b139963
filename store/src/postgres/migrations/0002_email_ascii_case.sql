-- Email addresses are matched ignoring the case of ASCII letters only, as SQLite's NOCASE
-- does: `lower()` under the database's own collation would also fold "É" to "é" on a
-- UTF-8 locale, so the same addresses would be one subscriber on PostgreSQL and two on
-- SQLite. Under the "C" collation `lower()` changes ASCII letters only, whatever the
-- database's locale. Folding fewer letters cannot make two stored addresses equal that were
-- not, so the unique index builds on any existing list.
DROP INDEX reports_email;
CREATE INDEX reports_email ON reports (lower(email COLLATE "C")) WHERE email IS NOT NULL;
DROP INDEX newsletter_subscribers_email;
CREATE UNIQUE INDEX newsletter_subscribers_email ON newsletter_subscribers (lower(email COLLATE "C"));
