//! `reports list|show|accept|decline`: the editors' triage of readers' reports.

use budapest_post_contract::ReportStatus;
use budapest_post_store::{references_meant, DecisionOutcome, Store, StoredReport};

use super::terminal::{self, shown};
use crate::config::ReportsAction;

/// Reports of one passage of one article: ten reports of one typo are one item.
#[derive(Debug)]
pub struct ReportGroup {
    /// The article's slug.
    pub article_slug: String,
    /// The passage they quote (trimmed).
    pub quoted_passage: String,
    /// How many reports.
    pub count: usize,
    /// The reports, newest first.
    pub reports: Vec<StoredReport>,
}

/// `reports` (newest first) grouped by article and quoted passage; groups in the order of
/// their newest report.
pub fn grouped(reports: Vec<StoredReport>) -> Vec<ReportGroup> {
    let mut groups: Vec<ReportGroup> = Vec::new();
    for report in reports {
        let passage = report.quoted_passage.trim();
        match groups
            .iter_mut()
            .find(|g| g.article_slug == report.article_slug && g.quoted_passage == passage)
        {
            Some(group) => {
                group.count += 1;
                group.reports.push(report);
            }
            None => groups.push(ReportGroup {
                article_slug: report.article_slug.clone(),
                quoted_passage: passage.to_owned(),
                count: 1,
                reports: vec![report],
            }),
        }
    }
    groups
}

/// One report in full, for `reports show` and the table.
fn report_lines(r: &StoredReport) -> String {
    let mut text = format!(
        "{}  {:<9}  {}  {}{}\n    quoted:  {}\n    wrong:   {}\n    correct: {}",
        shown(&r.reference),
        r.status.as_str(),
        shown(&r.created_at),
        shown(&r.article_slug),
        if r.article_withdrawn {
            " (withdrawn)"
        } else {
            ""
        },
        shown(&r.quoted_passage),
        shown(&r.what_is_wrong),
        shown(&r.correction),
    );
    let optional = [
        ("source: ", r.source_url.as_deref()),
        ("email:  ", r.email.as_deref()),
        ("decided:", r.decided_at.as_deref()),
        ("reason: ", r.decline_reason.as_deref()),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            text.push_str(&format!("\n    {label} {}", shown(value)));
        }
    }
    if let Some(id) = r.correction_id {
        text.push_str(&format!("\n    answered by correction {id}"));
    }
    text
}

/// A group for the table: the article, the passage and the count, then each report's
/// reference, status and what the reader says it should be.
fn group_lines(g: &ReportGroup) -> String {
    let mut text = format!(
        "{}  \"{}\"  ({} report{})",
        shown(&g.article_slug),
        shown(&g.quoted_passage),
        g.count,
        if g.count == 1 { "" } else { "s" }
    );
    for r in &g.reports {
        text.push_str(&format!(
            "\n    {}  {:<9}  {}  should be: {}",
            shown(&r.reference),
            r.status.as_str(),
            shown(&r.created_at),
            shown(&r.correction)
        ));
        if let Some(email) = &r.email {
            text.push_str(&format!("\n        asked to hear back: {}", shown(email)));
        }
    }
    text
}

/// The references `typed` may mean, refused in words.
fn meant(typed: &str) -> Result<Vec<String>, String> {
    references_meant(typed).map_err(|e| shown(&e))
}

async fn list(store: &Store, status: Option<ReportStatus>, json: bool) -> Result<String, String> {
    let mut reports = store.reports(status).await.map_err(|e| e.to_string())?;
    if status.is_none() {
        reports.retain(|r| r.status.is_open());
    }
    if json {
        // One object a report, as scripts read it; the table groups them.
        return terminal::json(&reports).map_err(|e| e.to_string());
    }
    let groups = grouped(reports);
    if groups.is_empty() {
        Ok("No reports.".to_owned())
    } else {
        Ok(groups
            .iter()
            .map(group_lines)
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// The command an editor starts from to publish a correction for accepted `reports`.
fn publish_hint(reports: &[StoredReport]) -> String {
    let Some(first) = reports.first() else {
        return String::new();
    };
    let references: Vec<&str> = reports.iter().map(|r| r.reference.as_str()).collect();
    format!(
        "To publish the correction:\n  budapest-post-server corrections publish --article {} \
         --passage {:?} --replacement {:?} --note \"An earlier version of this article …\" \
         --reports {}",
        shown(&first.article_slug),
        shown(first.quoted_passage.trim()),
        shown(first.correction.trim()),
        references.join(",")
    )
}

/// `reports list`, `show`, `accept` and `decline`.
pub async fn reports(store: &Store, action: ReportsAction) -> Result<String, String> {
    match action {
        ReportsAction::List { status, json } => list(store, status, json).await,
        ReportsAction::Show { reference, json } => {
            let report = store
                .report(&meant(&reference)?)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("there is no report {}", shown(reference.trim())))?;
            if json {
                terminal::json(&report).map_err(|e| e.to_string())
            } else {
                Ok(report_lines(&report))
            }
        }
        ReportsAction::Accept { references } => {
            let mut accepted = Vec::new();
            for typed in &references {
                match store
                    .accept_report(&meant(typed)?)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    DecisionOutcome::Done(report) => accepted.push(report),
                    DecisionOutcome::NotFound => {
                        return Err(format!("there is no report {}", shown(typed.trim())))
                    }
                    DecisionOutcome::AlreadyCorrected(report) => {
                        return Err(format!(
                            "{} is already answered by a published correction",
                            shown(&report.reference)
                        ))
                    }
                }
            }
            let names: Vec<String> = accepted.iter().map(|r| shown(&r.reference)).collect();
            Ok(format!(
                "Accepted {}.\n{}",
                names.join(", "),
                publish_hint(&accepted)
            ))
        }
        ReportsAction::Decline { reference, reason } => {
            if reason.trim().is_empty() {
                return Err(
                    "give the reason with --reason, in a sentence the reporter can read".to_owned(),
                );
            }
            match store
                .decline_report(&meant(&reference)?, &reason)
                .await
                .map_err(|e| e.to_string())?
            {
                DecisionOutcome::Done(report) => {
                    Ok(format!("{} declined.", shown(&report.reference)))
                }
                DecisionOutcome::NotFound => {
                    Err(format!("there is no report {}", shown(reference.trim())))
                }
                DecisionOutcome::AlreadyCorrected(report) => Err(format!(
                    "{} is already answered by a published correction",
                    shown(&report.reference)
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(reference: &str, slug: &str, passage: &str) -> StoredReport {
        StoredReport {
            reference: reference.into(),
            article_slug: slug.into(),
            article_withdrawn: false,
            quoted_passage: passage.into(),
            what_is_wrong: "W".into(),
            correction: "C".into(),
            source_url: None,
            email: None,
            status: ReportStatus::Received,
            created_at: "2026-01-01T00:00:00Z".into(),
            decided_at: None,
            decline_reason: None,
            correction_id: None,
        }
    }

    #[test]
    fn reports_of_one_passage_of_one_article_are_one_item() {
        let groups = grouped(vec![
            report("BP-3", "a", "fFreign"),
            report("BP-2", "b", "fFreign"),
            report("BP-1", "a", " fFreign "),
        ]);
        let summary: Vec<(&str, &str, usize)> = groups
            .iter()
            .map(|g| (g.article_slug.as_str(), g.quoted_passage.as_str(), g.count))
            .collect();
        assert_eq!(summary, [("a", "fFreign", 2), ("b", "fFreign", 1)]);
        assert!(group_lines(&groups[0]).contains("(2 reports)"));
    }
}
