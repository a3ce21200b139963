//! The one place for the limits on what readers send. The server enforces them, the app checks
//! them before sending, and the README and OpenAPI document quote them.

/// Longest accepted article slug, in bytes.
pub const SLUG_MAX: usize = 200;
/// Longest quoted passage in a report, in characters.
pub const QUOTED_PASSAGE_MAX: usize = 2_000;
/// Longest "what is wrong" explanation in a report, in characters.
pub const WHAT_IS_WRONG_MAX: usize = 2_000;
/// Longest "what it should say" correction in a report, in characters.
pub const CORRECTION_MAX: usize = 2_000;
/// Longest source link, in characters.
pub const SOURCE_URL_MAX: usize = 2_000;
/// Longest email address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// Shortest idempotency key, in characters.
pub const IDEMPOTENCY_KEY_MIN: usize = 16;
/// Longest idempotency key, in characters.
pub const IDEMPOTENCY_KEY_MAX: usize = 64;
/// Longest newsletter unsubscribe token, in characters (the server makes them 32 long).
pub const UNSUBSCRIBE_TOKEN_MAX: usize = 64;
/// The longest report reference a status request may name (they are 11 characters today).
pub const REPORT_REFERENCE_MAX: usize = 32;
/// The longest token of a report's status link (they are 32 characters today).
pub const REPORT_STATUS_TOKEN_MAX: usize = 64;
/// Largest request body the API reads, in bytes; past it the answer is 413.
pub const REQUEST_BODY_MAX_BYTES: usize = 16 * 1024;
/// Articles on one page of the list.
pub const ARTICLES_PER_PAGE: u32 = 20;
/// Related articles shown under an article; the rest are on its related list.
pub const RELATED_PREVIEW: usize = 6;
/// Words a reader reads in a minute, for the reading time.
pub const WORDS_PER_MINUTE: usize = 230;
/// Headlines an embed of the latest headlines holds; a partner shows up to this many.
pub const EMBED_HEADLINES_MAX: u32 = 10;
/// Headlines an embed shows when the partner names no number.
pub const EMBED_HEADLINES_DEFAULT: u32 = 5;
/// Pages of the article list an embed of one section's headlines looks through (the section's
/// headlines among the newest `ARTICLES_PER_PAGE` × this many articles).
pub const EMBED_LIST_PAGES: u32 = 3;
