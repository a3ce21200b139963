//! The editors' rules on readers' reports, written once for both backends: which report a
//! correction may answer, and what deciding a report does. The backends only find and write
//! the rows (SQLite synchronously, PostgreSQL asynchronously, each inside its transaction).

use budapest_post_contract::ReportStatus;

use crate::{CorrectionRefused, DecisionOutcome, StoredReport};

/// The row id of the report `found` for the reference an editor typed (`typed`), if a
/// correction of the article `slug` may answer it: it exists, no correction answers it yet,
/// and it is about that article.
pub(crate) fn answerable_by_correction(
    typed: &str,
    found: Option<(i64, StoredReport)>,
    slug: &str,
) -> Result<i64, CorrectionRefused> {
    let Some((id, report)) = found else {
        return Err(CorrectionRefused::UnknownReport(typed.trim().to_owned()));
    };
    if let (ReportStatus::Corrected, Some(correction_id)) = (report.status, report.correction_id) {
        return Err(CorrectionRefused::ReportAlreadyCorrected {
            reference: report.reference,
            correction_id,
        });
    }
    if report.article_slug != slug {
        return Err(CorrectionRefused::ReportOfAnotherArticle {
            reference: report.reference,
            article_slug: report.article_slug,
        });
    }
    Ok(id)
}

/// An editor's decision on one report, to be written.
pub(crate) struct Decision {
    /// The report's row.
    pub id: i64,
    /// Its reference, to read it back once written.
    pub reference: String,
    /// The status it gets.
    pub status: ReportStatus,
}

/// Whether a decision is to be written, or the editor is answered at once.
pub(crate) enum Deciding {
    /// Write this decision.
    Write(Decision),
    /// Nothing to write: no such report, or a correction already answers it (boxed: it
    /// carries the whole report).
    Answer(Box<DecisionOutcome>),
}

/// What accepting (`reason` is `None`) or declining the report `found` does.
pub(crate) fn decide(found: Option<(i64, StoredReport)>, reason: Option<&str>) -> Deciding {
    let Some((id, report)) = found else {
        return Deciding::Answer(Box::new(DecisionOutcome::NotFound));
    };
    if report.status == ReportStatus::Corrected {
        return Deciding::Answer(Box::new(DecisionOutcome::AlreadyCorrected(report)));
    }
    Deciding::Write(Decision {
        id,
        reference: report.reference,
        status: match reason {
            Some(_) => ReportStatus::Declined,
            None => ReportStatus::Accepted,
        },
    })
}

/// The outcome once a decision is written: the report as it now stands.
pub(crate) fn decided(found: Option<(i64, StoredReport)>) -> DecisionOutcome {
    found.map_or(DecisionOutcome::NotFound, |(_, report)| {
        DecisionOutcome::Done(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(status: ReportStatus, correction_id: Option<u32>) -> StoredReport {
        StoredReport {
            reference: "BP-7K3QX9ZD".into(),
            article_slug: "bridge-closure".into(),
            article_withdrawn: false,
            quoted_passage: "in 1876".into(),
            what_is_wrong: "The bridge opened in 1849.".into(),
            correction: "in 1849".into(),
            source_url: None,
            email: None,
            status,
            created_at: "2026-11-30T00:00:00Z".into(),
            decided_at: None,
            decline_reason: None,
            correction_id,
        }
    }

    #[test]
    fn a_correction_answers_an_open_report_of_its_own_article_only() {
        let open = Some((7, report(ReportStatus::Accepted, None)));
        assert!(matches!(
            answerable_by_correction("bp-7k3qx9zd", open.clone(), "bridge-closure"),
            Ok(7)
        ));
        assert!(matches!(
            answerable_by_correction(" BP-NOPE ", None, "bridge-closure"),
            Err(CorrectionRefused::UnknownReport(typed)) if typed == "BP-NOPE"
        ));
        assert!(matches!(
            answerable_by_correction("BP-7K3QX9ZD", open, "another-story"),
            Err(CorrectionRefused::ReportOfAnotherArticle { article_slug, .. })
                if article_slug == "bridge-closure"
        ));
        let corrected = Some((7, report(ReportStatus::Corrected, Some(3))));
        assert!(matches!(
            answerable_by_correction("BP-7K3QX9ZD", corrected, "bridge-closure"),
            Err(CorrectionRefused::ReportAlreadyCorrected {
                correction_id: 3,
                ..
            })
        ));
    }

    #[test]
    fn a_decision_is_written_unless_the_report_is_missing_or_corrected() {
        let new = || Some((7, report(ReportStatus::Received, None)));
        assert!(matches!(
            decide(new(), None),
            Deciding::Write(Decision {
                id: 7,
                status: ReportStatus::Accepted,
                ..
            })
        ));
        assert!(matches!(
            decide(new(), Some("The passage is right.")),
            Deciding::Write(Decision {
                status: ReportStatus::Declined,
                ..
            })
        ));
        assert!(matches!(
            decide(None, None),
            Deciding::Answer(outcome) if matches!(*outcome, DecisionOutcome::NotFound)
        ));
        let corrected = Some((7, report(ReportStatus::Corrected, Some(3))));
        assert!(matches!(
            decide(corrected, Some("late")),
            Deciding::Answer(outcome) if matches!(*outcome, DecisionOutcome::AlreadyCorrected(_))
        ));
    }
}
