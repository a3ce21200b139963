//! What the contract's types cannot say about the HTTP around them: the request parameters,
//! the cache headers of a read, and the error answers every operation shares, each with the
//! error codes it may carry.

use std::collections::BTreeMap;

use budapest_post_contract::{limits, ErrorCode, OEmbed};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Schema};
use utoipa::{IntoParams, IntoResponses, ToResponse, ToSchema};

use crate::http::cache::API_CACHE_CONTROL;

/// The conditional-request header every read takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfNoneMatch {
    /// Tags of copies the client holds; a match answers 304.
    #[param(rename = "If-None-Match", nullable = false)]
    #[allow(dead_code, reason = "never built: it only describes the header")]
    if_none_match: Option<String>,
}

/// The article a path names. Written out, not derived: a derived parameter whose schema comes
/// from a function loses its description, example and `required`.
pub struct ArticleAddress;

impl IntoParams for ArticleAddress {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let slug = ParameterBuilder::new()
            .name("slug")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some("The article's slug."))
            .schema(Some(budapest_post_contract::openapi::slug()))
            .example(Some(
                "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato".into(),
            ));
        vec![slug.build()]
    }
}

/// The page of the article list a path names.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PageNumber {
    /// The page's number, from 1.
    #[param(minimum = 1, example = 1)]
    #[allow(dead_code, reason = "never built: it only describes the parameter")]
    n: u32,
}

fn json(schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn string_header(description: &str) -> HeaderBuilder {
    HeaderBuilder::new()
        .schema(string())
        .description(Some(description))
}

/// The headers of a cacheable answer.
fn cache_headers(response: ResponseBuilder) -> ResponseBuilder {
    response
        .header("ETag", string_header("Strong tag of this body.").build())
        .header(
            "Cache-Control",
            string_header(&format!("`{API_CACHE_CONTROL}`.")).build(),
        )
}

/// An error answer whose `error.code` is one of `codes`.
fn error(description: &str, codes: &[ErrorCode]) -> ResponseBuilder {
    let codes = codes
        .iter()
        .map(|code| serde_json::to_value(code).unwrap_or_default());
    let code = ObjectBuilder::new().property("code", string().enum_values(Some(codes)));
    let only_these = ObjectBuilder::new().property("error", code);
    let body = AllOfBuilder::new()
        .item(Ref::from_schema_name("ErrorBody"))
        .item(only_these);
    ResponseBuilder::new()
        .description(description)
        .header(
            "Cache-Control",
            HeaderBuilder::new()
                .schema(string().enum_values(Some(["no-store"])))
                .description(Some("Always `no-store`."))
                .build(),
        )
        .content("application/json", json(body))
}

/// An error answer with a `Retry-After` (marked required by the document's last touches:
/// utoipa's header has no `required`).
fn retry_after(description: &str, codes: &[ErrorCode]) -> ResponseBuilder {
    let seconds = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1));
    error(description, codes).header(
        "Retry-After",
        HeaderBuilder::new()
            .schema(seconds)
            .description(Some("Seconds to wait."))
            .build(),
    )
}

/// Declares the shared answers, each a `ToResponse` named after its type, so operations
/// refer to them in `#/components/responses`.
macro_rules! shared_answers {
    ($($(#[$doc:meta])* $name:ident => $answer:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), $answer.build().into())
            }
        }
    )*};
}

shared_answers! {
    /// 304 to a matching `If-None-Match`.
    NotModified => cache_headers(ResponseBuilder::new().description(
        "The client's copy, named by `If-None-Match`, is current. No body."));
    /// 404.
    NotFound => error("Nothing at this path.", &[ErrorCode::NotFound]);
    /// 400.
    MalformedJson => error("The body is not one JSON value of this endpoint's shape with nothing after it (a field that is unknown or of the wrong type is named in `field`).", &[ErrorCode::MalformedJson]);
    /// 415.
    UnsupportedMediaType => error("The body was not sent as `Content-Type: application/json`.", &[ErrorCode::UnsupportedMediaType]);
    /// 413.
    PayloadTooLarge => error(&format!("The body is larger than {} bytes.", limits::REQUEST_BODY_MAX_BYTES), &[ErrorCode::PayloadTooLarge]);
    /// 403.
    ForbiddenOrigin => error("Sent by a page of an origin that may not post here (see CORS in the description).", &[ErrorCode::ForbiddenOrigin]);
    /// 429 to a read.
    RateLimited => retry_after("Too many requests from this client; try again after `Retry-After` seconds.", &[ErrorCode::RateLimited]);
    /// 429 to a write.
    WriteRateLimited => retry_after("Too many writes from this client, or from all clients together (the server-wide budget of `--global-write-rate-per-minute`); try again after `Retry-After` seconds.", &[ErrorCode::RateLimited]);
    /// 500.
    Internal => error("Something failed on the server (a failure in handling this one request; the server carries on).", &[ErrorCode::Internal]);
    /// 503.
    Unavailable => retry_after("The server cannot use its database for this right now: its disk (or the database's size cap, `--max-database-mib`) is full, the database file cannot be written, or another program holds its lock longer than `--busy-timeout-ms`. Nothing was stored; try again after `Retry-After` seconds. Reads keep working meanwhile.", &[ErrorCode::Unavailable]);
    /// 504.
    Timeout => error("The server took longer than its time limit (`--request-timeout-seconds`) to answer. A write may still have taken effect: resend a report with the same idempotency key.", &[ErrorCode::Timeout]);
}

