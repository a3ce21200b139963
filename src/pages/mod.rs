//! One module per route.

pub mod article;
pub mod contact;
pub mod corrections;
pub mod embed;
pub mod home;
pub mod not_found;
pub mod related;
pub mod report_status;
pub mod unsubscribe;
