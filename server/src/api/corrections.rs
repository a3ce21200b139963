//! `GET /api/v1/corrections.json`: every published correction, newest first.

use axum::extract::State;
use axum::Json;
use budapest_post_contract::CorrectionList;

use super::error::AppError;
use crate::AppState;

/// `GET /api/v1/corrections.json`
pub async fn list(State(state): State<AppState>) -> Result<Json<CorrectionList>, AppError> {
    Ok(Json(state.store.correction_list().await?))
}
