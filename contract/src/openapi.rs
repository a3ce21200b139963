//! The field schemas that the `ToSchema` derives cannot state from an attribute: those whose
//! limit is one of [`crate::limits`] (a derive attribute takes only a literal) and the
//! validation rules of [`crate::validate`] written as JSON Schema patterns. Only with the
//! `openapi` feature, which the server turns on and the app does not.
//!
//! The optional fields of what the server sends are marked `nullable = false` where they are
//! declared: the server leaves them out, it never sends `null`.

use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Array, Object, Ref};

use crate::limits;

/// An article slug (see [`crate::paths::is_valid_slug`]).
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/// An RFC 3339 time in UTC to the second, as the API sends every time.
pub const TIMESTAMP_PATTERN: &str = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$";
/// Text with at least one character that is neither white space nor invisible (see
/// [`crate::validate::is_blank`]; characters outside the Basic Multilingual Plane are not
/// listed).
pub const NOT_BLANK_PATTERN: &str = "[^\\s\\u0085\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\u2800\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0]";
/// Free text without controls other than tab, line feed and CRLF, and without bidi controls
/// (see [`crate::validate::has_forbidden_text_character`]).
pub const CLEAN_TEXT_PATTERN: &str = "^([^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]|\\r\\n)*$";
/// What the server takes as an email address (see [`crate::validate::is_email`]):
/// `local@domain.tld`, in plain ASCII here.
pub const EMAIL_PATTERN: &str = "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+";
/// What the server takes as a source link (see [`crate::validate::is_web_url`]): an http or
/// https URL with a host name.
pub const URL_PATTERN: &str = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?";
/// A report reference: random, or numbered for reports stored before references were random.
pub const REFERENCE_PATTERN: &str = "^BP-([0-9A-HJKMNP-TV-Z]{8}|[0-9]{6,})$";
/// An idempotency key's characters (see [`crate::validate::idempotency_key`]).
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[A-Za-z0-9_-]+$";
/// An unsubscribe token's characters (see [`crate::NewsletterUnsubscribe::validate`]).
pub const UNSUBSCRIBE_TOKEN_PATTERN: &str = "^[A-Za-z0-9]+$";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// An article slug.
pub fn slug() -> Object {
    string()
        .pattern(Some(SLUG_PATTERN))
        .min_length(Some(1))
        .max_length(Some(limits::SLUG_MAX))
        .build()
}

/// A time in UTC.
pub fn timestamp() -> Object {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .pattern(Some(TIMESTAMP_PATTERN))
        .build()
}

/// A required free-text field of at most `MAX` characters: not blank, no forbidden characters.
pub fn free_text<const MAX: usize>() -> Object {
    // Two patterns, so each says one rule; the derive's model has no `allOf` on a string.
    let both =
        serde_json::json!([{ "pattern": NOT_BLANK_PATTERN }, { "pattern": CLEAN_TEXT_PATTERN }]);
    string()
        .min_length(Some(1))
        .max_length(Some(MAX))
        .description(Some(format!(
            "At most {MAX} characters, not blank (white space and invisible characters alone \
             are blank), with no control characters but tab, line feed and CRLF, and no \
             text-direction controls (422 `invalid_characters`)."
        )))
        .extensions(Some(Extensions::from_iter([("allOf", both)])))
        .build()
}

/// An optional field that matches `pattern` when given; absent, null or blank all mean none.
fn optional(pattern: &str, max: usize, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
        .max_length(Some(max))
        .pattern(Some(format!("^([ \\t\\r\\n]*|{pattern})$")))
        .description(Some(description))
        .build()
}

/// A report's optional source link.
pub fn optional_source_url() -> Object {
    optional(
        URL_PATTERN,
        limits::SOURCE_URL_MAX,
        "An http or https link to a source.",
    )
}

/// A report's optional reply address.
pub fn optional_email() -> Object {
    optional(
        EMAIL_PATTERN,
        limits::EMAIL_MAX,
        "Where to answer the reader, e.g. name@example.com.",
    )
}

/// A sign-up's email address.
pub fn email() -> Object {
    string()
        .max_length(Some(limits::EMAIL_MAX))
        .pattern(Some(format!("^{EMAIL_PATTERN}$")))
        .description(Some("The address, e.g. name@example.com."))
        .build()
}

/// A report's idempotency key.
pub fn idempotency_key() -> Object {
    string()
        .min_length(Some(limits::IDEMPOTENCY_KEY_MIN))
        .max_length(Some(limits::IDEMPOTENCY_KEY_MAX))
        .pattern(Some(IDEMPOTENCY_KEY_PATTERN))
        .description(Some(
            "Made by the client once per report; the same key sent again with the same report \
             returns the first report's receipt and stores nothing, with a different report \
             409 `idempotency_conflict`.",
        ))
        .build()
}

/// The token of an unsubscribe link.
pub fn unsubscribe_token() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(limits::UNSUBSCRIBE_TOKEN_MAX))
        .pattern(Some(UNSUBSCRIBE_TOKEN_PATTERN))
        .description(Some(
            "The token of the unsubscribe link (its `token` parameter).",
        ))
        .build()
}

/// The token of a report's status link.
pub fn report_status_token() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(limits::REPORT_STATUS_TOKEN_MAX))
        .pattern(Some(UNSUBSCRIBE_TOKEN_PATTERN))
        .description(Some(
            "The token of the report's private status link, from its receipt.",
        ))
        .build()
}

/// A report's reference.
pub fn report_reference() -> Object {
    string()
        .pattern(Some(REFERENCE_PATTERN))
        // The validator's bound on the numbered form, which the pattern leaves open.
        .max_length(Some(limits::REPORT_REFERENCE_MAX))
        .description(Some(
            "The report's reference: `BP-` and eight random characters of Crockford's base 32, \
             e.g. `BP-7K3QX9ZD`; reports stored before references were random keep their \
             numbered one, e.g. `BP-000042`.",
        ))
        .build()
}

fn summaries(max: usize, description: &str) -> Array {
    ArrayBuilder::new()
        .items(Ref::from_schema_name("ArticleSummary"))
        .max_items(Some(max))
        .description(Some(description))
        .build()
}

/// The related articles an article carries.
pub fn related_preview() -> Array {
    summaries(
        limits::RELATED_PREVIEW,
        "The first related articles; all are on the related list.",
    )
}

/// One page's articles.
pub fn page_of_articles() -> Array {
    summaries(
        usize::try_from(limits::ARTICLES_PER_PAGE).unwrap_or(usize::MAX),
        "This page's articles.",
    )
}
