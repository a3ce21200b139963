//! Reports on SQLite alone: digests and references drawn again (the rest: `crate::conformance`).

use super::*;

fn fields() -> ReportFields<'static> {
    ReportFields {
        article_slug: "an-article",
        quoted_passage: "P",
        what_is_wrong: "W",
        correction: "C",
        source_url: None,
        email: None,
    }
}

#[test]
fn the_digest_tells_every_field_apart() {
    let base = digest(&fields());
    assert_eq!(base.len(), 64);
    assert_eq!(base, digest(&fields()));
    let changed = [
        ReportFields {
            correction: "C ",
            ..fields()
        },
        ReportFields {
            email: Some("a@b.co"),
            ..fields()
        },
        ReportFields {
            source_url: Some(""),
            ..fields()
        },
        // Text moved from one field to the next is another report.
        ReportFields {
            quoted_passage: "PW",
            what_is_wrong: "",
            ..fields()
        },
    ];
    for other in changed {
        assert_ne!(digest(&other), base);
    }
}

#[test]
fn a_taken_reference_is_drawn_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
    let mut writer = store.lock_writer().unwrap();
    writer
        .execute_batch(
            "INSERT INTO sections (slug, name) VALUES ('s', 'S');
             INSERT INTO articles (slug, headline, section_id, published_at)
               VALUES ('an-article', 'A', 1, '2021-12-17T14:30:00Z');",
        )
        .unwrap();
    let tx = immediate(&mut writer).unwrap();
    let row = |key| NewRow {
        idempotency_key: key,
        request_sha256: "x",
        spam: false,
        article_id: 1,
        fields: fields(),
    };
    let first = insert_under_fresh_reference(&tx, &row("key-one-0000000001"), || {
        Ok("BP-AAAAAAAA".to_owned())
    })
    .unwrap();
    assert_eq!(first, "BP-AAAAAAAA");
    let mut draws = ["BP-AAAAAAAA", "BP-AAAAAAAA", "BP-BBBBBBBB"].into_iter();
    let second = insert_under_fresh_reference(&tx, &row("key-two-0000000002"), || {
        Ok(draws.next().unwrap().to_owned())
    })
    .unwrap();
    assert_eq!(second, "BP-BBBBBBBB", "the taken one was drawn again");
    let stuck = insert_under_fresh_reference(&tx, &row("key-three-00000003"), || {
        Ok("BP-AAAAAAAA".to_owned())
    });
    assert!(matches!(stuck, Err(StoreError::Randomness(_))));
}
