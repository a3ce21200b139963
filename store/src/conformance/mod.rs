//! The store's behaviour, tested once and run against both backends: every test here runs on
//! a fresh SQLite file and on a fresh PostgreSQL database (on the server the test command
//! starts; without one the PostgreSQL half fails, saying why).

mod corrections;
mod loading;
mod newsletter;
mod nodes;
mod privacy;
mod reports;

use std::ops::Deref;

use crate::{Database, NewArticle, Store};

/// A store on a fresh database of either backend, for one test.
pub(crate) struct TestStore {
    store: Store,
    database: Database,
    /// The SQLite file's folder, removed with the store.
    _folder: Option<tempfile::TempDir>,
}

impl Deref for TestStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

impl TestStore {
    /// A store on a new SQLite file.
    pub async fn sqlite() -> Self {
        let folder = tempfile::tempdir().unwrap();
        let database = Database::sqlite(folder.path().join("t.sqlite3"));
        Self {
            store: Store::open(&database).await.unwrap(),
            database,
            _folder: Some(folder),
        }
    }

    /// A store on a new PostgreSQL database named after `test`.
    pub async fn postgres(test: &str) -> Self {
        let url = crate::testing::fresh_postgres_database(test)
            .await
            .unwrap_or_else(|why| panic!("{why}"));
        let database = Database::Postgres(url);
        Self {
            store: Store::open(&database).await.unwrap(),
            database,
            _folder: None,
        }
    }

    /// Another handle on the same database, as another process (another node, an editors'
    /// command) has: it sees this one's changes only through the database.
    pub async fn another_process(&self) -> Store {
        Store::open(&self.database).await.unwrap()
    }

    /// The database it is on.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Adds the article `an-article` (section `S`) the report tests write about.
    pub async fn with_an_article(self) -> Self {
        self.save_articles(vec![article("an-article", "S", &[])])
            .await
            .unwrap();
        self
    }
}

/// An article of `section`, featured, with `related` articles and no text.
pub(crate) fn article(slug: &str, section: &str, related: &[&str]) -> NewArticle {
    NewArticle {
        slug: slug.into(),
        headline: format!("Headline of {slug}"),
        standfirst: None,
        section: section.into(),
        published_at: "2021-12-17T14:30:00Z".into(),
        updated_at: None,
        featured: true,
        credit: None,
        audio: None,
        related: related.iter().map(|s| s.to_string()).collect(),
        body: Vec::new(),
    }
}

/// Runs each named `async fn(TestStore)` twice: `<name>::sqlite` and `<name>::postgres`.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    super::$test($crate::conformance::TestStore::sqlite().await).await;
                }

                #[tokio::test]
                async fn postgres() {
                    super::$test(
                        $crate::conformance::TestStore::postgres(stringify!($test)).await,
                    )
                    .await;
                }
            }
        )+
    };
}
pub(crate) use on_both_backends;
