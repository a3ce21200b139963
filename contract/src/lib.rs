//! The Budapest Post API contract: every JSON shape the server sends or accepts, the paths
//! they live at, the limits on readers' input and the validation both sides run.
//!
//! The app and the server both depend on this crate and it depends on neither, so a shape
//! changes in one place and both sides follow.

pub mod articles;
pub mod corrections;
pub mod error;
pub mod health;
pub mod limits;
pub mod newsletter;
pub mod oembed;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod pages;
pub mod paths;
pub mod reports;
pub mod site;
pub mod validate;

pub use articles::{
    reading_time_minutes, Article, ArticleList, ArticleSummary, Audio, Block, ExplainerItem,
    Inline, RelatedList, Section,
};
pub use corrections::{Correction, CorrectionEntry, CorrectionList};
pub use error::{ApiError, ErrorBody, ErrorCode, FieldError, FieldErrorCode};
pub use health::{DatabaseReachability, Health, HealthStatus};
pub use newsletter::{
    NewsletterReceipt, NewsletterSignup, NewsletterUnsubscribe, SubscriptionStatus,
    UnsubscribeReceipt, UnsubscribeStatus,
};
pub use oembed::OEmbed;
pub use pages::{Page, SitePaths};
pub use reports::{ReportOutcome, ReportReceipt, ReportRequest, ReportStatus, ReportStatusRequest};
pub use site::Site;
