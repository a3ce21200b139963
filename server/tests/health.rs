//! `GET /api/v1/health`: `200` `ok`/`reachable` while the database answers, `503`
//! `unavailable`/`unreachable` once it does not, never cached, both as the OpenAPI document
//! says.

mod common;

use axum::http::StatusCode;
use budapest_post_store::{Content, Database, Store};
use common::openapi::{assert_documented, document};
use common::{get, repo_content, site, site_over, Site};
use serde_json::json;

const HEALTH: &str = "/api/v1/health";

async fn assert_health(site: &Site, status: StatusCode, body: serde_json::Value) {
    let doc = document(site).await;
    // Twice: the second answer must be computed again, not kept by the server's read cache.
    for _ in 0..2 {
        let reply = site.send(get(HEALTH)).await;
        assert_eq!(
            reply.status,
            status,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(reply.json(), body);
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_eq!(reply.header("etag"), None, "a no-store answer has no tag");
        assert_documented(&doc, "get", HEALTH, &reply);
    }
}

#[tokio::test]
async fn a_sqlite_database_is_reachable() {
    let site = site().await;
    assert_health(
        &site,
        StatusCode::OK,
        json!({"status": "ok", "database": "reachable"}),
    )
    .await;
}

/// The superuser URL of the tests' PostgreSQL server with `database` in place of its database.
fn with_database(server: &str, database: &str) -> String {
    let (address, _) = server.rsplit_once('/').unwrap();
    format!("{address}/{database}")
}

#[tokio::test]
async fn a_postgres_database_that_went_away_is_unreachable_and_the_answer_is_not_kept() {
    let url = budapest_post_store::testing::fresh_postgres_database("health")
        .await
        .unwrap_or_else(|why| panic!("this test needs PostgreSQL (BP_TEST_POSTGRES_URL): {why}"));
    let store = Store::open(&Database::Postgres(url.clone())).await.unwrap();
    store
        .load_content(Content::read_dir(&repo_content()).unwrap())
        .await
        .unwrap();
    let site = site_over(tempfile::tempdir().unwrap(), store, |_| {});
    assert_health(
        &site,
        StatusCode::OK,
        json!({"status": "ok", "database": "reachable"}),
    )
    .await;

    // The database is dropped under the running node, its sessions ended with it.
    let name = url.rsplit('/').next().unwrap().to_owned();
    let server = std::env::var("BP_TEST_POSTGRES_URL").unwrap();
    let dropped = std::process::Command::new("psql")
        .arg(with_database(&server, "postgres"))
        .args(["-v", "ON_ERROR_STOP=1", "-c"])
        .arg(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .output()
        .unwrap();
    assert!(dropped.status.success(), "{dropped:?}");
    assert_health(
        &site,
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"status": "unavailable", "database": "unreachable"}),
    )
    .await;
}
