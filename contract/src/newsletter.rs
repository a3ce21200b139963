//! Newsletter sign-ups.

use serde::{Deserialize, Serialize};

use crate::{validate, FieldError};

/// A reader's newsletter sign-up. A missing `email` reads as empty, which validation names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
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
