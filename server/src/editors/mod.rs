//! The editors' commands: triage of reports, publishing corrections, what is stored about one reader, and the
//! newsletter list. Each answers the text to print, or why it failed, in words; every piece of
//! text a reader wrote goes through [`terminal`] first.

mod corrections;
mod reports;
pub mod terminal;

use budapest_post_contract::newsletter::unsubscribe_link;
use budapest_post_store::{Database, Store, StoreOptions};

use crate::config::{DatabaseAction, NewsletterAction, ReadersAction};
pub use corrections::corrections;
pub use reports::reports;
use terminal::shown;

/// The address an editor typed, trimmed; refused when blank.
fn typed_email(email: &str) -> Result<&str, String> {
    let email = email.trim();
    if email.is_empty() {
        Err("give the reader's email address".to_owned())
    } else {
        Ok(email)
    }
}

/// `readers export` and `readers forget`.
pub async fn readers(store: &Store, action: ReadersAction) -> Result<String, String> {
    match action {
        ReadersAction::Export { email } => {
            let data = store
                .reader_data(typed_email(&email)?)
                .await
                .map_err(|e| e.to_string())?;
            terminal::json(&data).map_err(|e| e.to_string())
        }
        ReadersAction::Forget { email } => {
            let email = typed_email(&email)?;
            let forgotten = store
                .forget_reader(email)
                .await
                .map_err(|e| e.to_string())?;
            let shown_email = shown(email);
            Ok(match (forgotten.reports, forgotten.newsletter) {
                (0, false) => format!("Nothing was stored about {shown_email}."),
                (reports, newsletter) => format!(
                    "Forgot {shown_email}: taken from {reports} report{} (the reports stay){}.",
                    if reports == 1 { "" } else { "s" },
                    if newsletter {
                        " and off the newsletter list"
                    } else {
                        ""
                    }
                ),
            })
        }
    }
}

/// `database copy`.
pub async fn database(
    store: &Store,
    action: DatabaseAction,
    options: &StoreOptions,
) -> Result<String, String> {
    match action {
        DatabaseAction::Copy { to } => {
            let target = Database::parse(&to);
            if !matches!(target, Database::Postgres(_)) {
                return Err(format!(
                    "--to {to} is not a PostgreSQL URL (postgres://user:password@host:port/name)"
                ));
            }
            let into = Store::open_with(&target, options)
                .await
                .map_err(|e| format!("cannot open {target}: {e}"))?;
            let copied = store
                .copy_into(&into)
                .await
                .map_err(|e| format!("nothing was copied into {target}: {e}"))?;
            Ok(format!("Copied into {target}: {copied}."))
        }
    }
}

/// `newsletter remove` and `newsletter link`.
pub async fn newsletter(store: &Store, action: NewsletterAction) -> Result<String, String> {
    match action {
        NewsletterAction::Remove { email } => {
            let email = typed_email(&email)?;
            if store
                .remove_subscriber(email)
                .await
                .map_err(|e| e.to_string())?
            {
                Ok(format!("{} is off the newsletter list.", shown(email)))
            } else {
                Err(format!("{} is not on the newsletter list", shown(email)))
            }
        }
        NewsletterAction::Link { email, site_url } => {
            let email = typed_email(&email)?;
            let site_url = site_url.trim();
            if !(site_url.starts_with("https://") || site_url.starts_with("http://")) {
                return Err(format!(
                    "give the site's address with --site-url (or BP_SITE_URL), starting with \
                     https:// or http://; `{}` does not",
                    shown(site_url)
                ));
            }
            match store
                .unsubscribe_token(email)
                .await
                .map_err(|e| e.to_string())?
            {
                Some(token) => Ok(shown(&unsubscribe_link(site_url, &token))),
                None => Err(format!("{} is not on the newsletter list", shown(email))),
            }
        }
    }
}
