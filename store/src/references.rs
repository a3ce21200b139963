//! Names the store hands out that must not be guessed: report references and unsubscribe
//! tokens, drawn from the operating system's random numbers in Crockford's base 32 (no I, L,
//! O or U, so a reference read aloud or retyped is not misread). Also the reading of a
//! reference an editor typed.

use crate::StoreError;

/// Crockford's base-32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What every report reference starts with.
pub const REFERENCE_PREFIX: &str = "BP-";

/// Random characters in a report reference: 40 bits, so a reference tells nothing about how
/// many reports there are and cannot be guessed from another.
pub const REFERENCE_CHARS: usize = 8;

/// Random characters in an unsubscribe token: 160 bits.
pub const TOKEN_CHARS: usize = 32;

/// `count` random Crockford characters from the operating system's CSPRNG.
fn random_chars(count: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; count];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Randomness(e.to_string()))?;
    // 256 is a multiple of 32, so the low five bits of a uniform byte are uniform.
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// A new random report reference, e.g. `BP-7K3QX9ZD`.
pub fn new_reference() -> Result<String, StoreError> {
    Ok(format!(
        "{REFERENCE_PREFIX}{}",
        random_chars(REFERENCE_CHARS)?
    ))
}

/// A new random unsubscribe token.
pub fn new_token() -> Result<String, StoreError> {
    random_chars(TOKEN_CHARS)
}

/// The reference reports stored before references were random had: their row number.
pub fn numbered_reference(number: u64) -> String {
    format!("{REFERENCE_PREFIX}{number:06}")
}

/// The stored references an editor's `typed` text may mean, most likely first: a random
/// reference in any letter case, with `O` for `0` and `I` or `L` for `1` as Crockford allows,
/// and the numbered references of older reports (`BP-000042`, `BP-42` or just `42`).
/// Refused in words when it can be none.
pub fn references_meant(typed: &str) -> Result<Vec<String>, String> {
    let trimmed = typed.trim();
    let upper = trimmed.to_ascii_uppercase();
    let rest = upper.strip_prefix(REFERENCE_PREFIX).unwrap_or(&upper);
    let mut meant = Vec::new();
    if rest.chars().count() == REFERENCE_CHARS {
        let normalised: Option<String> = rest
            .chars()
            .map(|c| match c {
                'O' => Some('0'),
                'I' | 'L' => Some('1'),
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
                _ => None,
            })
            .collect();
        if let Some(normalised) = normalised {
            meant.push(format!("{REFERENCE_PREFIX}{normalised}"));
        }
    }
    if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(number) = rest.parse::<u64>() {
            let numbered = numbered_reference(number);
            if !meant.contains(&numbered) {
                meant.push(numbered);
            }
        }
    }
    if meant.is_empty() {
        Err(format!(
            "`{trimmed}` is not a report reference like BP-7K3QX9ZD (or BP-000042 for older reports)"
        ))
    } else {
        Ok(meant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_crockford(text: &str) -> bool {
        text.bytes().all(|b| ALPHABET.contains(&b))
    }

    #[test]
    fn references_are_the_prefix_and_eight_crockford_characters() {
        let reference = new_reference().unwrap();
        let random = reference.strip_prefix("BP-").unwrap();
        assert_eq!(random.len(), REFERENCE_CHARS);
        assert!(is_crockford(random), "{reference}");
        let token = new_token().unwrap();
        assert_eq!(token.len(), TOKEN_CHARS);
        assert!(is_crockford(&token), "{token}");
    }

    #[test]
    fn references_do_not_repeat() {
        let drawn: std::collections::HashSet<String> =
            (0..2000).map(|_| new_reference().unwrap()).collect();
        assert_eq!(drawn.len(), 2000);
        // Every character of the alphabet turns up: the draw is not stuck on a few.
        let used: std::collections::HashSet<char> = drawn
            .iter()
            .flat_map(|r| r[REFERENCE_PREFIX.len()..].chars().collect::<Vec<_>>())
            .collect();
        assert_eq!(used.len(), 32);
    }

    #[test]
    fn what_editors_type_is_read_generously() {
        assert_eq!(references_meant(" bp-7k3qx9zd ").unwrap(), ["BP-7K3QX9ZD"]);
        assert_eq!(references_meant("7K3QX9ZD").unwrap(), ["BP-7K3QX9ZD"]);
        assert_eq!(
            references_meant("BP-7K3QX9Z0").unwrap(),
            references_meant("BP-7K3QX9ZO").unwrap(),
            "O is read as zero"
        );
        assert_eq!(references_meant("BP-1111LLII").unwrap(), ["BP-11111111"]);
        assert_eq!(references_meant("BP-000042").unwrap(), ["BP-000042"]);
        assert_eq!(references_meant("42").unwrap(), ["BP-000042"]);
        assert_eq!(references_meant("BP-42").unwrap(), ["BP-000042"]);
        assert_eq!(
            references_meant("BP-00000042").unwrap(),
            ["BP-00000042", "BP-000042"],
            "eight digits may be either kind"
        );
        for wrong in [
            "",
            "BP-",
            "forty-two",
            "BP-7K3QX9Z",
            "BP-7K3QX9ZU",
            "BP-ÉÉÉÉÉÉÉÉ",
        ] {
            let refused = references_meant(wrong).unwrap_err();
            assert!(refused.contains("is not a report reference"), "{refused}");
        }
    }
}
