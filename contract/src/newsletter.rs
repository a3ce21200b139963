//! Newsletter sign-ups.

use serde::{Deserialize, Serialize};

use crate::{validate, FieldError};

/// A reader's newsletter sign-up. A missing `email` reads as empty, which validation names; a
/// field it does not have is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewsletterSignup {
    /// The address to send the newsletter to.
    pub email: String,
    /// Left empty by people; a bot that fills it is thanked and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

impl NewsletterSignup {
    /// Every field that breaks the rules; empty when the sign-up may be sent.
    pub fn validate(&self) -> Vec<FieldError> {
        if self.email.trim().is_empty() {
            return vec![validate::field_error(
                "email",
                crate::FieldErrorCode::Required,
                "Enter your email address.",
            )];
        }
        validate::email("email", &self.email)
    }

    /// Whether the hidden honeypot field was filled in, which only bots do.
    pub fn is_from_bot(&self) -> bool {
        self.website
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }
}

/// Whether the address was new.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// The address was added.
    Subscribed,
    /// The address was already on the list; nothing changed.
    AlreadySubscribed,
}

/// The API's answer to a sign-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsletterReceipt {
    /// Whether the address was new.
    pub status: SubscriptionStatus,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldErrorCode;

    fn codes(signup: &NewsletterSignup) -> Vec<FieldErrorCode> {
        signup.validate().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn an_address_is_required_and_checked() {
        let signup = |email: &str| NewsletterSignup {
            email: email.into(),
            website: None,
        };
        assert!(codes(&signup("reader@example.com")).is_empty());
        assert_eq!(codes(&signup(" ")), [FieldErrorCode::Required]);
        assert_eq!(codes(&signup("nope")), [FieldErrorCode::InvalidEmail]);
        assert_eq!(
            codes(&signup("reader\u{200B}@example.com")),
            [FieldErrorCode::InvalidCharacters]
        );
    }

    #[test]
    fn unknown_fields_are_refused_and_a_missing_address_defaults() {
        let error = serde_json::from_str::<NewsletterSignup>(r#"{"email":"a@b.co","name":"A"}"#)
            .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `name`"),
            "{error}"
        );
        let empty: NewsletterSignup = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, NewsletterSignup::default());
    }

    proptest::proptest! {
        #[test]
        fn an_accepted_signup_is_a_clean_address(email in "\\PC{0,40}|[a-z\\u{200b}\\u{0}]{1,6}@[a-z]{1,6}\\.hu") {
            let signup = NewsletterSignup { email, website: None };
            if signup.validate().is_empty() {
                proptest::prop_assert!(crate::validate::is_email(&signup.email));
                proptest::prop_assert!(!crate::validate::has_hidden_character(&signup.email));
            }
        }
    }
}