fn shared<'r, T: ToResponse<'r>>() -> RefOr<Response> {
    Ref::from_response_name(T::response().0).into()
}

fn answers<const N: usize>(
    pairs: [(&str, RefOr<Response>); N],
) -> BTreeMap<String, RefOr<Response>> {
    pairs
        .into_iter()
        .map(|(status, answer)| (status.to_owned(), answer))
        .collect()
}

/// Every answer of a read of `T`: `T` itself, cacheable, or one of the shared failures.
pub struct Read<T>(std::marker::PhantomData<T>);

impl<T: ToSchema> IntoResponses for Read<T> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let found = cache_headers(ResponseBuilder::new().description(format!(
            "Found. Cacheable: `ETag`, `Cache-Control: {API_CACHE_CONTROL}`."
        )))
        .content("application/json", json(Ref::from_schema_name(T::name())));
        answers([
            ("200", found.build().into()),
            ("304", shared::<NotModified>()),
            ("404", shared::<NotFound>()),
            ("429", shared::<RateLimited>()),
            ("500", shared::<Internal>()),
            ("503", shared::<Unavailable>()),
            ("504", shared::<Timeout>()),
        ])
    }
}

/// Every answer of the document's own read.
pub struct DocumentRead;

impl IntoResponses for DocumentRead {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let shape = ObjectBuilder::new()
            .schema_type(Type::Object)
            .required("openapi")
            .required("paths");
        let found = ResponseBuilder::new()
            .description("The OpenAPI 3.1 document.")
            .content("application/json", json(shape));
        answers([
            ("200", found.build().into()),
            ("304", shared::<NotModified>()),
            ("429", shared::<RateLimited>()),
            ("500", shared::<Internal>()),
            ("504", shared::<Timeout>()),
        ])
    }
}

/// The failures every write shares, and its 422 with the codes it may carry.
fn write_failures(unprocessable: &[ErrorCode]) -> BTreeMap<String, RefOr<Response>> {
    answers([
        ("400", shared::<MalformedJson>()),
        ("403", shared::<ForbiddenOrigin>()),
        ("413", shared::<PayloadTooLarge>()),
        ("415", shared::<UnsupportedMediaType>()),
        (
            "422",
            error(
                "A field breaks its rules; `field` names the first, `details` all.",
                unprocessable,
            )
            .build()
            .into(),
        ),
        ("429", shared::<WriteRateLimited>()),
        ("500", shared::<Internal>()),
        ("503", shared::<Unavailable>()),
        ("504", shared::<Timeout>()),
    ])
}

/// How a report can fail: a rule broken, an unknown article, or a reused idempotency key.
pub struct ReportFailures;

impl IntoResponses for ReportFailures {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut failures =
            write_failures(&[ErrorCode::ValidationFailed, ErrorCode::UnknownArticle]);
        let conflict = error(
            "The idempotency key was used before for a report with different fields; nothing \
             was stored. Send the edited report with a new key.",
            &[ErrorCode::IdempotencyConflict],
        );
        failures.insert("409".to_owned(), conflict.build().into());
        failures
    }
}

/// How a reporter's status question can fail: a malformed question, or no report with that
/// reference and token (one answer for both, so it tells nothing about which references exist).
pub struct StatusFailures;

impl IntoResponses for StatusFailures {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut failures = write_failures(&[ErrorCode::ValidationFailed]);
        failures.insert("404".to_owned(), shared::<NotFound>());
        failures
    }
}

/// How a newsletter form (sign-up, unsubscribe) can fail.
pub struct FormFailures;

impl IntoResponses for FormFailures {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        write_failures(&[ErrorCode::ValidationFailed])
    }
}

/// What an oEmbed consumer asks (<https://oembed.com>, section 2.2). Written out, so that the
/// address's limit is the contract's.
pub struct OEmbedQuestion;

impl IntoParams for OEmbedQuestion {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let query = |name: &str, description: &str, schema: ObjectBuilder, required: bool| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(if required {
                    Required::True
                } else {
                    Required::False
                })
                .description(Some(description))
                .schema(Some(schema))
        };
        let pixels = || {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(u32::MAX))
        };
        let room = "The most pixels the consumer has room for; the answer keeps within it.";
        vec![
            query(
                "url",
                "The address of an article or of the homepage on this site.",
                // What `oembed::read_query` takes: an http or https address, any path.
                string()
                    .pattern(Some("^https?://"))
                    .max_length(Some(limits::SOURCE_URL_MAX)),
                true,
            )
            .example(Some(
                "https://www.budapestpost.example/articles/russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato".into(),
            ))
            .build(),
            query(
                "format",
                "Only `json` is offered; `xml` answers 501.",
                string().enum_values(Some(["json", "xml"])),
                false,
            )
            .build(),
            query("maxwidth", room, pixels(), false).build(),
            query("maxheight", room, pixels(), false).build(),
        ]
    }
}

/// Every answer to an oEmbed question: the embed's answer, read like any other, or a
/// parameter refused.
pub struct OEmbedRead;

impl IntoResponses for OEmbedRead {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut all = Read::<OEmbed>::responses();
        let refused = error(
            "A parameter is missing or not in the form it takes; `field` names it.",
            &[ErrorCode::InvalidParameter],
        );
        let not_offered = error(
            "The format asked for is not offered (only `json`).",
            &[ErrorCode::UnsupportedFormat],
        );
        all.insert("400".to_owned(), refused.build().into());
        all.insert("501".to_owned(), not_offered.build().into());
        all
    }
}
