//! A report's fields as both stores keep and compare them, and their digest.

use budapest_post_contract::ReportRequest;
use sha2::{Digest, Sha256};

/// A report's fields as they are stored and compared: free text trimmed, blank optional
/// fields absent.
pub(crate) struct ReportFields<'a> {
    pub article_slug: &'a str,
    pub quoted_passage: &'a str,
    pub what_is_wrong: &'a str,
    pub correction: &'a str,
    pub source_url: Option<&'a str>,
    pub email: Option<&'a str>,
}

fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl<'a> ReportFields<'a> {
    /// The fields of `report` as stored.
    pub fn of(report: &'a ReportRequest) -> Self {
        Self {
            article_slug: report.article_slug.trim(),
            quoted_passage: report.quoted_passage.trim(),
            what_is_wrong: report.what_is_wrong.trim(),
            correction: report.correction.trim(),
            source_url: blank_to_none(report.source_url.as_deref()),
            email: blank_to_none(report.email.as_deref()),
        }
    }
}

/// The SHA-256 (hex) of a report's fields in one unambiguous form, a JSON array, so two
/// sendings under one idempotency key are compared without keeping the text (the honeypot's
/// catches and reports whose address was forgotten are compared all the same).
pub(crate) fn digest(fields: &ReportFields<'_>) -> String {
    let canonical = serde_json::json!([
        1,
        fields.article_slug,
        fields.quoted_passage,
        fields.what_is_wrong,
        fields.correction,
        fields.source_url,
        fields.email,
    ])
    .to_string();
    Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
