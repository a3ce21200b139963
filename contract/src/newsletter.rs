//! Newsletter sign-ups.

use serde::{Deserialize, Serialize};

use crate::{validate, FieldError};

/// A reader's newsletter sign-up. A missing `email` reads as empty, which validation names; a
/// field it does not have is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NewsletterSignup {
    /// The address to send the newsletter to.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::email, required = true))]
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

/// Where a sign-up stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// The address is on the list. The API answers this for every accepted sign-up, new or
    /// not, so the answer does not tell anyone whether an address was already signed up.
    Subscribed,
}

/// The API's answer to a sign-up: the same for an address that was already on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewsletterReceipt {
    /// Always `subscribed`: the same answer whether or not the address was already on the list, so that it tells nobody who is.
    pub status: SubscriptionStatus,
}

/// The query parameter of the unsubscribe page ([`crate::Page::Unsubscribe`]) that carries
/// the token.
pub const UNSUBSCRIBE_TOKEN_PARAMETER: &str = "token";

/// The address of the unsubscribe page for `token` on the site at `site_url`
/// (`https://www.budapestpost.example`, with or without its base path).
pub fn unsubscribe_link(site_url: &str, token: &str) -> String {
    format!(
        "{}{}?{UNSUBSCRIBE_TOKEN_PARAMETER}={}",
        site_url.trim_end_matches('/'),
        crate::Page::Unsubscribe.path(),
        crate::pages::encode_query_value(token)
    )
}

/// A request to take an address off the list, by the token of its unsubscribe link. A field
/// it does not have is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NewsletterUnsubscribe {
    /// The token from the link.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::unsubscribe_token, required = true))]
    pub token: String,
}

impl NewsletterUnsubscribe {
    /// Every field that breaks the rules; empty when it may be sent.
    pub fn validate(&self) -> Vec<FieldError> {
        let token = self.token.trim();
        if token.is_empty() {
            vec![validate::field_error(
                "token",
                crate::FieldErrorCode::Required,
                "The unsubscribe link is incomplete: open the whole link from the newsletter.",
            )]
        } else if token.chars().count() > crate::limits::UNSUBSCRIBE_TOKEN_MAX
            || !token.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            vec![validate::field_error(
                "token",
                crate::FieldErrorCode::InvalidFormat,
                "This is not an unsubscribe link of ours: open the whole link from the newsletter.",
            )]
        } else {
            Vec::new()
        }
    }
}

/// Where an unsubscribe request leaves the address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnsubscribeStatus {
    /// The link's address is not on the list (any more, or it never was: the answer is the
    /// same, so it tells nobody which addresses were signed up).
    Unsubscribed,
}

/// The API's answer to an unsubscribe request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnsubscribeReceipt {
    /// Always `unsubscribed`, also for a link used twice or a token never given: the answer tells nobody who was on the list.
    pub status: UnsubscribeStatus,
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

    #[test]
    fn unsubscribe_tokens_are_checked_and_linked() {
        let request = |token: &str| NewsletterUnsubscribe {
            token: token.into(),
        };
        let codes = |r: NewsletterUnsubscribe| -> Vec<FieldErrorCode> {
            r.validate().into_iter().map(|e| e.code).collect()
        };
        assert!(codes(request("7K3QX9ZD7K3QX9ZD7K3QX9ZD7K3QX9ZD")).is_empty());
        assert_eq!(codes(request(" ")), [FieldErrorCode::Required]);
        assert_eq!(codes(request("a b")), [FieldErrorCode::InvalidFormat]);
        assert_eq!(codes(request("<script>")), [FieldErrorCode::InvalidFormat]);
        assert_eq!(
            codes(request(
                &"A".repeat(crate::limits::UNSUBSCRIBE_TOKEN_MAX + 1)
            )),
            [FieldErrorCode::InvalidFormat]
        );
        assert!(
            serde_json::from_str::<NewsletterUnsubscribe>(r#"{"token":"a","email":"x"}"#).is_err()
        );
        assert_eq!(
            unsubscribe_link("https://www.budapestpost.example/news/", "ABC123"),
            "https://www.budapestpost.example/news/newsletter/unsubscribe?token=ABC123"
        );
        assert_eq!(
            unsubscribe_link("https://x.example", "a&b"),
            "https://x.example/newsletter/unsubscribe?token=a%26b"
        );
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
