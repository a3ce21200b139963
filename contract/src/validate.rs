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

/// Whether `c` changes the direction text is shown in (the Unicode bidi embeddings, overrides,
/// isolates and marks): it can make a passage read differently from what it holds.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` shows nothing at all: zero-width spaces and joiners, the word joiner and
/// invisible operators, the byte-order mark, the soft hyphen, fillers, variation selectors and
/// tag characters. They are allowed inside text (some scripts and emoji need them), but text
/// made only of them and white space is blank.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    ) || is_bidi_control(c)
}

/// Whether `value` shows nothing: only white space and invisible characters.
pub fn is_blank(value: &str) -> bool {
    value.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Whether free text holds a character it may not: a C0 or C1 control other than tab and
/// line feed (a carriage return only right before a line feed, as in CRLF), or a bidi control.
/// Such characters can rewrite an editor's terminal or disguise what a passage says.
pub fn has_forbidden_text_character(value: &str) -> bool {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed_control = match c {
            '\t' | '\n' => true,
            '\r' => chars.peek() == Some(&'\n'),
            _ => false,
        };
        if (c.is_control() && !allowed_control) || is_bidi_control(c) {
            return true;
        }
    }
    false
}

/// Whether a one-line value (a link, an address) holds a control, bidi or invisible character,
/// none of which belongs in it and any of which can make it look like another.
pub fn has_hidden_character(value: &str) -> bool {
    value.chars().any(|c| c.is_control() || is_invisible(c))
}

