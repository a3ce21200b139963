//! Property tests of the content loader: whatever an article file holds, loading it never
//! panics; a file that breaks a rule is refused in words that name it; a good one loads as
//! written.

use std::path::Path;

use proptest::prelude::*;
use toml::{Table, Value};

use super::*;

const SITE: &str =
    "name = \"Budapest Post\"\nmotto = \"M\"\ntagline = \"T\"\nai_disclaimer = \"D\"\n";
const FILE_NAME: &str = "the-article-file.toml";

/// A content folder with a good `site.toml` and one article file holding `text`.
fn folder_with_article(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), SITE).unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    std::fs::write(dir.path().join("articles").join(FILE_NAME), text).unwrap();
    dir
}

/// Loads `text` as the folder's one article file.
fn load(text: &str) -> Result<Content, ContentError> {
    let dir = folder_with_article(text);
    Content::read_dir(dir.path())
}

fn names_the_file(error: &ContentError) -> bool {
    error.to_string().contains(FILE_NAME)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The test's own idea of a good time, apart from the loader's: the form, and a real date and
/// time of day.
fn is_good_time(value: &str) -> bool {
    let b = value.as_bytes();
    let shaped = b.len() == 20
        && (0..20).all(|i| match i {
            4 | 7 => b[i] == b'-',
            10 => b[i] == b'T',
            13 | 16 => b[i] == b':',
            19 => b[i] == b'Z',
            _ => b[i].is_ascii_digit(),
        });
    if !shaped {
        return false;
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().unwrap_or(99);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let (hour, minute, second) = (number(11..13), number(14..16), number(17..19));
    (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second <= 60
}

fn is_good_slug(slug: &str) -> bool {
    budapest_post_contract::paths::is_valid_slug(slug) && slug != "index"
}

/// Slugs: good ones, near misses, and anything at all.
fn slugs() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?",
        "[a-zA-Z0-9 ./_-]{0,12}",
        Just("index".to_owned()),
        any::<String>(),
    ]
}

/// Times: good ones, ones in the right form on days that do not exist, and anything at all.
fn times() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            1970u32..2100,
            1u32..=12,
            1u32..=28,
            0u32..24,
            0u32..60,
            0u32..60
        )
            .prop_map(|(y, mo, d, h, mi, s)| format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"
            )),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
        "[0-9TZ:+ -]{0,24}",
        any::<String>(),
    ]
}

/// Any TOML value a field might be given by mistake.
fn values() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<String>().prop_map(Value::String),
        any::<i64>().prop_map(Value::Integer),
        any::<bool>().prop_map(Value::Boolean),
        any::<f64>()
            .prop_filter("TOML writes no NaN", |f| !f.is_nan())
            .prop_map(Value::Float),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|map| Value::Table(map.into_iter().collect())),
        ]
    })
}

/// A well-formed article as a TOML table.
fn article_table(slug: &str, published_at: &str, updated_at: Option<&str>) -> Table {
    let mut table = Table::new();
    table.insert("slug".into(), Value::String(slug.into()));
    table.insert("headline".into(), Value::String("A headline".into()));
    table.insert("section".into(), Value::String("Europe".into()));
    table.insert("published_at".into(), Value::String(published_at.into()));
    if let Some(updated_at) = updated_at {
        table.insert("updated_at".into(), Value::String(updated_at.into()));
    }
    table
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn slugs_and_times_load_when_good_and_are_refused_naming_the_file_when_not(
        slug in slugs(),
        published_at in times(),
        updated_at in proptest::option::of(times()),
        headline in any::<String>(),
        section in any::<String>(),
        featured in any::<bool>(),
        related in proptest::collection::vec(any::<String>(), 0..3),
    ) {
        let mut table = article_table(&slug, &published_at, updated_at.as_deref());
        table.insert("headline".into(), Value::String(headline.clone()));
        table.insert("section".into(), Value::String(section.clone()));
        table.insert("featured".into(), Value::Boolean(featured));
        table.insert(
            "related".into(),
            Value::Array(related.iter().cloned().map(Value::String).collect()),
        );
        let good = is_good_slug(&slug)
            && is_good_time(&published_at)
            && updated_at.as_deref().is_none_or(is_good_time);
        match load(&toml::to_string(&table).unwrap()) {
            Ok(content) => {
                prop_assert!(good, "accepted {slug:?} {published_at:?} {updated_at:?}");
                let article = &content.articles[0];
                prop_assert_eq!(&article.slug, &slug);
                prop_assert_eq!(&article.headline, &headline);
                prop_assert_eq!(&article.section, &section);
                prop_assert_eq!(&article.published_at, &published_at);
                prop_assert_eq!(&article.updated_at, &updated_at);
                prop_assert_eq!(article.featured, featured);
                prop_assert_eq!(&article.related, &related);
            }
            Err(error) => {
                prop_assert!(!good, "refused a good article: {error}");
                prop_assert!(matches!(error, ContentError::Invalid { .. }), "{error}");
                prop_assert!(names_the_file(&error), "{error}");
            }
        }
    }

    #[test]
    fn any_value_in_any_field_is_loaded_or_refused_naming_the_file(
        field in prop_oneof![
            Just("slug"), Just("headline"), Just("standfirst"), Just("section"),
            Just("published_at"), Just("updated_at"), Just("featured"), Just("credit"),
            Just("audio"), Just("related"), Just("body"), Just("unknown_field"),
        ],
        value in values(),
    ) {
        let mut table = article_table("an-article", "2021-12-17T14:30:00Z", None);
        table.insert(field.into(), value);
        if let Err(error) = load(&toml::to_string(&table).unwrap()) {
            prop_assert!(names_the_file(&error), "{error}");
        }
    }

    #[test]
    fn any_text_as_an_article_file_is_loaded_or_refused_naming_the_file(
        text in prop_oneof![
            any::<String>(),
            "(slug|headline|section|published_at|body) = [\"\\[\\]{}a-z0-9 ,=.\\n-]{0,40}",
        ],
    ) {
        if let Err(error) = load(&text) {
            prop_assert!(names_the_file(&error), "{error}");
        }
    }

    #[test]
    fn any_bytes_as_an_article_file_are_refused_naming_the_file(
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let dir = folder_with_article("");
        std::fs::write(dir.path().join("articles").join(FILE_NAME), &bytes).unwrap();
        if let Err(error) = Content::read_dir(dir.path()) {
            prop_assert!(names_the_file(&error), "{error}");
        }
    }
}

#[test]
fn the_oracle_knows_the_calendar() {
    assert!(is_good_time("2024-02-29T00:00:00Z"));
    assert!(!is_good_time("2023-02-29T00:00:00Z"));
    assert!(!is_good_time("2021-00-10T00:00:00Z"));
    assert!(!is_good_time("2021-12-17T14:30:00"));
    assert!(Path::new(FILE_NAME)
        .extension()
        .is_some_and(|e| e == "toml"));
}
