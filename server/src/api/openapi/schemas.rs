//! The document's `components/schemas`: every JSON shape of the contract crate, with its limits.

use budapest_post_contract::{limits, ReportStatus};
use serde_json::{json, Value};

/// A reference to the schema `name`.
pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The pattern of an article slug (see `paths::is_valid_slug`).
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

/// A slug's schema.
pub fn slug() -> Value {
    json!({ "type": "string", "pattern": SLUG_PATTERN, "minLength": 1,
            "maxLength": limits::SLUG_MAX })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn timestamp(description: &str) -> Value {
    json!({ "type": "string", "format": "date-time", "description": description,
            "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$" })
}

fn count(description: &str) -> Value {
    json!({ "type": "integer", "minimum": 0, "description": description })
}

/// A closed object: these properties, these required, nothing else.
fn object(description: &str, required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "description": description, "required": required,
            "properties": properties, "additionalProperties": false })
}

fn block(kind: &str, description: &str, required: &[&str], mut properties: Value) -> Value {
    properties["type"] = json!({ "const": kind });
    let mut required = required.to_vec();
    required.insert(0, "type");
    object(description, &required, properties)
}

fn reads() -> Value {
    json!({
        "Section": object("A section of the paper.", &["slug", "name"], json!({
            "slug": { "type": "string", "description": "URL name, e.g. `europe`." },
            "name": text("Display name, e.g. `Europe`."),
        })),
        "ArticleSummary": object(
            "What a list needs to show an article.",
            &["slug", "headline", "section", "published_at"],
            json!({
                "slug": slug(),
                "headline": text("The headline, plain text."),
                "standfirst": text("The summary under the headline."),
                "section": schema_ref("Section"),
                "published_at": timestamp("First published, UTC."),
                "updated_at": timestamp("Last updated, UTC."),
            }),
        ),
        "Inline": object("A run of text, plain or emphasised; never markup.", &["type", "text"],
            json!({
                "type": { "enum": ["text", "emphasis", "strong"] },
                "text": { "type": "string" },
            })),
        "ExplainerItem": object("An explainer item: a bold lead-in, then the text.",
            &["lead", "text"], json!({ "lead": { "type": "string" }, "text": { "type": "string" } })),
        "Block": {
            "description": "One block of an article's body, tagged by `type`.",
            "oneOf": [
                schema_ref("ParagraphBlock"), schema_ref("ExplainerBlock"),
                schema_ref("ImageBlock"), schema_ref("QuoteBlock"),
            ],
            "discriminator": { "propertyName": "type", "mapping": {
                "paragraph": "#/components/schemas/ParagraphBlock",
                "explainer": "#/components/schemas/ExplainerBlock",
                "image": "#/components/schemas/ImageBlock",
                "quote": "#/components/schemas/QuoteBlock",
            }},
        },
        "ParagraphBlock": block("paragraph", "A paragraph of plain text.", &["text"], json!({
            "text": text("The paragraph's plain text."),
            "inlines": { "type": "array", "items": schema_ref("Inline"),
                         "description": "When present, replaces `text` for display." },
        })),
        "ExplainerBlock": block("explainer", "A box that explains the background.",
            &["title", "items"], json!({
                "title": { "type": "string" },
                "items": { "type": "array", "items": schema_ref("ExplainerItem") },
            })),
        "ImageBlock": block("image", "A picture with its caption and credit.", &["src", "alt"],
            json!({
                "src": { "type": "string" },
                "alt": text("What it shows."),
                "caption": { "type": "string" },
                "credit": { "type": "string" },
                "width": count("Intrinsic width in pixels."),
                "height": count("Intrinsic height in pixels."),
            })),
        "QuoteBlock": block("quote", "A pulled quote.", &["text"], json!({
            "text": { "type": "string" },
            "attribution": { "type": "string" },
        })),
        "Audio": object("An article's recorded reading.", &["url", "duration_seconds"], json!({
            "url": { "type": "string", "format": "uri" },
            "duration_seconds": count("Length in whole seconds."),
        })),
        "Article": object(
            "Everything an article page shows.",
            &["slug", "headline", "section", "published_at", "reading_time_minutes", "body",
              "ai_disclaimer", "related", "related_total"],
            json!({
                "slug": slug(),
                "headline": { "type": "string" },
                "standfirst": { "type": "string" },
                "section": schema_ref("Section"),
                "published_at": timestamp("First published, UTC."),
                "updated_at": timestamp("Last updated, UTC."),
                "reading_time_minutes": count(&format!(
                    "Minutes at {} words a minute, rounded up; 0 without a body.",
                    limits::WORDS_PER_MINUTE)),
                "body": { "type": "array", "items": schema_ref("Block") },
                "credit": text("Who reported it and from where."),
                "ai_disclaimer": text("The notice that an AI system wrote the page."),
                "audio": schema_ref("Audio"),
                "related": { "type": "array", "items": schema_ref("ArticleSummary"),
                    "maxItems": limits::RELATED_PREVIEW,
                    "description": "The first related articles; all are on the related list." },
                "related_total": count("How many related articles there are in all."),
                "corrections": { "type": "array", "items": schema_ref("Correction"),
                    "description": "Its published corrections, oldest first." },
            }),
        ),
        "Correction": object("A published correction's public note.",
            &["id", "note", "published_at"], json!({
                "id": count("Its number, unique across the site."),
                "note": text("What was wrong, e.g. \"An earlier version of this article misspelled …\""),
                "published_at": timestamp("When it was published, UTC."),
            })),
        "CorrectionEntry": object(
            "A correction on the corrections page, with the article it corrected.",
            &["id", "note", "published_at", "article"], json!({
                "id": count("Its number, unique across the site."),
                "note": text("What was wrong."),
                "published_at": timestamp("When it was published, UTC."),
                "article": schema_ref("ArticleSummary"),
            })),
        "CorrectionList": object("Every published correction, newest first.", &["corrections"],
            json!({ "corrections": { "type": "array", "items": schema_ref("CorrectionEntry") } })),
        "ArticleList": object(
            "One page of the article list, newest first.",
            &["articles", "page", "total_pages", "total_articles", "sections"],
            json!({
                "lead": schema_ref("ArticleSummary"),
                "articles": { "type": "array", "items": schema_ref("ArticleSummary"),
                              "maxItems": limits::ARTICLES_PER_PAGE },
                "page": { "type": "integer", "minimum": 1 },
                "total_pages": { "type": "integer", "minimum": 1 },
                "total_articles": count("Articles in all."),
                "sections": { "type": "array", "items": schema_ref("Section") },
                "next": text("The path of the next page, when there is one."),
            }),
        ),
        "RelatedList": object("An article's full related list.", &["article", "related"],
            json!({
                "article": schema_ref("ArticleSummary"),
                "related": { "type": "array", "items": schema_ref("ArticleSummary") },
            })),
        "Site": object("The masthead.", &["name", "motto", "tagline"], json!({
            "name": { "type": "string" }, "motto": { "type": "string" },
            "tagline": { "type": "string" },
        })),
    })
}

