//! oEmbed (<https://oembed.com>): `GET /api/v1/oembed?url=…` answers, for an article's or the
//! homepage's address, the iframe of its embed; `GET /api/v1/oembed/articles/{slug}.json` is an
//! article's answer as a plain file, the one its page's discovery link names (an exported site
//! serves the same file).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use budapest_post::embed::EmbedKind;
use budapest_post::render::embed::{headlines_oembed_answer, oembed_answer};
use budapest_post_contract::{limits, paths, ApiError, ErrorCode, OEmbed, Page, Site};

use super::error::AppError;
use super::openapi::{ArticleAddress, IfNoneMatch, OEmbedQuestion, OEmbedRead, Read};
use crate::AppState;

/// What the consumer asked for.
#[derive(Debug, Default, PartialEq, Eq)]
struct OEmbedQuery {
    url: String,
    max_width: Option<u32>,
    max_height: Option<u32>,
}

/// 400 `invalid_parameter`, blaming `field`.
fn invalid(field: &str, message: &str) -> AppError {
    AppError::new(
        StatusCode::BAD_REQUEST,
        ApiError::for_field(ErrorCode::InvalidParameter, field, message),
    )
}

/// The query's parameters, decoded; a malformed one is refused rather than guessed at.
fn parameters(query: &str) -> Result<Vec<(String, String)>, AppError> {
    let decode = |text: &str, field: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8()
            .map(|text| text.into_owned())
            .map_err(|_| invalid(field, "This parameter is not valid percent-encoded UTF-8."))
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key, "query")?;
            let value = decode(value, &key)?;
            Ok((key, value))
        })
        .collect()
}

/// A positive whole number of pixels.
fn pixels(field: &str, value: &str) -> Result<u32, AppError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| invalid(field, "This must be a whole number of pixels, 1 or more."))
}

/// Reads `url`, `format`, `maxwidth` and `maxheight`; others are ignored, as the spec allows.
fn read_query(query: Option<&str>) -> Result<OEmbedQuery, AppError> {
    let mut asked = OEmbedQuery::default();
    let mut url = None;
    for (key, value) in parameters(query.unwrap_or_default())? {
        match key.as_str() {
            "url" if url.is_none() => url = Some(value),
            "format" if value != "json" => {
                if value == "xml" {
                    return Err(AppError::new(
                        StatusCode::NOT_IMPLEMENTED,
                        ApiError::for_field(
                            ErrorCode::UnsupportedFormat,
                            "format",
                            "Only the JSON format is offered; leave out `format` or ask for `json`.",
                        ),
                    ));
                }
                return Err(invalid("format", "The format must be `json`."));
            }
            "maxwidth" => asked.max_width = Some(pixels("maxwidth", &value)?),
            "maxheight" => asked.max_height = Some(pixels("maxheight", &value)?),
            _ => {}
        }
    }
    let url = url.unwrap_or_default();
    if url.trim().is_empty() {
        return Err(invalid(
            "url",
            "Give the address of the page to embed in `url`.",
        ));
    }
    if url.chars().count() > limits::SOURCE_URL_MAX
        || !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(invalid(
            "url",
            "The address must start with https:// or http:// and be at most 2,000 characters.",
        ));
    }
    asked.url = url;
    Ok(asked)
}

/// The path of `url` on the site at `site_url` (any origin when the site has no set address),
/// without its query or fragment; `None` when it is another site's.
fn site_path<'a>(url: &'a str, site_url: &str) -> Option<&'a str> {
    let rest = if site_url.is_empty() {
        let after_scheme = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        after_scheme
            .find('/')
            .and_then(|at| after_scheme.get(at..))
            .unwrap_or_default()
    } else {
        url.strip_prefix(site_url)?
    };
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    (path.is_empty() || path.starts_with('/')).then_some(path)
}

async fn masthead(state: &AppState) -> Result<Site, AppError> {
    state
        .store
        .site()
        .await?
        .map(|settings| settings.masthead)
        .ok_or_else(|| AppError::not_found("site"))
}

/// The answer for the article `slug`, if it is published.
async fn article_answer(
    state: &AppState,
    slug: &str,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> Result<Json<OEmbed>, AppError> {
    let site = masthead(state).await?;
    let article = state
        .store
        .article(slug)
        .await?
        .ok_or_else(|| AppError::not_found("article"))?;
    let title = article.summary.headline;
    let kind = EmbedKind::Article { slug };
    Ok(Json(oembed_answer(
        &state.pages,
        &site,
        kind,
        &title,
        max_width,
        max_height,
    )))
}

/// oEmbed for a page of the site
///
/// The oEmbed answer (type `rich`) for an article's or the homepage's address: an iframe of the
/// article's card or of the latest headlines. An address of another site, or of a page with no
/// embed: 404.
#[utoipa::path(get, path = paths::oembed(), operation_id = "getOEmbed", tag = "embeds",
    params(IfNoneMatch, OEmbedQuestion), responses(OEmbedRead))]
