//! Readers' reports of inaccuracies in an article.

use serde::{Deserialize, Serialize};

use crate::{limits, validate, FieldError};

/// A reader's report of an inaccuracy, as posted to the API.
///
/// Missing fields read as empty, so that [`ReportRequest::validate`] names each one rather
/// than the JSON parser stopping at the first. A field it does not have is refused, so a
/// misspelt optional field is not silently dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ReportRequest {
    /// The article's slug.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::slug, required = true))]
    pub article_slug: String,
    /// The passage that is wrong, quoted.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::free_text::<{ limits::QUOTED_PASSAGE_MAX }>, required = true))]
    pub quoted_passage: String,
    /// What is wrong with it.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::free_text::<{ limits::WHAT_IS_WRONG_MAX }>, required = true))]
    pub what_is_wrong: String,
    /// What it should say.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::free_text::<{ limits::CORRECTION_MAX }>, required = true))]
    pub correction: String,
    /// A link to a source for the correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_source_url))]
    pub source_url: Option<String>,
    /// Where to answer the reader, if they want an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_email))]
    pub email: Option<String>,
    /// Made by the client once per report, so a resent report is stored once.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::idempotency_key, required = true))]
    pub idempotency_key: String,
    /// Left empty by people; a bot that fills it is thanked and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

impl ReportRequest {
    /// Every field that breaks the rules, in form order; empty when the report may be sent.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !crate::paths::is_valid_slug(self.article_slug.trim()) {
            errors.push(validate::field_error(
                "article_slug",
                crate::FieldErrorCode::Required,
                "Choose the article you are reporting on.",
            ));
        }
        validate::required_text(
            &mut errors,
            "quoted_passage",
            &self.quoted_passage,
            limits::QUOTED_PASSAGE_MAX,
            "the passage",
        );
        validate::required_text(
            &mut errors,
            "what_is_wrong",
            &self.what_is_wrong,
            limits::WHAT_IS_WRONG_MAX,
            "what is wrong",
        );
        validate::required_text(
            &mut errors,
            "correction",
            &self.correction,
            limits::CORRECTION_MAX,
            "what it should say",
        );
        if let Some(url) = self.source_url.as_deref().filter(|u| !u.trim().is_empty()) {
            errors.extend(validate::url("source_url", url));
        }
        if let Some(email) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            errors.extend(validate::email("email", email));
        }
        errors.extend(validate::idempotency_key(
            "idempotency_key",
            &self.idempotency_key,
        ));
        errors
    }

    /// Whether the hidden honeypot field was filled in, which only bots do.
    pub fn is_from_bot(&self) -> bool {
        self.website
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }
}

/// Where a report stands in the editors' triage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Received, not yet looked at.
    Received,
    /// An editor agreed with it; a correction is to be published.
    Accepted,
    /// An editor decided the article stands, and said why.
    Declined,
    /// A published correction answers it.
    Corrected,
}

impl ReportStatus {
    /// Every status, in the order a report moves through them.
    pub const ALL: [ReportStatus; 4] = [
        ReportStatus::Received,
        ReportStatus::Accepted,
        ReportStatus::Declined,
        ReportStatus::Corrected,
    ];

    /// The status as the API sends it, the database stores it and editors type it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Received => "received",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Declined => "declined",
            ReportStatus::Corrected => "corrected",
        }
    }

    /// Whether an editor has yet to decide on it (received or accepted, not yet corrected).
    pub fn is_open(self) -> bool {
        matches!(self, ReportStatus::Received | ReportStatus::Accepted)
    }
}

impl std::str::FromStr for ReportStatus {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                format!("`{value}` is not a report status ({})", known.join(", "))
            })
    }
}

