//! Field checks shared by the browser (before sending) and the server (before storing).

use crate::{limits, FieldError, FieldErrorCode};

/// A field error with its plain-words message.
pub fn field_error(field: &str, code: FieldErrorCode, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code,
        message: message.into(),
    }
}

/// Checks a required free-text field against its maximum length in characters.
pub fn required_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max_chars: usize,
    what: &str,
) {
    if value.trim().is_empty() {
        errors.push(field_error(
            field,
            FieldErrorCode::Required,
            format!("Tell us {what}."),
        ));
    } else if value.chars().count() > max_chars {
        errors.push(field_error(
            field,
            FieldErrorCode::TooLong,
            format!("Keep {what} to {max_chars} characters or fewer."),
        ));
    }
}

/// Whether `value` looks like a deliverable email address: one `@`, a local part, and a
/// dotted domain, with no spaces. Deliverability itself is only known by sending.
pub fn is_email(value: &str) -> bool {
    let value = value.trim();
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"', '@']);
    local_ok && domain_ok && value.len() <= limits::EMAIL_MAX
}

/// Checks an email field.
pub fn email(field: &str, value: &str) -> Vec<FieldError> {
    if value.chars().count() > limits::EMAIL_MAX {
        vec![field_error(
            field,
            FieldErrorCode::TooLong,
            format!(
                "An email address has at most {} characters.",
                limits::EMAIL_MAX
            ),
        )]
    } else if is_email(value) {
        Vec::new()
    } else {
        vec![field_error(
            field,
            FieldErrorCode::InvalidEmail,
            "Enter an email address like name@example.com.",
        )]
    }
}

/// Whether `value` is an absolute http or https link with a host and no spaces.
pub fn is_web_url(value: &str) -> bool {
    let value = value.trim();
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let host_name = host.split(':').next().unwrap_or_default();
    !host_name.is_empty()
        && host_name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks a link field.
pub fn url(field: &str, value: &str) -> Vec<FieldError> {
    if value.chars().count() > limits::SOURCE_URL_MAX {
        vec![field_error(
            field,
            FieldErrorCode::TooLong,
            format!(
                "Keep the link to {} characters or fewer.",
                limits::SOURCE_URL_MAX
            ),
        )]
    } else if is_web_url(value) {
        Vec::new()
    } else {
        vec![field_error(
            field,
            FieldErrorCode::InvalidUrl,
            "Enter a web address starting with https:// or http://.",
        )]
    }
}

/// Checks an idempotency key: 16 to 64 of `A-Z a-z 0-9 - _`.
pub fn idempotency_key(field: &str, value: &str) -> Vec<FieldError> {
    let well_formed = (limits::IDEMPOTENCY_KEY_MIN..=limits::IDEMPOTENCY_KEY_MAX)
        .contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if well_formed {
        Vec::new()
    } else {
        vec![field_error(
            field,
            FieldErrorCode::InvalidFormat,
            format!(
                "The idempotency key must be {} to {} letters, digits, '-' or '_'.",
                limits::IDEMPOTENCY_KEY_MIN,
                limits::IDEMPOTENCY_KEY_MAX
            ),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["a@b.co", "reader.name+news@example.hu", "x@sub.domain.org"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a b@c.de", "a@b..co", "a@.b.co", "<a@b.co>",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for good in [
            "https://example.com",
            "http://a.b/c?d#e",
            "https://x.org:8443/p",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "",
            "example.com",
            "javascript:alert(1)",
            "https://",
            "https://a b.com",
            "ftp://a.b",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn idempotency_keys() {
        assert!(idempotency_key("k", "0123456789abcdef").is_empty());
        assert_eq!(idempotency_key("k", "short").len(), 1);
        assert_eq!(idempotency_key("k", "0123456789abcdef!").len(), 1);
        assert_eq!(idempotency_key("k", &"a".repeat(65)).len(), 1);
    }
}