/// Checks a required free-text field: no forbidden characters (see
/// [`has_forbidden_text_character`]), not blank, and at most `max_chars` characters.
pub fn required_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max_chars: usize,
    what: &str,
) {
    if has_forbidden_text_character(value) {
        errors.push(field_error(
            field,
            FieldErrorCode::InvalidCharacters,
            format!(
                "Take out the hidden control characters (such as text-direction marks) from {what}."
            ),
        ));
    } else if is_blank(value) {
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
    if has_hidden_character(value) {
        vec![field_error(
            field,
            FieldErrorCode::InvalidCharacters,
            "The email address holds hidden characters; type it again without them.",
        )]
    } else if value.chars().count() > limits::EMAIL_MAX {
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
    if has_hidden_character(value) {
        vec![field_error(
            field,
            FieldErrorCode::InvalidCharacters,
            "The link holds hidden characters; paste it again without them.",
        )]
    } else if value.chars().count() > limits::SOURCE_URL_MAX {
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

    fn text_errors(value: &str) -> Vec<FieldErrorCode> {
        let mut errors = Vec::new();
        required_text(&mut errors, "f", value, 10, "it");
        errors.into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn free_text_refuses_controls_and_bidi_but_keeps_lines_and_tabs() {
        for good in [
            "plain",
            "two\nlines",
            "cr\r\nlf",
            "a\ttab",
            "zero\u{200D}width",
            "soft\u{AD}hy",
            "ő é ü",
        ] {
            assert!(text_errors(good).is_empty(), "{good:?}");
        }
        for bad in [
            "nul\0",
            "bell\u{7}",
            "esc\u{1b}[2J",
            "lone\rcr",
            "cr at end\r",
            "del\u{7f}",
            "c1\u{85}",
            "c1\u{9b}",
            "rlo\u{202E}x",
            "iso\u{2066}x",
            "lrm\u{200E}",
            "alm\u{61C}",
        ] {
            assert_eq!(
                text_errors(bad),
                [FieldErrorCode::InvalidCharacters],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn text_of_only_invisible_characters_is_blank() {
        for blank in [
            "",
            " \n\t ",
            "\u{200B}",
            "\u{200C}\u{200D}\u{2060}",
            "\u{FEFF} \u{AD}",
            "\u{3164}\u{2800}",
            "\u{A0}\u{3000}",
        ] {
            assert_eq!(text_errors(blank), [FieldErrorCode::Required], "{blank:?}");
        }
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert!(text_errors(&"ő".repeat(10)).is_empty());
        assert_eq!(text_errors(&"ő".repeat(11)), [FieldErrorCode::TooLong]);
    }

    #[test]
    fn links_and_addresses_refuse_hidden_characters() {
        for bad in [
            "https://exa\u{200B}mple.com",
            "https://example.com/\u{202E}fdp.exe",
            "https://example.com/\n",
            "https://example.com/\u{FEFF}",
        ] {
            let codes: Vec<_> = url("u", bad).into_iter().map(|e| e.code).collect();
            assert_eq!(codes, [FieldErrorCode::InvalidCharacters], "{bad:?}");
        }
        for bad in [
            "re\u{200B}ader@example.com",
            "reader@example.com\n",
            "a\u{202E}@b.co",
        ] {
            let codes: Vec<_> = email("e", bad).into_iter().map(|e| e.code).collect();
            assert_eq!(codes, [FieldErrorCode::InvalidCharacters], "{bad:?}");
        }
        assert!(url("u", "https://példa.hu/cikk?q=ő").is_empty());
        assert!(email("e", "olvasó@példa.hu").is_empty());
    }

    #[test]
    fn idempotency_keys() {
        assert!(idempotency_key("k", "0123456789abcdef").is_empty());
        assert_eq!(idempotency_key("k", "short").len(), 1);
        assert_eq!(idempotency_key("k", "0123456789abcdef!").len(), 1);
        assert_eq!(idempotency_key("k", &"a".repeat(65)).len(), 1);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text that mixes ordinary characters with every kind the validators care about.
    fn tricky_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => any::<char>(),
                2 => prop::char::range('a', 'z'),
                1 => prop::sample::select(vec![
                    '\0', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{200B}',
                    '\u{200D}', '\u{202E}', '\u{2066}', '\u{200F}', '\u{61C}', '\u{FEFF}',
                    '\u{AD}', ' ', '@', '.', '/', ':', 'ő',
                ]),
            ],
            0..40,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn accepted_text_is_clean_visible_and_short_enough(
            value in tricky_text(),
            max in 0usize..30,
        ) {
            let mut errors = Vec::new();
            required_text(&mut errors, "f", &value, max, "it");
            prop_assert!(errors.len() <= 1);
            if errors.is_empty() {
                prop_assert!(!has_forbidden_text_character(&value));
                prop_assert!(!is_blank(&value));
                prop_assert!(value.chars().count() <= max);
                for (i, c) in value.char_indices() {
                    prop_assert!(!is_bidi_control(c));
                    if c == '\r' {
                        prop_assert_eq!(value[i + 1..].chars().next(), Some('\n'));
                    } else if c.is_control() {
                        prop_assert!(c == '\n' || c == '\t', "{:?}", c);
                    }
                }
            }
        }

        #[test]
        fn clean_visible_text_within_its_limit_is_accepted(
            value in "[a-zA-Z0-9 őé€\\n\\t]{0,30}",
        ) {
            let mut errors = Vec::new();
            required_text(&mut errors, "f", &value, 30, "it");
            prop_assert_eq!(errors.is_empty(), !value.trim().is_empty());
        }

        #[test]
        fn the_limit_is_in_characters(
            c in any::<char>().prop_filter("visible", |c| !c.is_control() && !c.is_whitespace() && !is_invisible(*c)),
            n in 1usize..20,
        ) {
            let value: String = std::iter::repeat_n(c, n).collect();
            let mut at_limit = Vec::new();
            required_text(&mut at_limit, "f", &value, n, "it");
            prop_assert!(at_limit.is_empty());
            let mut over = Vec::new();
            required_text(&mut over, "f", &value, n - 1, "it");
            prop_assert_eq!(over.len(), 1);
            prop_assert_eq!(over[0].code, FieldErrorCode::TooLong);
        }

        #[test]
        fn accepted_addresses_have_no_hidden_characters(value in tricky_text()) {
            let errors = email("e", &value);
            prop_assert!(errors.len() <= 1);
            if errors.is_empty() {
                prop_assert!(is_email(&value));
                prop_assert!(!has_hidden_character(&value));
                prop_assert!(value.chars().count() <= limits::EMAIL_MAX);
            }
        }

        #[test]
        fn accepted_links_have_no_hidden_characters(
            value in tricky_text().prop_map(|t| format!("https://{t}")),
        ) {
            let errors = url("u", &value);
            prop_assert!(errors.len() <= 1);
            if errors.is_empty() {
                prop_assert!(is_web_url(&value));
                prop_assert!(!has_hidden_character(&value));
                prop_assert!(value.chars().count() <= limits::SOURCE_URL_MAX);
            }
        }

        #[test]
        fn long_links_and_addresses_are_too_long_by_characters(n in 0usize..3) {
            let link = format!("https://example.com/{}", "ő".repeat(limits::SOURCE_URL_MAX));
            let codes: Vec<_> = url("u", &link).into_iter().map(|e| e.code).collect();
            prop_assert_eq!(codes, [FieldErrorCode::TooLong]);
            let fits = format!("https://e.hu/{}", "ő".repeat(limits::SOURCE_URL_MAX - 13 - n));
            prop_assert!(url("u", &fits).is_empty());
        }

        #[test]
        fn idempotency_keys_are_accepted_exactly_when_well_formed(value in tricky_text()) {
            let accepted = idempotency_key("k", &value).is_empty();
            let well_formed = (limits::IDEMPOTENCY_KEY_MIN..=limits::IDEMPOTENCY_KEY_MAX)
                .contains(&value.chars().count())
                && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            prop_assert_eq!(accepted, well_formed);
        }

        #[test]
        fn well_formed_idempotency_keys_are_accepted(value in "[A-Za-z0-9_-]{16,64}") {
            prop_assert!(idempotency_key("k", &value).is_empty());
        }
    }
}