/// The API's answer to an accepted report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    /// The stored report's reference, for the reader to quote: `BP-` and eight random
    /// characters of Crockford's base 32 (`BP-7K3QX9ZD`); reports stored before references
    /// were random keep their numbered one (`BP-000042`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::report_reference))]
    pub id: String,
    /// Where it stands.
    pub status: ReportStatus,
    /// The secret of the reporter's private status link (see [`report_status_fragment`]):
    /// only with it does the status endpoint say what became of the report. Each receipt
    /// carries a fresh one, a resent report's too; every one given stays valid.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::report_status_token))]
    pub status_token: String,
}

/// The parameter of the status page's fragment that carries the report's reference.
pub const REPORT_STATUS_REFERENCE_PARAMETER: &str = "reference";
/// The parameter of the status page's fragment that carries the status link's token.
pub const REPORT_STATUS_TOKEN_PARAMETER: &str = "token";

/// The fragment of a report's private status link (after `#` on [`crate::Page::ReportStatus`]):
/// in the fragment, the token is never sent to any server, so no log or `Referer` holds it.
pub fn report_status_fragment(reference: &str, token: &str) -> String {
    format!(
        "{REPORT_STATUS_REFERENCE_PARAMETER}={}&{REPORT_STATUS_TOKEN_PARAMETER}={}",
        crate::pages::encode_query_value(reference),
        crate::pages::encode_query_value(token)
    )
}

/// A reporter's question: what became of the report with this reference? Answered only with
/// the token of its status link. A field it does not have is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ReportStatusRequest {
    /// The report's reference, from the receipt.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::report_reference, required = true))]
    pub reference: String,
    /// The token of the status link, from the receipt.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::report_status_token, required = true))]
    pub token: String,
}

impl ReportStatusRequest {
    /// Every field that breaks the rules; empty when it may be sent.
    pub fn validate(&self) -> Vec<FieldError> {
        let incomplete = "The status link is incomplete: open the whole link from your receipt.";
        let mut errors = Vec::new();
        let reference = self.reference.trim();
        if reference.is_empty()
            || reference.len() > limits::REPORT_REFERENCE_MAX
            || !reference
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            errors.push(validate::field_error(
                "reference",
                crate::FieldErrorCode::InvalidFormat,
                incomplete,
            ));
        }
        let token = self.token.trim();
        if token.is_empty()
            || token.len() > limits::REPORT_STATUS_TOKEN_MAX
            || !token.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            errors.push(validate::field_error(
                "token",
                crate::FieldErrorCode::InvalidFormat,
                incomplete,
            ));
        }
        errors
    }
}

