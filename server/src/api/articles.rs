//! Read endpoints: the article list, one article, its related list, the masthead.

use axum::extract::{Path, State};
use axum::Json;
use budapest_post_contract::{Article, ArticleList, RelatedList, Site, SitePaths};

use super::error::AppError;
use crate::AppState;

/// `name.json` → `name`; anything else is not one of our files.
fn json_file_stem(file: &str) -> Option<&str> {
    file.strip_suffix(".json")
}

/// `GET /api/v1/site.json`
pub async fn site(State(state): State<AppState>) -> Result<Json<Site>, AppError> {
    let site = state.store.site().await?;
    site.map(|site| Json(site.masthead))
        .ok_or_else(|| AppError::not_found("site"))
}

async fn list_page(state: &AppState, page: u32) -> Result<Json<ArticleList>, AppError> {
    state
        .store
        .article_page(page)
        .await?
        .map(|mut list| {
            // The server serves the API at the root of its host.
            list.next = SitePaths::default().next_article_page(list.page, list.total_pages);
            Json(list)
        })
        .ok_or_else(|| AppError::not_found("page of articles"))
}

/// `GET /api/v1/articles/index.json` and `GET /api/v1/articles/{slug}.json`
pub async fn article_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let stem = json_file_stem(&file).ok_or_else(|| AppError::not_found("article"))?;
    if stem == "index" {
        return Ok(list_page(&state, 1).await?.into_response());
    }
    let article: Option<Article> = state.store.article(stem).await?;
    article
        .map(|a| Json(a).into_response())
        .ok_or_else(|| AppError::not_found("article"))
}

/// `GET /api/v1/articles/page/{n}.json`
pub async fn article_page(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Json<ArticleList>, AppError> {
    let page = json_file_stem(&file)
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| AppError::not_found("page of articles"))?;
    list_page(&state, page).await
}

/// `GET /api/v1/articles/{slug}/related.json`
pub async fn related(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<RelatedList>, AppError> {
    state
        .store
        .related_list(&slug)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found("article"))
}
