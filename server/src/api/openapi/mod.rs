//! The OpenAPI 3.1 document of the whole API, served at `/api/v1/openapi.json`. It is built
//! from the contract's limits, so it cannot quote a stale number; the HTTP tests check that
//! every route is in it and every real response matches its schemas.

mod schemas;

use std::sync::LazyLock;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use budapest_post_contract::{limits, paths};
use serde_json::{json, Value};

use schemas::schema_ref;
pub use schemas::{ERROR_CODES, FIELD_ERROR_CODES};

/// The document, rendered once.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string_pretty(&document()).unwrap_or_else(|_| "{}".to_owned()));

/// `GET /api/v1/openapi.json`
pub async fn serve() -> Response {
    let mut response = DOCUMENT.as_str().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

/// An error response whose `error.code` is one of `codes`.
fn error(description: &str, codes: &[&str]) -> Value {
    let schema = json!({
        "allOf": [
            schema_ref("ErrorBody"),
            { "properties": { "error": { "properties": { "code": { "enum": codes } } } } },
        ]
    });
    json!({
        "description": description,
        "headers": { "Cache-Control": { "description": "Always `no-store`.",
                                        "schema": { "const": "no-store" } } },
        "content": json_content(schema),
    })
}

/// An error answer with a `Retry-After`.
fn retry_after(description: &str, codes: &[&str]) -> Value {
    let mut answer = error(description, codes);
    answer["headers"]["Retry-After"] = json!({
        "description": "Seconds to wait.", "required": true,
        "schema": { "type": "integer", "minimum": 1 },
    });
    answer
}

/// A `429` with its `Retry-After`.
fn too_many(description: &str) -> Value {
    retry_after(description, &["rate_limited"])
}

fn responses() -> Value {
    let rate_limited =
        too_many("Too many requests from this client; try again after `Retry-After` seconds.");
    let write_rate_limited = too_many(
        "Too many writes from this client, or from all clients together (the server-wide \
         budget of `--global-write-rate-per-minute`); try again after `Retry-After` seconds.",
    );
    json!({
        "NotModified": {
            "description": "The client's copy, named by `If-None-Match`, is current. No body.",
            "headers": { "ETag": { "$ref": "#/components/headers/ETag" },
                         "Cache-Control": { "$ref": "#/components/headers/Cache-Control" } },
        },
        "NotFound": error("Nothing at this path.", &["not_found"]),
        "MalformedJson": error("The body is not one JSON value of this endpoint's shape with nothing after it (a field that is unknown or of the wrong type is named in `field`).", &["malformed_json"]),
        "UnsupportedMediaType": error("The body was not sent as `Content-Type: application/json`.", &["unsupported_media_type"]),
        "PayloadTooLarge": error(&format!("The body is larger than {} bytes.", limits::REQUEST_BODY_MAX_BYTES), &["payload_too_large"]),
        "ForbiddenOrigin": error("Sent by a page of an origin that may not post here (see CORS in the description).", &["forbidden_origin"]),
        "RateLimited": rate_limited,
        "WriteRateLimited": write_rate_limited,
        "Internal": error("Something failed on the server (a failure in handling this one request; the server carries on).", &["internal"]),
        "Unavailable": retry_after("The server cannot use its database for this right now: its disk (or the database's size cap, `--max-database-mib`) is full, the database file cannot be written, or another program holds its lock longer than `--busy-timeout-ms`. Nothing was stored; try again after `Retry-After` seconds. Reads keep working meanwhile.", &["unavailable"]),
        "Timeout": error("The server took longer than its time limit (`--request-timeout-seconds`) to answer. A write may still have taken effect: resend a report with the same idempotency key.", &["timeout"]),
    })
}

fn read(id: &str, summary: &str, description: &str, schema: &str, params: Value) -> Value {
    let mut parameters = vec![json!({ "$ref": "#/components/parameters/IfNoneMatch" })];
    if let Value::Array(more) = params {
        parameters.extend(more);
    }
    json!({ "get": {
        "operationId": id, "summary": summary, "description": description,
        "tags": ["articles"], "parameters": parameters,
        "responses": {
            "200": {
                "description": "Found. Cacheable: `ETag`, `Cache-Control: public, max-age=60, stale-while-revalidate=300`.",
                "headers": { "ETag": { "$ref": "#/components/headers/ETag" },
                             "Cache-Control": { "$ref": "#/components/headers/Cache-Control" } },
                "content": json_content(schema_ref(schema)),
            },
            "304": { "$ref": "#/components/responses/NotModified" },
            "404": { "$ref": "#/components/responses/NotFound" },
            "429": { "$ref": "#/components/responses/RateLimited" },
            "500": { "$ref": "#/components/responses/Internal" },
            "503": { "$ref": "#/components/responses/Unavailable" },
            "504": { "$ref": "#/components/responses/Timeout" },
        },
    }})
}

fn write(
    id: &str,
    summary: &str,
    description: &str,
    request: &str,
    success: Value,
    unprocessable: &[&str],
) -> Value {
    let mut responses = success;
    let more = json!({
        "400": { "$ref": "#/components/responses/MalformedJson" },
        "403": { "$ref": "#/components/responses/ForbiddenOrigin" },
        "413": { "$ref": "#/components/responses/PayloadTooLarge" },
        "415": { "$ref": "#/components/responses/UnsupportedMediaType" },
        "422": error("A field breaks its rules; `field` names the first, `details` all.", unprocessable),
        "429": { "$ref": "#/components/responses/WriteRateLimited" },
        "500": { "$ref": "#/components/responses/Internal" },
        "503": { "$ref": "#/components/responses/Unavailable" },
        "504": { "$ref": "#/components/responses/Timeout" },
    });
    if let (Some(into), Value::Object(from)) = (responses.as_object_mut(), more) {
        into.extend(from);
    }
    json!({ "post": {
        "operationId": id, "summary": summary, "description": description, "tags": ["readers"],
        "requestBody": { "required": true, "content": json_content(schema_ref(request)) },
        "responses": responses,
    }})
}

fn slug_param() -> Value {
    json!({ "name": "slug", "in": "path", "required": true, "schema": schemas::slug(),
            "example": "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato" })
}

fn paths() -> Value {
    let receipt = |description: &str, schema: &str| json!({ "description": description, "content": json_content(schema_ref(schema)) });
    json!({
        paths::site(): read("getSite", "The masthead", "The paper's name, motto and tagline.", "Site", json!([])),
        paths::article_index(): read("getArticleIndex", "The first page of the article list",
            "The same as page 1: the lead story, the newest articles and every section.", "ArticleList", json!([])),
        format!("{}/articles/page/{{n}}.json", paths::API_PREFIX): read("getArticlePage",
            "A page of the article list",
            &format!("{} articles a page, newest first. Past the last page: 404.", limits::ARTICLES_PER_PAGE),
            "ArticleList",
            json!([{ "name": "n", "in": "path", "required": true,
                     "schema": { "type": "integer", "minimum": 1 }, "example": 1 }])),
        paths::article("{slug}"): read("getArticle", "One article",
            "The whole article with its first related articles. Unknown or withdrawn slug: 404.",
            "Article", json!([slug_param()])),
        paths::related("{slug}"): read("getRelated", "An article's related list",
            "Every related article, in the editors' order. Unknown or withdrawn slug: 404.",
            "RelatedList", json!([slug_param()])),
        paths::corrections(): read("getCorrections", "Every published correction",
            "Every correction of an article readers can see, newest first, with the article it corrected.",
            "CorrectionList", json!([])),
        paths::reports(): write("submitReport", "Report an inaccuracy",
            "Stores the report once per `idempotency_key`. Sent again with the same key and the same fields (compared after trimming white space; a blank optional field counts as absent), the answer is the first report's `201` receipt again and nothing new is stored. Sent with the same key and any field different, the answer is `409 idempotency_conflict` and nothing is stored: an edited report needs a new key.",
            "ReportRequest",
            json!({
                "201": receipt("Stored, or stored before with the same fields under the same idempotency key (then the first receipt again).", "ReportReceipt"),
                "409": error("The idempotency key was used before for a report with different fields; nothing was stored. Send the edited report with a new key.", &["idempotency_conflict"]),
            }),
            &["validation_failed", "unknown_article"]),
        paths::newsletter(): write("subscribe", "Sign up for the newsletter",
            "Adds the address to the list once, whatever its letter case. The answer is the same `201` whether or not the address was already on the list, so it tells nobody who is signed up.",
            "NewsletterSignup",
            json!({
                "201": receipt("On the list (added now, or already there: the answer does not say which).", "NewsletterReceipt"),
            }),
            &["validation_failed"]),
        paths::newsletter_unsubscribe(): write("unsubscribe", "Leave the newsletter",
            "Takes the address whose unsubscribe link carries `token` off the list. The answer is the same `200` whether or not a listed address had that token. Each sign-up gets its own unguessable token; editors print the link with `newsletter link <email> --site-url …`.",
            "NewsletterUnsubscribe",
            json!({
                "200": receipt("Not on the list (any more, or never: the answer does not say which).", "UnsubscribeReceipt"),
            }),
            &["validation_failed"]),
        paths::openapi(): { "get": {
            "operationId": "getOpenApi", "summary": "This document", "tags": ["meta"],
            "parameters": [{ "$ref": "#/components/parameters/IfNoneMatch" }],
            "responses": {
                "200": { "description": "The OpenAPI 3.1 document.",
                         "content": json_content(json!({ "type": "object", "required": ["openapi", "paths"] })) },
                "304": { "$ref": "#/components/responses/NotModified" },
                "429": { "$ref": "#/components/responses/RateLimited" },
                "500": { "$ref": "#/components/responses/Internal" },
                "504": { "$ref": "#/components/responses/Timeout" },
            },
        }},
    })
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
was on the list. Report references are random, so they tell nothing about other reports.\n\n\
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
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Budapest Post API",
            "version": "1",
            "description": description(),
            "x-limits": {
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
                "articles_per_page": limits::ARTICLES_PER_PAGE,
                "related_preview": limits::RELATED_PREVIEW,
            },
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "tags": [
            { "name": "articles", "description": "What the site shows." },
            { "name": "readers", "description": "What readers send." },
            { "name": "meta", "description": "About the API itself." },
        ],
        "paths": paths(),
        "components": {
            "schemas": schemas::all(),
            "responses": responses(),
            "parameters": { "IfNoneMatch": {
                "name": "If-None-Match", "in": "header", "required": false,
                "description": "Tags of copies the client holds; a match answers 304.",
                "schema": { "type": "string" },
            }},
            "headers": {
                "ETag": { "description": "Strong tag of this body.", "schema": { "type": "string" } },
                "Cache-Control": { "description": "`public, max-age=60, stale-while-revalidate=300`.",
                                   "schema": { "type": "string" } },
            },
        },
    })
}
