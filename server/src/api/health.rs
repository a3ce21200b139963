//! `GET /api/v1/health`: whether this node reaches its database, for load balancers and
//! monitors.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use budapest_post_contract::{paths, Health};

use crate::AppState;

/// How long the database may take to answer before the node calls it unreachable: well
/// inside a load balancer's patience, so the check itself never times out.
const DATABASE_ANSWERS_WITHIN: Duration = Duration::from_secs(3);

/// Health check
///
/// Whether this node can serve: `200` when a round trip to its database succeeded just now,
/// `503` when the database did not answer (down, refusing connections, or slower than three
/// seconds). Never cached (`Cache-Control: no-store`). A load balancer takes a node out on
/// `503`; with a shared database every node then answers `503` alike.
#[utoipa::path(get, path = paths::health(), operation_id = "getHealth", tag = "meta",
    responses(
        (status = 200, description = "The database answered; the node serves (`Cache-Control: no-store`).",
            body = Health, headers(("Cache-Control" = String, description = "Always `no-store`."))),
        (status = 503, description = "The database did not answer; the node cannot serve writes or uncached reads (`Cache-Control: no-store`).",
            body = Health, headers(("Cache-Control" = String, description = "Always `no-store`."))),
    ))]
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let reachable = match tokio::time::timeout(DATABASE_ANSWERS_WITHIN, state.store.ping()).await {
        Ok(Ok(())) => true,
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: the database did not answer");
            false
        }
        Err(_) => {
            tracing::warn!(
                "health check: the database did not answer within {DATABASE_ANSWERS_WITHIN:?}"
            );
            false
        }
    };
    let health = Health::of(reachable);
    let status = if health.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(health))
}
