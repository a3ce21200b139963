//! Sending a report: once, with the same idempotency key on every resend, waiting for the
//! network when the browser is offline, and turning the API's refusals into field errors.

use std::collections::HashMap;

use budapest_post_contract::{ApiError, ErrorCode, ReportReceipt, ReportRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::draft::{draft_key, same_report, waiting_key, ReportFields};
use crate::api::{self, ApiFailure};
use crate::browser;
use crate::browser::focus_when_drawn;
use crate::components::form::FieldErrors;

/// Where the report stands.
#[derive(Clone, PartialEq)]
pub(super) enum Submission {
    Editing,
    Sending,
    /// Sent while offline: kept, and sent once the browser is back online.
    Waiting,
    /// Accepted, with the receipt the API gave it (reference and status link token).
    Accepted(ReportReceipt),
    /// Not sent, with why, in plain words.
    Refused(String),
}

impl Submission {
    /// Whether a send is under way, so another must wait.
    pub fn is_busy(&self) -> bool {
        matches!(self, Submission::Sending | Submission::Waiting)
    }
}

/// Sends the report in `fields`, keeping `submission` and `errors` up to date.
#[derive(Clone, Copy)]
pub(super) struct ReportSender {
    pub fields: ReportFields,
    pub submission: RwSignal<Submission>,
    pub errors: FieldErrors,
    /// The report last sent with the current key: an edited report gets a new key, so the
    /// API never sees one key with two different reports.
    sent_with_key: StoredValue<Option<ReportRequest>>,
}

impl ReportSender {
    /// A sender for `fields`, nothing sent yet.
    pub fn new(fields: ReportFields) -> Self {
        Self {
            fields,
            submission: RwSignal::new(Submission::Editing),
            errors: RwSignal::new(HashMap::new()),
            sent_with_key: StoredValue::new(None),
        }
    }

    /// Gives the report a new idempotency key.
    fn rekey(&self, report: &mut ReportRequest) {
        self.fields.key.set_value(browser::random_key());
        report.idempotency_key = self.fields.key.get_value();
        self.sent_with_key.set_value(Some(report.clone()));
    }

    /// Sends the report as the fields hold it now.
    pub fn send(self) {
        let mut report = self.fields.request();
        let edited = self
            .sent_with_key
            .with_value(|sent| sent.as_ref().is_some_and(|s| !same_report(s, &report)));
        if edited {
            self.rekey(&mut report);
        }
        self.sent_with_key.set_value(Some(report.clone()));
        self.submission.set(Submission::Sending);
        spawn_local(async move {
            let mut answer = api::submit_report(&report).await;
            if matches!(&answer, Err(ApiFailure::Rejected(e)) if e.code == ErrorCode::IdempotencyConflict)
            {
                // The key went out with another version of this draft (before a reload).
                self.rekey(&mut report);
                answer = api::submit_report(&report).await;
            }
            self.settle(answer);
        });
    }

    /// Records what became of the report.
    fn settle(self, answer: Result<ReportReceipt, ApiFailure>) {
        let slug = self.fields.storage_slug.get_value();
        let outcome = match answer {
            Ok(receipt) => {
                browser::forget(&draft_key(&slug));
                browser::forget(&waiting_key(&slug));
                // The form the reader was in goes: the thanks takes its place and the focus.
                focus_when_drawn(super::ACCEPTED_ID);
                Submission::Accepted(receipt)
            }
            Err(ApiFailure::Unreachable) if !browser::is_online() => {
                browser::save(&waiting_key(&slug), "1");
                Submission::Waiting
            }
            Err(ApiFailure::Rejected(error)) => {
                browser::forget(&waiting_key(&slug));
                let by_field = errors_by_field(&error);
                let summarised = !by_field.is_empty();
                self.errors.set(by_field);
                if summarised {
                    focus_when_drawn(super::ERROR_SUMMARY_ID);
                }
                Submission::Refused(format!(
                    "Your report was not sent: {} Your draft is kept; correct it and send again.",
                    error.message
                ))
            }
            Err(failure) => {
                browser::forget(&waiting_key(&slug));
                Submission::Refused(format!(
                    "Your report was not sent. {} Your draft is kept on this device; send it again when you are ready.",
                    failure.message()
                ))
            }
        };
        self.submission.set(outcome);
    }

    /// A report waiting for the network goes as soon as the browser is online again, once:
    /// the same key makes a second arrival harmless, and the state makes a second send rare.
    pub fn send_when_online(self) {
        #[cfg(target_arch = "wasm32")]
        {
            let online = window_event_listener(leptos::ev::online, move |_| {
                if self.submission.get_untracked() == Submission::Waiting {
                    self.send();
                }
            });
            on_cleanup(move || online.remove());
            Effect::new(move |_| {
                let slug = self.fields.storage_slug.get_value();
                if browser::load(&waiting_key(&slug)).is_some() {
                    if browser::is_online() {
                        untrack(move || self.send());
                    } else {
                        self.submission.set(Submission::Waiting);
                    }
                }
            });
        }
    }

    /// Checks the report where the reader is and sends it if it is complete; otherwise shows
    /// each problem beside its field and in the summary above the form, and moves focus there.
    pub fn submit(self) {
        if self.submission.get_untracked().is_busy() {
            return;
        }
        let problems = self.fields.request().validate();
        if !problems.is_empty() {
            self.errors
                .set(problems.into_iter().map(|e| (e.field, e.message)).collect());
            focus_when_drawn(super::ERROR_SUMMARY_ID);
            return;
        }
        self.errors.set(HashMap::new());
        self.send();
    }
}

/// The API's refusal as messages by field: the details first, then the error's own field.
fn errors_by_field(error: &ApiError) -> HashMap<String, String> {
    let mut by_field: HashMap<String, String> = error
        .details
        .iter()
        .map(|d| (d.field.clone(), d.message.clone()))
        .collect();
    if let Some(field) = &error.field {
        by_field
            .entry(field.clone())
            .or_insert_with(|| error.message.clone());
    }
    by_field
}
