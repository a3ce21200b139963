//! `GET /api/v1/corrections.json`: every published correction, newest first.

use axum::extract::State;
use axum::Json;
use budapest_post_contract::{paths, CorrectionList};

use super::error::AppError;
use super::openapi::{IfNoneMatch, Read};
use crate::AppState;

/// Every correction
///
/// Every published correction of an article readers can see, newest first, with the article
/// it changed.
#[utoipa::path(get, path = paths::corrections(), operation_id = "getCorrections",
    tag = "articles", params(IfNoneMatch), responses(Read::<CorrectionList>))]
pub async fn list(State(state): State<AppState>) -> Result<Json<CorrectionList>, AppError> {
    Ok(Json(state.store.correction_list().await?))
}
