//! Read endpoints: the article list, one article, its related list, the masthead. Each one's
//! doc comment is its summary (first line) and description in the OpenAPI document.

use axum::extract::{Path, State};
use axum::Json;
use budapest_post_contract::{limits, paths, Article, ArticleList, RelatedList, Site, SitePaths};

use super::error::AppError;
use super::openapi::{ArticleAddress, IfNoneMatch, PageNumber, Read};
use crate::AppState;

/// `name.json` → `name`; anything else is not one of our files.
fn json_file_stem(file: &str) -> Option<&str> {
    file.strip_suffix(".json")
}

/// The masthead
///
/// The paper's name, motto and tagline.
#[utoipa::path(get, path = paths::site(), operation_id = "getSite", tag = "articles",
    params(IfNoneMatch), responses(Read::<Site>))]
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

/// The first page of the article list
///
/// The same as page 1: the lead story, the newest articles and every section.
#[utoipa::path(get, path = paths::article_index(), operation_id = "getArticleIndex",
    tag = "articles", params(IfNoneMatch), responses(Read::<ArticleList>))]
pub async fn article_index(State(state): State<AppState>) -> Result<Json<ArticleList>, AppError> {
    list_page(&state, 1).await
}

/// One article
///
/// The whole article with its first related articles. Unknown or withdrawn slug: 404.
#[utoipa::path(get, path = paths::article("{slug}"), operation_id = "getArticle",
    tag = "articles", params(IfNoneMatch, ArticleAddress), responses(Read::<Article>))]
pub async fn article(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Json<Article>, AppError> {
    let slug = json_file_stem(&file).ok_or_else(|| AppError::not_found("article"))?;
    let article: Option<Article> = state.store.article(slug).await?;
    article
        .map(Json)
        .ok_or_else(|| AppError::not_found("article"))
}

/// A page of the article list
#[utoipa::path(get, path = format!("{}/articles/page/{{n}}.json", paths::API_PREFIX),
    operation_id = "getArticlePage", tag = "articles",
    description = format!("{} articles a page, newest first. Past the last page: 404.",
        limits::ARTICLES_PER_PAGE),
    params(IfNoneMatch, PageNumber), responses(Read::<ArticleList>))]
pub async fn article_page(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Json<ArticleList>, AppError> {
    let page = json_file_stem(&file)
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| AppError::not_found("page of articles"))?;
    list_page(&state, page).await
}

/// An article's related list
///
/// Every related article, in the editors' order. Unknown or withdrawn slug: 404.
#[utoipa::path(get, path = paths::related("{slug}"), operation_id = "getRelated",
    tag = "articles", params(IfNoneMatch, ArticleAddress), responses(Read::<RelatedList>))]
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
