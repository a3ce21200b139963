//! The OpenAPI 3.1 document of the whole API, served at `/api/v1/openapi.json`. Its schemas are
//! derived from the contract's types (their `openapi` feature), its operations from the
//! handlers' `#[utoipa::path]` attributes and the shared answers in [`answers`]; this module
//! adds only the prose and what utoipa's model has no field for. The HTTP tests check that
//! every route is in it and every real response matches its schemas.

mod answers;

use std::sync::LazyLock;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use budapest_post_contract::{
    limits, Article, ArticleList, CorrectionList, ErrorBody, OEmbed, RelatedList, Site,
};
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

pub use answers::{
    ArticleAddress, DocumentRead, FormFailures, IfNoneMatch, OEmbedQuestion, OEmbedRead,
    PageNumber, Read, ReportFailures, StatusFailures,
};

/// The document's operations, schemas and shared answers, as utoipa derives them.
#[derive(OpenApi)]
#[openapi(
    info(title = "Budapest Post API", version = "1", description = description()),
    paths(
        super::articles::site,
        super::articles::article_index,
        super::articles::article_page,
        super::articles::article,
        super::articles::related,
        super::corrections::list,
        super::readers::submit_report,
        super::readers::report_status,
        super::readers::subscribe,
        super::readers::unsubscribe,
        super::oembed::oembed,
        super::oembed::article_file,
        super::oembed::headlines_file,
        super::health::health,
        serve,
    ),
    components(
        // The bodies the shared answers name (request bodies and the receipts are found from
        // the operations).
        schemas(Site, ArticleList, Article, RelatedList, CorrectionList, ErrorBody, OEmbed),
        responses(
            answers::NotModified,
            answers::NotFound,
            answers::MalformedJson,
            answers::UnsupportedMediaType,
            answers::PayloadTooLarge,
            answers::ForbiddenOrigin,
            answers::RateLimited,
            answers::WriteRateLimited,
            answers::Internal,
            answers::Unavailable,
            answers::Timeout,
        ),
    ),
    tags(
        (name = "articles", description = "What the site shows."),
        (name = "readers", description = "What readers send."),
        (name = "embeds", description = "What partner sites embed (oEmbed)."),
        (name = "meta", description = "About the API itself."),
    ),
)]
struct ApiDoc;

/// The document, rendered once.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string_pretty(&document()).unwrap_or_else(|_| "{}".to_owned()));

