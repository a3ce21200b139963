//! The site-wide masthead and notices.

use serde::{Deserialize, Serialize};

/// The masthead and the notices every page carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    /// The paper's name, "Budapest Post".
    pub name: String,
    /// The motto under the name.
    pub motto: String,
    /// The one-line description of what the paper covers.
    pub tagline: String,
}
