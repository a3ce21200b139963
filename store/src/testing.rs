//! Fresh PostgreSQL databases for tests, on the throwaway server the test command starts.

/// The variable that holds the URL of a PostgreSQL server for tests, as a user who may create
/// databases (`cargo xtask test` starts a throwaway server and sets it).
pub const POSTGRES_URL_VARIABLE: &str = "BP_TEST_POSTGRES_URL";

/// Creates a new, empty database on the test server named by [`POSTGRES_URL_VARIABLE`] and
/// answers its URL. `hint` (letters, digits and `_` kept) goes into its name, so a failing
/// test's database can be found. Fails, saying why, when the variable is not set or the
/// server cannot be reached: tests that need PostgreSQL are never skipped.
pub async fn fresh_postgres_database(hint: &str) -> Result<String, String> {
    let server = std::env::var(POSTGRES_URL_VARIABLE).map_err(|_| {
        format!(
            "{POSTGRES_URL_VARIABLE} is not set: these tests need a PostgreSQL server. \
             `cargo xtask test` starts a throwaway one and sets it"
        )
    })?;
    let config: tokio_postgres::Config = server
        .parse()
        .map_err(|e| format!("{POSTGRES_URL_VARIABLE} is not a PostgreSQL URL: {e}"))?;
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.map_err(|e| {
        format!("cannot reach the test PostgreSQL server ({POSTGRES_URL_VARIABLE}): {e}")
    })?;
    let driver = tokio::spawn(connection);
    let hint: String = hint
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(30)
        .collect::<String>()
        .to_ascii_lowercase();
    let suffix = crate::references::new_token()
        .map_err(|e| e.to_string())?
        .to_ascii_lowercase();
    let name = format!("bp_{hint}_{suffix}");
    let created = client
        // A UTF-8 locale, as a deployed cluster has (Debian's takes the system's): under it
        // `lower()` folds more than ASCII, which the store must not rely on.
        .batch_execute(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"
        ))
        .await
        .map_err(|e| format!("cannot create the test database {name}: {e}"));
    drop(client);
    driver.abort();
    created?;
    Ok(url_of(&server, &name))
}

/// `server` with its database name replaced by `name`.
fn url_of(server: &str, name: &str) -> String {
    let without_query = server.split('?').next().unwrap_or(server);
    let query = server.get(without_query.len()..).unwrap_or("");
    let authority_end = without_query
        .find("://")
        .map(|scheme| scheme + 3)
        .and_then(|start| {
            without_query
                .get(start..)
                .and_then(|rest| rest.find('/'))
                .map(|slash| start + slash)
        })
        .unwrap_or(without_query.len());
    let base = without_query.get(..authority_end).unwrap_or(without_query);
    format!("{base}/{name}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(
            url_of("postgres://postgres@127.0.0.1:5433/postgres", "bp_x"),
            "postgres://postgres@127.0.0.1:5433/bp_x"
        );
        assert_eq!(
            url_of("postgres://u:p@h:1/db?sslmode=disable", "n"),
            "postgres://u:p@h:1/n?sslmode=disable"
        );
        assert_eq!(url_of("postgres://h:1", "n"), "postgres://h:1/n");
    }
}
