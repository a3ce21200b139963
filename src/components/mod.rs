//! View pieces that pages share.

pub mod article_body;
pub mod article_list;
pub mod correction_notes;
pub mod embed_snippet;
pub mod form;
pub mod masthead;
pub mod more_articles;
pub mod newsletter;
pub mod newsletter_prompt;
pub mod player;
pub mod report_form;
pub mod selection_report;
pub mod site;
pub mod status;
pub mod unsubscribe;