/// This document
#[utoipa::path(
    get,
    path = budapest_post_contract::paths::openapi(),
    operation_id = "getOpenApi",
    tag = "meta",
    params(IfNoneMatch),
    responses(DocumentRead)
)]
pub async fn serve() -> Response {
    let mut response = DOCUMENT.as_str().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn description() -> String {
    format!(
        "The Budapest Post's JSON API: the articles the site shows, and where readers' reports and \
newsletter sign-ups land.\n\n\
**Reads** end in `.json`, so a static host can serve an exported copy at the same paths. \
Every `GET` also answers `HEAD`, carries a strong `ETag` and `Cache-Control`, and answers \
`304 Not Modified` to a matching `If-None-Match` (weak and list forms included). Bodies are \
compressed with brotli or gzip when the client accepts them; a compressed body's tag ends in \
`-br` or `-gzip`.\n\n\
**CORS**: anyone may `GET`; `POST` is accepted from the site's own origin and from the \
origins the operator allows (`--allowed-origins`); from any other origin it is refused with \
403 `forbidden_origin` and changes nothing.\n\n\
**Errors** all have one shape, `ErrorBody`, with a machine-readable `code`, the offending \
`field` and, for validation, every field in `details`. Nothing is stored when the answer is \
an error. Unknown paths under `/api/v1` answer 404 and unsupported methods 405 \
`method_not_allowed`, both in that shape.\n\n\
**Limits**: request bodies up to {body} bytes (413 past it); article slugs up to {slug} \
characters; the quoted passage, what is wrong and the correction up to {quoted}, {wrong} and \
{correction} characters; source links up to {url}; email addresses up to {email}; idempotency \
keys {kmin} to {kmax} characters of `A-Z a-z 0-9 - _`. Free text holds no control characters \
but tab, line feed and CRLF, and no text-direction controls; links and email addresses hold no \
control or invisible characters (422 `invalid_characters`). Each client has a budget of reads \
and of writes per minute, and all clients together a budget of writes per minute, set by the \
operator; past one the answer is 429 with `Retry-After`.\n\n\
**Idempotency**: a report carries an `idempotency_key` made once per report; the same key \
with the same report answers the first receipt again, with a different report 409 \
`idempotency_conflict`.\n\n\
**Privacy**: a sign-up and an unsubscribe request answer the same whether or not the address \
was on the list. Report references are random, so they tell nothing about other reports. \
What became of a report is told only to whoever holds the token its receipt gave (the \
reporter's private status link): a wrong token and an unknown reference get the same 404.\n\n\
**Failures**: a request that fails on the server answers 500 `internal` and one that takes \
longer than the server's time limit 504 `timeout`; either way the server carries on. When \
the database cannot be written (a full disk, a read-only or locked database file) writes \
answer 503 `unavailable` with `Retry-After` and reads keep working.",
        body = limits::REQUEST_BODY_MAX_BYTES,
        slug = limits::SLUG_MAX,
        quoted = limits::QUOTED_PASSAGE_MAX,
        wrong = limits::WHAT_IS_WRONG_MAX,
        correction = limits::CORRECTION_MAX,
        url = limits::SOURCE_URL_MAX,
        email = limits::EMAIL_MAX,
        kmin = limits::IDEMPOTENCY_KEY_MIN,
        kmax = limits::IDEMPOTENCY_KEY_MAX,
    )
}

/// The whole document.
pub fn document() -> Value {
    let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    document["info"]["x-limits"] = json!({
        "request_body_max_bytes": limits::REQUEST_BODY_MAX_BYTES,
        "slug_max": limits::SLUG_MAX,
        "quoted_passage_max": limits::QUOTED_PASSAGE_MAX,
        "what_is_wrong_max": limits::WHAT_IS_WRONG_MAX,
        "correction_max": limits::CORRECTION_MAX,
        "source_url_max": limits::SOURCE_URL_MAX,
        "email_max": limits::EMAIL_MAX,
        "idempotency_key_min": limits::IDEMPOTENCY_KEY_MIN,
        "idempotency_key_max": limits::IDEMPOTENCY_KEY_MAX,
        "unsubscribe_token_max": limits::UNSUBSCRIBE_TOKEN_MAX,
        "report_status_token_max": limits::REPORT_STATUS_TOKEN_MAX,
        "articles_per_page": limits::ARTICLES_PER_PAGE,
        "related_preview": limits::RELATED_PREVIEW,
    });
    document["jsonSchemaDialect"] = json!("https://spec.openapis.org/oas/3.1/dialect/base");
    let components = document["components"]["schemas"].clone();
    if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
        for schema in schemas.values_mut() {
            merge_flattened(schema, &components);
            close(schema);
        }
    }
    if let Some(answers) = document["components"]["responses"].as_object_mut() {
        answers.values_mut().for_each(require_retry_after);
    }
    for operation in operations(&mut document) {
        if let Some(answers) = operation["responses"].as_object_mut() {
            answers.values_mut().for_each(require_retry_after);
        }
    }
    document
}

fn operations(document: &mut Value) -> impl Iterator<Item = &mut Value> {
    document["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(Map::values_mut)
        .filter_map(Value::as_object_mut)
        .flat_map(Map::values_mut)
}

/// A `Retry-After` is always sent with the answers that name it; utoipa's header has no
/// `required` to say so.
fn require_retry_after(answer: &mut Value) {
    let headers = answer.get_mut("headers").and_then(Value::as_object_mut);
    if let Some(retry_after) = headers.and_then(|headers| headers.get_mut("Retry-After")) {
        retry_after["required"] = json!(true);
    }
}

/// Closes every object schema in `schema`: the contract's types have no other fields, and a
/// field the server does not send is a mistake the response tests should catch.
fn close(schema: &mut Value) {
    let listed_object = schema["type"] == "object" && schema.get("properties").is_some();
    if let Some(object) = schema.as_object_mut().filter(|_| listed_object) {
        object.entry("additionalProperties").or_insert(json!(false));
    }
    for key in ["properties", "$defs"] {
        if let Some(children) = schema.get_mut(key).and_then(Value::as_object_mut) {
            children.values_mut().for_each(close);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(children) = schema.get_mut(key).and_then(Value::as_array_mut) {
            children.iter_mut().for_each(close);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        close(items);
    }
}

/// An object made of flattened parts (`allOf` of objects and references to objects, as utoipa
/// derives `#[serde(flatten)]`) becomes one object with all their properties and required
/// fields, since closing each part would refuse the other parts' fields.
fn merge_flattened(schema: &mut Value, components: &Value) {
    let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
        return;
    };
    let parts: Vec<&Value> = parts
        .iter()
        .map(|part| match part["$ref"].as_str() {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/schemas/");
                &components[name]
            }
            None => part,
        })
        .collect();
    if !parts.iter().all(|part| part["type"] == "object") {
        return;
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in parts {
        properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
        required.extend(part["required"].as_array().cloned().unwrap_or_default());
    }
    if let Some(object) = schema.as_object_mut() {
        object.remove("allOf");
        object.insert("type".to_owned(), json!("object"));
        object.insert("properties".to_owned(), Value::Object(properties));
        object.insert("required".to_owned(), Value::Array(required));
    }
}
