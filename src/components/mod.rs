//! View pieces that pages share.

pub mod article_body;
pub mod article_list;
pub mod masthead;
pub mod newsletter;
pub mod player;
pub mod report_form;
pub mod site;
pub mod status;
