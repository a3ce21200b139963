//! The OpenAPI document as served, and checks of real answers against its schemas.

use serde_json::{json, Value};

use super::{Reply, Site};
use axum::http::StatusCode;

/// The document the site serves.
pub async fn document(site: &Site) -> Value {
    let reply = site.send(super::get("/api/v1/openapi.json")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("etag").is_some());
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    doc
}

/// Follows a `$ref` to `#/components/...`.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(pointer) => doc.pointer(pointer.trim_start_matches('#')).unwrap(),
        None => value,
    }
}

/// Checks `reply` against what the document says `method path` answers with its status.
pub fn assert_documented(doc: &Value, method: &str, path: &str, reply: &Reply) {
    let status = reply.status.as_u16().to_string();
    let responses = &doc["paths"][path][method]["responses"];
    let response = responses
        .get(&status)
        .map(|r| resolve(doc, r))
        .unwrap_or_else(|| panic!("{method} {path} answered {status}, which is not documented"));
    for (name, header) in response["headers"].as_object().into_iter().flatten() {
        let header = resolve(doc, header);
        if header["required"] == true || name == "ETag" {
            assert!(
                reply.header(name).is_some(),
                "{method} {path} {status}: no {name}"
            );
        }
    }
    let Some(content) = response.get("content") else {
        assert!(reply.body.is_empty(), "{method} {path} {status} has a body");
        return;
    };
    let schema = &content["application/json"]["schema"];
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_valid(
        doc,
        schema,
        &reply.json(),
        &format!("{method} {path} {status}"),
    );
}

/// The validation errors of `instance` against `schema`, resolving references into the
/// document's components.
pub fn schema_errors(doc: &Value, schema: &Value, instance: &Value) -> Vec<String> {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::validator_for(&root).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Checks `instance` matches `schema`.
pub fn assert_valid(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let errors = schema_errors(doc, schema, instance);
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{instance}");
}
