//! Untrusted text on an editor's terminal. Readers write reports and addresses; a control
//! character in them (an escape sequence, a carriage return), a text-direction control or an
//! invisible character could move the cursor, rewrite or reorder what the editor sees, or hide
//! itself. Every such character is shown as an escape instead.

use std::fmt::Write;

use budapest_post_contract::validate::{is_bidi_control, is_invisible};

/// Whether `c` is shown as an escape rather than as itself.
fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` as it may be printed: line feeds, tabs and carriage returns as `\n`, `\t`, `\r`,
/// every other control, text-direction or invisible character as `\u{1b}`, and backslashes
/// doubled, so an escape shown is never one a reader typed.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// `value` as indented JSON in which every character [`shown`] escapes is a `\uXXXX` escape
/// (serde_json leaves DEL, C1 controls and text-direction controls as they are).
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = String::with_capacity(text.len());
    // Such characters can only stand inside JSON strings, where the escape means the same.
    for c in text.chars() {
        if c != '\n' && needs_escape(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_controls_are_shown_not_obeyed() {
        assert_eq!(shown("plain text, é ü ő"), "plain text, é ü ő");
        assert_eq!(
            shown("\u{1b}[2J\u{1b}]0;owned\u{7}"),
            "\\u{1b}[2J\\u{1b}]0;owned\\u{7}"
        );
        assert_eq!(
            shown("line one\r\nline two\tend"),
            "line one\\r\\nline two\\tend"
        );
        assert_eq!(shown("a\u{9b}31m\u{7f}"), "a\\u{9b}31m\\u{7f}");
        assert_eq!(shown("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(
            shown("in\u{200b}visible\u{2028}"),
            "in\\u{200b}visible\\u{2028}"
        );
        assert_eq!(
            shown("typed \\u{1b} by a reader"),
            "typed \\\\u{1b} by a reader",
            "a backslash typed is told apart from an escape shown"
        );
    }

    proptest::proptest! {
        #[test]
        fn nothing_shown_can_drive_a_terminal(text in "\\PC*|[\\x00-\\x{a0}\\u{200b}-\\u{202e}]{0,12}") {
            let out = shown(&text);
            proptest::prop_assert!(!out.chars().any(needs_escape), "{out:?}");
            let json_text = json(&serde_json::json!({ "field": text.clone() })).unwrap();
            proptest::prop_assert!(
                !json_text.chars().any(|c| c != '\n' && needs_escape(c)),
                "{json_text:?}"
            );
            let back: serde_json::Value = serde_json::from_str(&json_text).unwrap();
            proptest::prop_assert_eq!(back["field"].as_str(), Some(text.as_str()));
        }
    }
}