/// What became of a report, as its reporter is told: the answer of the status endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportOutcome {
    /// The report's reference.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::report_reference))]
    pub id: String,
    /// Where it stands.
    pub status: ReportStatus,
    /// The article it is about, unless that has left the site since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub article: Option<crate::ArticleSummary>,
    /// Why an editor declined it (when `declined`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub decline_reason: Option<String>,
    /// The published correction that answers it (when `corrected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub correction: Option<crate::Correction>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldErrorCode;

    fn valid() -> ReportRequest {
        ReportRequest {
            article_slug: "an-article".into(),
            quoted_passage: "The Russian fFreign Ministry".into(),
            what_is_wrong: "A typo.".into(),
            correction: "The Russian Foreign Ministry".into(),
            idempotency_key: "0123456789abcdef0123".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_report_is_valid() {
        assert!(valid().validate().is_empty());
    }

    #[test]
    fn each_required_field_is_named() {
        let errors = ReportRequest::default().validate();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "article_slug",
                "quoted_passage",
                "what_is_wrong",
                "correction",
                "idempotency_key"
            ]
        );
    }

    #[test]
    fn over_long_and_malformed_fields() {
        let report = ReportRequest {
            quoted_passage: "x".repeat(limits::QUOTED_PASSAGE_MAX + 1),
            source_url: Some("javascript:alert(1)".into()),
            email: Some("not-an-address".into()),
            ..valid()
        };
        let codes: Vec<_> = report
            .validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("quoted_passage".into(), FieldErrorCode::TooLong),
                ("source_url".into(), FieldErrorCode::InvalidUrl),
                ("email".into(), FieldErrorCode::InvalidEmail),
            ]
        );
    }

    #[test]
    fn missing_fields_are_named_by_validation_not_the_parser() {
        let report: ReportRequest =
            serde_json::from_str(r#"{"article_slug":"an-article"}"#).unwrap();
        let fields: Vec<_> = report.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "quoted_passage",
                "what_is_wrong",
                "correction",
                "idempotency_key"
            ]
        );
    }

    #[test]
    fn unknown_fields_are_refused_and_missing_ones_still_default() {
        let error =
            serde_json::from_str::<ReportRequest>(r#"{"article_slug":"a","emial":"x@y.z"}"#)
                .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `emial`"),
            "{error}"
        );
        let report: ReportRequest = serde_json::from_str(r#"{"correction":"c"}"#).unwrap();
        assert_eq!(
            report,
            ReportRequest {
                correction: "c".into(),
                ..Default::default()
            }
        );
        let round_trip: ReportRequest =
            serde_json::from_str(&serde_json::to_string(&valid()).unwrap()).unwrap();
        assert_eq!(round_trip, valid());
    }

    #[test]
    fn hidden_characters_are_named_per_field() {
        let report = ReportRequest {
            quoted_passage: "The \u{202E}Russian".into(),
            what_is_wrong: "\u{200B}\u{FEFF}".into(),
            correction: "Line one\u{1b}[2J".into(),
            source_url: Some("https://example.com/\u{200B}".into()),
            email: Some("a\u{200D}@example.com".into()),
            ..valid()
        };
        let codes: Vec<_> = report
            .validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("quoted_passage".into(), FieldErrorCode::InvalidCharacters),
                ("what_is_wrong".into(), FieldErrorCode::Required),
                ("correction".into(), FieldErrorCode::InvalidCharacters),
                ("source_url".into(), FieldErrorCode::InvalidCharacters),
                ("email".into(), FieldErrorCode::InvalidCharacters),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn an_accepted_report_holds_no_forbidden_or_hidden_characters(
            passage in "\\PC{0,12}|[\\x00-\\x{9f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}]{0,6}",
            wrong in proptest::arbitrary::any::<String>(),
            source in proptest::option::of("https://[a-z\\u{200b}\\u{202e}\\n]{1,8}\\.hu"),
        ) {
            let report = ReportRequest {
                quoted_passage: passage,
                what_is_wrong: wrong,
                source_url: source,
                ..valid()
            };
            if report.validate().is_empty() {
                for text in [&report.quoted_passage, &report.what_is_wrong, &report.correction] {
                    proptest::prop_assert!(!validate::has_forbidden_text_character(text));
                    proptest::prop_assert!(!validate::is_blank(text));
                }
                if let Some(url) = report.source_url.as_deref() {
                    proptest::prop_assert!(!validate::has_hidden_character(url));
                }
            }
        }
    }

    #[test]
    fn status_requests_and_links() {
        let request = ReportStatusRequest {
            reference: "BP-7K3QX9ZD".into(),
            token: "ABCDEFGHJKMNPQRSTVWXYZ0123456789".into(),
        };
        assert!(request.validate().is_empty());
        let fields: Vec<_> = ReportStatusRequest {
            reference: "BP-7K3QX9ZD/../x".into(),
            token: "a b".into(),
        }
        .validate()
        .into_iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(fields, ["reference", "token"]);
        let too_long = ReportStatusRequest {
            token: "A".repeat(limits::REPORT_STATUS_TOKEN_MAX + 1),
            ..request
        };
        assert_eq!(too_long.validate().len(), 1);
        assert_eq!(
            report_status_fragment("BP-7K3QX9ZD", "T0K3N"),
            "reference=BP-7K3QX9ZD&token=T0K3N"
        );
    }

    #[test]
    fn honeypot() {
        assert!(!valid().is_from_bot());
        let bot = ReportRequest {
            website: Some("http://spam.example".into()),
            ..valid()
        };
        assert!(bot.is_from_bot());
    }
}
