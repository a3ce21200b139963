//! The oEmbed operations and their answer's schema, kept apart from the rest of the document.

use budapest_post_contract::{limits, paths};
use serde_json::{json, Value};

use super::schemas::schema_ref;
use super::{error, json_content, slug_param};

/// The `OEmbed` schema (the contract's `OEmbed`, the spec's `rich` type).
pub fn schemas() -> Value {
    json!({
        "OEmbed": {
            "type": "object",
            "description": "An oEmbed 1.0 answer of type `rich`: an iframe of the embed.",
            "required": ["type", "version", "title", "provider_name", "provider_url", "html", "width", "height"],
            "additionalProperties": false,
            "properties": {
                "type": { "const": "rich" },
                "version": { "const": "1.0" },
                "title": { "type": "string" },
                "provider_name": { "type": "string" },
                "provider_url": { "type": "string" },
                "html": { "type": "string", "description": "A sandboxed, lazily loaded iframe of the embed page." },
                "width": { "type": "integer", "minimum": 1 },
                "height": { "type": "integer", "minimum": 1 },
            },
        },
    })
}

fn answers(extra: Value) -> Value {
    let mut responses = json!({
        "200": { "description": "The embed of that page.", "content": json_content(schema_ref("OEmbed")) },
        "404": { "$ref": "#/components/responses/NotFound" },
        "429": { "$ref": "#/components/responses/RateLimited" },
        "500": { "$ref": "#/components/responses/Internal" },
        "503": { "$ref": "#/components/responses/Unavailable" },
        "504": { "$ref": "#/components/responses/Timeout" },
    });
    if let (Some(into), Value::Object(from)) = (responses.as_object_mut(), extra) {
        into.extend(from);
    }
    responses
}

fn pixels(name: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false,
            "schema": { "type": "integer", "minimum": 1 },
            "description": "The most pixels the consumer has room for; the answer keeps within it." })
}

/// The oEmbed paths.
pub fn paths() -> Value {
    json!({
        paths::oembed(): { "get": {
            "operationId": "getOEmbed", "summary": "oEmbed for a page of the site",
            "description": "The oEmbed answer (type `rich`) for an article's or the homepage's address: an iframe of the article's card or of the latest headlines. An address of another site, or of a page with no embed: 404.",
            "tags": ["embeds"],
            "parameters": [
                { "name": "url", "in": "query", "required": true,
                  "schema": { "type": "string", "maxLength": limits::SOURCE_URL_MAX },
                  "example": "https://www.budapestpost.example/articles/russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato" },
                { "name": "format", "in": "query", "required": false, "schema": { "enum": ["json", "xml"] },
                  "description": "Only `json` is offered; `xml` answers 501." },
                pixels("maxwidth"),
                pixels("maxheight"),
            ],
            "responses": answers(json!({
                "400": error("A parameter is missing or not in the form it takes; `field` names it.", &["invalid_parameter"]),
                "501": error("The format asked for is not offered (only `json`).", &["unsupported_format"]),
            })),
        }},
        paths::oembed_article("{slug}"): { "get": {
            "operationId": "getArticleOEmbed", "summary": "An article's oEmbed answer, as a file",
            "description": "What `oembed?url=` answers for the article, at a plain path an exported site serves too; the article page's discovery link names it. Unknown or withdrawn slug: 404.",
            "tags": ["embeds"],
            "parameters": [slug_param()],
            "responses": answers(json!({})),
        }},
    })
}
