//! `corrections publish|show|list`: publishing a correction and reading what it changed.

use budapest_post_store::{NewCorrection, Store, StoredCorrection};

use super::terminal::{self, shown};
use crate::config::CorrectionsAction;

/// A correction in full: what it says, what it changed, whom it answered.
fn correction_lines(c: &StoredCorrection) -> String {
    let mut text = format!(
        "Correction {}  {}  {}\n  note:    {}\n  passage: {}\n  now:     {}\n\n  before:  {}\n  after:   {}",
        c.id,
        shown(&c.published_at),
        shown(&c.article_slug),
        shown(&c.note),
        shown(&c.passage),
        shown(&c.replacement),
        shown(&c.block_before),
        shown(&c.block_after),
    );
    if !c.reports.is_empty() {
        let references: Vec<String> = c.reports.iter().map(|r| shown(r)).collect();
        text.push_str(&format!("\n\n  answers: {}", references.join(", ")));
    }
    if !c.reporter_emails.is_empty() {
        let emails: Vec<String> = c.reporter_emails.iter().map(|e| shown(e)).collect();
        text.push_str(&format!(
            "\n  reporters who asked to hear back: {}",
            emails.join(", ")
        ));
    }
    text
}

/// `value` as the editor asked: JSON or text.
fn printed(c: &StoredCorrection, json: bool) -> Result<String, String> {
    if json {
        terminal::json(c).map_err(|e| e.to_string())
    } else {
        Ok(correction_lines(c))
    }
}

async fn show(store: &Store, id: u32, json: bool) -> Result<String, String> {
    let correction = store
        .stored_correction(id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no correction {id}"))?;
    printed(&correction, json)
}

/// `corrections publish`, `show` and `list`.
pub async fn corrections(store: &Store, action: CorrectionsAction) -> Result<String, String> {
    match action {
        CorrectionsAction::Publish {
            article,
            passage,
            replacement,
            note,
            reports,
            json,
        } => {
            let new = NewCorrection {
                article_slug: article,
                passage,
                replacement,
                note,
                reports,
            };
            let id = store
                .publish_correction(new)
                .await
                .map_err(|e| e.to_string())?
                .map_err(|refused| format!("not published: {}", shown(&refused.to_string())))?;
            let shown = show(store, id, json).await?;
            Ok(if json {
                shown
            } else {
                format!("Published.\n{shown}")
            })
        }
        CorrectionsAction::Show { id, json } => show(store, id, json).await,
        CorrectionsAction::List { json } => {
            let all = store
                .stored_corrections()
                .await
                .map_err(|e| e.to_string())?;
            if json {
                terminal::json(&all).map_err(|e| e.to_string())
            } else if all.is_empty() {
                Ok("No corrections.".to_owned())
            } else {
                Ok(all
                    .iter()
                    .map(|c| {
                        format!(
                            "{:>4}  {}  {}\n      {}",
                            c.id,
                            shown(&c.published_at),
                            shown(&c.article_slug),
                            shown(&c.note)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"))
            }
        }
    }
}