/// Text with at least one character that is neither white space nor invisible (see
/// `validate::is_blank`; characters outside the Basic Multilingual Plane are not listed).
pub const NOT_BLANK_PATTERN: &str = "[^\\s\\u0085\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\u2800\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0]";
/// Free text without controls other than tab, line feed and CRLF, and without bidi controls
/// (see `validate::has_forbidden_text_character`).
pub const CLEAN_TEXT_PATTERN: &str = "^([^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]|\\r\\n)*$";
/// What the server takes as an email address: `local@domain.tld`, in plain ASCII here.
pub const EMAIL_PATTERN: &str = "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+";
/// What the server takes as a source link: an http or https URL with a host name.
pub const URL_PATTERN: &str = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?";

/// An optional field: absent, null, or blank all mean "none".
fn optional(pattern: &str, max: usize, description: &str) -> Value {
    json!({ "type": ["string", "null"], "maxLength": max,
            "pattern": format!("^([ \\t\\r\\n]*|{pattern})$"), "description": description })
}

fn writes() -> Value {
    let free_text = |max: usize, what: &str| {
        json!({ "type": "string", "minLength": 1, "maxLength": max,
                "allOf": [{ "pattern": NOT_BLANK_PATTERN }, { "pattern": CLEAN_TEXT_PATTERN }],
                "description": format!("{what}; at most {max} characters, not blank (white space and invisible characters alone are blank), with no control characters but tab, line feed and CRLF, and no text-direction controls (422 `invalid_characters`).") })
    };
    let honeypot = json!({ "type": ["string", "null"], "description":
        "Hidden from people; a request with it filled in is answered as if accepted and not stored." });
    json!({
        "ReportRequest": {
            "type": "object",
            "description": "A reader's report of an inaccuracy. Missing or blank required fields are answered with 422 `validation_failed`, naming each one; a field not listed here is answered with 400 `malformed_json` naming it.",
            "additionalProperties": false,
            "required": ["article_slug", "quoted_passage", "what_is_wrong", "correction",
                         "idempotency_key"],
            "properties": {
                "article_slug": slug(),
                "quoted_passage": free_text(limits::QUOTED_PASSAGE_MAX, "The passage that is wrong"),
                "what_is_wrong": free_text(limits::WHAT_IS_WRONG_MAX, "What is wrong with it"),
                "correction": free_text(limits::CORRECTION_MAX, "What it should say"),
                "source_url": optional(URL_PATTERN, limits::SOURCE_URL_MAX,
                    "An http or https link to a source."),
                "email": optional(EMAIL_PATTERN, limits::EMAIL_MAX,
                    "Where to answer the reader, e.g. name@example.com."),
                "idempotency_key": { "type": "string",
                    "minLength": limits::IDEMPOTENCY_KEY_MIN,
                    "maxLength": limits::IDEMPOTENCY_KEY_MAX,
                    "pattern": "^[A-Za-z0-9_-]+$",
                    "description": "Made by the client once per report; the same key sent again with the same report returns the first report's receipt and stores nothing, with a different report 409 `idempotency_conflict`." },
                "website": honeypot,
            },
        },
        "ReportStatus": { "enum": ReportStatus::ALL.map(ReportStatus::as_str),
            "description": "Where a report stands: received, accepted (a correction is to follow), declined (with a reason), corrected (a published correction answers it)." },
        "ReportReceipt": object("An accepted report.", &["id", "status"], json!({
            "id": { "type": "string", "pattern": REFERENCE_PATTERN,
                    "description": "The report's reference: `BP-` and eight random characters of Crockford's base 32, e.g. `BP-7K3QX9ZD`; reports stored before references were random keep their numbered one, e.g. `BP-000042`." },
            "status": schema_ref("ReportStatus"),
        })),
        "NewsletterSignup": {
            "type": "object", "description": "An email sign-up. A field not listed here is answered with 400 `malformed_json` naming it.",
            "required": ["email"], "additionalProperties": false,
            "properties": {
                "email": { "type": "string", "maxLength": limits::EMAIL_MAX,
                           "pattern": format!("^{EMAIL_PATTERN}$"),
                           "description": "The address, e.g. name@example.com." },
                "website": honeypot,
            },
        },
        "SubscriptionStatus": { "enum": ["subscribed"],
            "description": "Always `subscribed`, for a new address and a listed one alike." },
        "NewsletterReceipt": object("A sign-up's outcome.", &["status"],
            json!({ "status": schema_ref("SubscriptionStatus") })),
        "NewsletterUnsubscribe": {
            "type": "object", "description": "An unsubscribe request. A field not listed here is answered with 400 `malformed_json` naming it.",
            "required": ["token"], "additionalProperties": false,
            "properties": {
                "token": { "type": "string", "minLength": 1,
                           "maxLength": limits::UNSUBSCRIBE_TOKEN_MAX,
                           "pattern": "^[A-Za-z0-9]+$",
                           "description": "The token of the unsubscribe link (its `token` parameter)." },
            },
        },
        "UnsubscribeStatus": { "enum": ["unsubscribed"],
            "description": "Always `unsubscribed`, whether or not the token was known." },
        "UnsubscribeReceipt": object("An unsubscribe request's outcome.", &["status"],
            json!({ "status": schema_ref("UnsubscribeStatus") })),
    })
}

