//! `feed.xml`, `sitemap.xml` (past 50,000 addresses an index of `sitemap/N.xml` parts),
//! `robots.txt` and `manifest.webmanifest`, answered from the database by the app's
//! [`SiteFiles`], the very code the exporter writes them with.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use budapest_post::render::site_files::SiteFiles;
use budapest_post_contract::pages::{
    FEED_PATH, MANIFEST_PATH, ROBOTS_PATH, SITEMAP_PARTS_PATH, SITEMAP_PATH,
};
use budapest_post_contract::{ArticleSummary, Site};
use budapest_post_store::{ListCursor, Store, StoreError};

use crate::api::error::AppError;
use crate::AppState;

/// Entries read from the database at a time while listing every article.
const BATCH: u32 = 1_000;

/// The routes of the site files.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(FEED_PATH, get(feed))
        .route(SITEMAP_PATH, get(sitemap))
        .route(ROBOTS_PATH, get(robots))
        .route(MANIFEST_PATH, get(manifest))
        .route(&format!("{SITEMAP_PARTS_PATH}{{part}}"), get(sitemap_part))
}

async fn masthead(store: &Store) -> Result<Site, AppError> {
    store
        .site()
        .await?
        .map(|settings| settings.masthead)
        .ok_or_else(|| AppError::not_found("site"))
}

/// Every article, newest first.
async fn every_summary(store: &Store) -> Result<Vec<ArticleSummary>, StoreError> {
    let mut articles = Vec::new();
    let mut cursor = None;
    loop {
        let batch = store.summaries_after(cursor.take(), BATCH).await?;
        let Some(last) = batch.last() else { break };
        cursor = Some(ListCursor::after(last));
        articles.extend(batch);
    }
    Ok(articles)
}

/// Every article, newest first, and whether each has a related page.
async fn every_article(store: &Store) -> Result<(Vec<ArticleSummary>, Vec<bool>), StoreError> {
    let articles = every_summary(store).await?;
    let related = store.slugs_with_related().await?;
    let with_related = articles.iter().map(|a| related.contains(&a.slug)).collect();
    Ok((articles, with_related))
}

fn answer(media_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, media_type)], body).into_response()
}

/// The feed, from every article as the exporter makes it: whatever changed an article last (a
/// correction, or an update in the content) brings it back, however old it is. Reading every
/// article is paid once per content change: the read cache keeps the answer.
async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = masthead(&state.store).await?;
    let articles = every_summary(&state.store).await?;
    let files = SiteFiles::new(&state.pages, &site);
    Ok(answer("application/atom+xml", files.feed(&articles)))
}

/// Whether `path` is one of the site files this module answers (all made from the content
/// alone, so the read cache may keep them).
pub fn is_site_file(path: &str) -> bool {
    [FEED_PATH, SITEMAP_PATH, ROBOTS_PATH, MANIFEST_PATH].contains(&path)
        || path.starts_with(SITEMAP_PARTS_PATH)
}

/// The sitemap files for the whole site, `(site path, XML)`.
async fn sitemaps(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    let site = masthead(&state.store).await?;
    let (articles, with_related) = every_article(&state.store).await?;
    Ok(SiteFiles::new(&state.pages, &site).sitemaps(&articles, &with_related))
}

async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let files = sitemaps(&state).await?;
    let index = files.into_iter().next().map(|(_, xml)| xml);
    Ok(answer("application/xml", index.unwrap_or_default()))
}

/// One part of a sitemap too long for one file (`sitemap_part_path`).
async fn sitemap_part(
    State(state): State<AppState>,
    Path(part): Path<String>,
) -> Result<Response, AppError> {
    let wanted = format!("{SITEMAP_PARTS_PATH}{part}");
    sitemaps(&state)
        .await?
        .into_iter()
        .skip(1)
        .find(|(path, _)| *path == wanted)
        .map(|(_, xml)| answer("application/xml", xml))
        .ok_or_else(|| AppError::not_found("sitemap part"))
}

async fn robots(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = masthead(&state.store).await?;
    let files = SiteFiles::new(&state.pages, &site);
    Ok(answer("text/plain; charset=utf-8", files.robots()))
}

async fn manifest(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = masthead(&state.store).await?;
    let files = SiteFiles::new(&state.pages, &site);
    Ok(answer("application/manifest+json", files.manifest()))
}