pub async fn oembed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<OEmbed>, AppError> {
    let asked = read_query(query.as_deref())?;
    let unknown = || AppError::not_found("page of this site to embed at that address");
    let path = site_path(&asked.url, &state.pages.site_url).ok_or_else(unknown)?;
    match state
        .pages
        .paths()
        .page_at(if path.is_empty() { "/" } else { path })
    {
        Some(Page::Article { slug }) => {
            article_answer(&state, &slug, asked.max_width, asked.max_height).await
        }
        Some(Page::Home) => {
            let site = masthead(&state).await?;
            Ok(Json(headlines_oembed_answer(
                &state.pages,
                &site,
                asked.max_width,
                asked.max_height,
            )))
        }
        _ => Err(unknown()),
    }
}

/// An article's oEmbed answer, as a file
///
/// What `oembed?url=` answers for the article, at a plain path an exported site serves too;
/// the article page's discovery link names it. Unknown or withdrawn slug: 404.
#[utoipa::path(get, path = paths::oembed_article("{slug}"), operation_id = "getArticleOEmbed",
    tag = "embeds", params(IfNoneMatch, ArticleAddress), responses(Read::<OEmbed>))]
pub async fn article_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Json<OEmbed>, AppError> {
    let slug = file
        .strip_suffix(".json")
        .filter(|slug| budapest_post_contract::paths::is_valid_slug(slug))
        .ok_or_else(|| AppError::not_found("article"))?;
    article_answer(&state, slug, None, None).await
}

/// The homepage's oEmbed answer, as a file
///
/// What `oembed?url=` answers for the homepage (its latest headlines), at a plain path an
/// exported site serves too; the homepage's discovery link names it.
#[utoipa::path(get, path = paths::oembed_headlines(), operation_id = "getHeadlinesOEmbed",
    tag = "embeds", params(IfNoneMatch), responses(Read::<OEmbed>))]
pub async fn headlines_file(State(state): State<AppState>) -> Result<Json<OEmbed>, AppError> {
    let site = masthead(&state).await?;
    Ok(Json(headlines_oembed_answer(
        &state.pages,
        &site,
        None,
        None,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<OEmbedQuery, AppError>) -> (StatusCode, Option<String>) {
        let error = result.unwrap_err();
        (error.status(), error.field().map(str::to_owned))
    }

    #[test]
    fn queries_are_read_strictly() {
        let asked = read_query(Some(
            "url=https%3A%2F%2Fx.example%2Farticles%2Fa&format=json&maxwidth=320&maxheight=200&x=1",
        ))
        .unwrap();
        assert_eq!(asked.url, "https://x.example/articles/a");
        assert_eq!((asked.max_width, asked.max_height), (Some(320), Some(200)));
        let bad = StatusCode::BAD_REQUEST;
        assert_eq!(code(read_query(None)), (bad, Some("url".into())));
        assert_eq!(code(read_query(Some("url="))), (bad, Some("url".into())));
        assert_eq!(
            code(read_query(Some("url=ftp://x"))),
            (bad, Some("url".into()))
        );
        assert_eq!(
            code(read_query(Some("url=https://x&maxwidth=0"))),
            (bad, Some("maxwidth".into()))
        );
        assert_eq!(
            code(read_query(Some("url=https://x&maxheight=-3"))),
            (bad, Some("maxheight".into()))
        );
        assert_eq!(
            code(read_query(Some("url=https://x&format=yaml"))),
            (bad, Some("format".into()))
        );
        assert_eq!(
            code(read_query(Some("url=https://x&format=xml"))),
            (StatusCode::NOT_IMPLEMENTED, Some("format".into()))
        );
        assert_eq!(code(read_query(Some("url=%FF"))).0, bad);
    }

    #[test]
    fn only_this_sites_addresses_have_a_path() {
        let site = "https://www.example.org";
        assert_eq!(
            site_path("https://www.example.org/articles/a?x=1#y", site),
            Some("/articles/a")
        );
        assert_eq!(site_path("https://www.example.org", site), Some(""));
        assert_eq!(
            site_path("https://www.example.org.evil/articles/a", site),
            None
        );
        assert_eq!(site_path("https://other.example/articles/a", site), None);
        assert_eq!(site_path("http://any.example/x", ""), Some("/x"));
        assert_eq!(site_path("http://any.example", ""), Some(""));
    }
}
