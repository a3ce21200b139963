//! Published corrections: what readers are told was wrong in an article and when it was put
//! right.

use serde::{Deserialize, Serialize};

use crate::ArticleSummary;

/// A correction as an article carries it: the public note and when it was published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    /// Its number, unique across the site (the editors' `corrections show <id>`).
    pub id: u32,
    /// The public note, e.g. "An earlier version of this article misspelled …".
    pub note: String,
    /// When it was published (RFC 3339, UTC).
    pub published_at: String,
}

/// A correction on the site-wide corrections page: the correction and the article it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionEntry {
    /// The correction.
    #[serde(flatten)]
    pub correction: Correction,
    /// The article it corrected.
    pub article: ArticleSummary,
}

/// Every published correction of an article readers can see, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionList {
    /// The corrections, newest first.
    pub corrections: Vec<CorrectionEntry>,
}