/// A report reference: random, or numbered for reports stored before references were random.
pub const REFERENCE_PATTERN: &str = "^BP-([0-9A-HJKMNP-TV-Z]{8}|[0-9]{6,})$";

/// Every error code of the contract's `ErrorCode`, as sent.
pub const ERROR_CODES: [&str; 13] = [
    "malformed_json",
    "unsupported_media_type",
    "validation_failed",
    "unknown_article",
    "not_found",
    "method_not_allowed",
    "payload_too_large",
    "rate_limited",
    "forbidden_origin",
    "internal",
    "timeout",
    "idempotency_conflict",
    "unavailable",
];

/// Every code of the contract's `FieldErrorCode`, as sent.
pub const FIELD_ERROR_CODES: [&str; 6] = [
    "required",
    "too_long",
    "invalid_email",
    "invalid_url",
    "invalid_format",
    "invalid_characters",
];

fn errors() -> Value {
    json!({
        "ErrorBody": object("The body of every error response.", &["error"],
            json!({ "error": schema_ref("ApiError") })),
        "ApiError": object("What went wrong.", &["code", "message"], json!({
            "code": schema_ref("ErrorCode"),
            "message": text("What went wrong, in plain words."),
            "field": text("The first offending field, when one is to blame."),
            "details": { "type": "array", "minItems": 1, "items": schema_ref("FieldError"),
                         "description": "Every offending field, when validation failed." },
        })),
        "ErrorCode": { "enum": ERROR_CODES },
        "FieldError": object("One field's validation failure.", &["field", "code", "message"],
            json!({
                "field": { "type": "string" },
                "code": { "enum": FIELD_ERROR_CODES },
                "message": { "type": "string" },
            })),
    })
}

/// Every schema of the API.
pub fn all() -> Value {
    let mut schemas = reads();
    for more in [writes(), errors()] {
        if let (Some(into), Value::Object(from)) = (schemas.as_object_mut(), more) {
            into.extend(from);
        }
    }
    schemas
}
