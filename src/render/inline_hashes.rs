//! The hashes of a page's inline `<script>` and `<style>` elements, which a
//! Content-Security-Policy allows by name: read with a real HTML tokenizer (`lol_html`), so a
//! short, truncated or unusual page cannot trip it up.

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine as _;
use lol_html::html_content::{Element, TextChunk};
use lol_html::{element, end_tag, text, HtmlRewriter, Settings};
use sha2::{Digest, Sha256};

/// The hashes of the inline `<script>` and `<style>` elements of an HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InlineHashes {
    /// `'sha256-…'` of each inline script.
    pub scripts: Vec<String>,
    /// `'sha256-…'` of each inline style element.
    pub styles: Vec<String>,
}

/// A Content-Security-Policy source allowing exactly `content`.
pub fn csp_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Which kind of inline element a piece of content belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Script,
    Style,
}

/// A `<script>` or `<style>` element met by the tokenizer.
struct Found {
    kind: Kind,
    /// A script that loads its code from `src` runs no inline code, so it needs no hash.
    external: bool,
    /// Its raw text, as the browser hashes it.
    text: String,
    /// Whether its end tag was reached: the browser runs no script cut off by the end of the
    /// page.
    closed: bool,
}

/// Every `<script>` and `<style>` element of `html`, in document order, as an HTML tokenizer
/// sees them. A page the tokenizer gives up on yields the elements found before that point.
fn inline_elements(html: &str) -> Vec<Found> {
    let found = Rc::new(RefCell::new(Vec::<Found>::new()));
    let on_element = {
        let found = found.clone();
        move |element: &mut Element| {
            let kind = if element.tag_name().eq_ignore_ascii_case("script") {
                Kind::Script
            } else {
                Kind::Style
            };
            let index = {
                let mut found = found.borrow_mut();
                found.push(Found {
                    kind,
                    external: kind == Kind::Script && element.has_attribute("src"),
                    text: String::new(),
                    closed: false,
                });
                found.len() - 1
            };
            if let Some(handlers) = element.end_tag_handlers() {
                let found = found.clone();
                handlers.push(end_tag!(move |_| {
                    if let Some(element) = found.borrow_mut().get_mut(index) {
                        element.closed = true;
                    }
                    Ok(())
                }));
            }
            Ok(())
        }
    };
    let on_text = {
        let found = found.clone();
        move |chunk: &mut TextChunk| {
            if let Some(element) = found.borrow_mut().last_mut() {
                element.text.push_str(chunk.as_str());
            }
            Ok(())
        }
    };
    let settings = Settings::new()
        // Not strict: a page the tokenizer cannot classify with certainty is still read, the
        // way a browser would read it, rather than refused.
        .with_strict(false)
        .append_element_content_handler(element!("script, style", on_element))
        .append_element_content_handler(text!("script, style", on_text));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let outcome = rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end());
    if let Err(error) = outcome {
        leptos::logging::warn!("a page could not be read to its end ({error}); its later inline scripts are not allowed");
    }
    found.take()
}

impl InlineHashes {
    /// The inline scripts and styles of `html`.
    pub fn of(html: &str) -> Self {
        let mut hashes = Self::default();
        for element in inline_elements(html) {
            if !element.closed || element.external {
                continue;
            }
            let hash = csp_hash(&element.text);
            match element.kind {
                Kind::Script => hashes.scripts.push(hash),
                Kind::Style => hashes.styles.push(hash),
            }
        }
        hashes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MODULE: &str = "\nimport init from '/app-0123456789abcdef.js';\nawait init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });\n";

    fn trunk_page() -> String {
        format!(
            r#"<html><head>
<link rel="modulepreload" href="/app-0123456789abcdef.js" integrity="sha384-x">
<script src="/external.js"></script>
<SCRIPT type="module">{MODULE}</SCRIPT>
<style>body{{margin:0}}</style>
</head><body><scripted>not a script</scripted></body></html>"#
        )
    }

    #[test]
    fn inline_scripts_and_styles_are_hashed() {
        let hashes = InlineHashes::of(&trunk_page());
        assert_eq!(hashes.scripts, vec![csp_hash(MODULE)]);
        assert_eq!(hashes.styles, vec![csp_hash("body{margin:0}")]);
    }

    #[test]
    fn known_hash() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn scripts_with_a_src_attribute_run_no_inline_code() {
        let of = |html: &str| InlineHashes::of(html).scripts.len();
        assert_eq!(of(r#"<script src="/a.js"></script>"#), 0);
        assert_eq!(of("<script type=module src=/a.js></script>"), 0);
        assert_eq!(of("<script SRC='/a.js'>x</script>"), 0);
        assert_eq!(of(r#"<script type="module" data-x="src=1">x</script>"#), 1);
        assert_eq!(of("<script data-src-map>x</script>"), 1);
    }

    #[test]
    fn markup_inside_a_script_is_its_text() {
        let html = "<script>if (a < b) { document.write('<style>x</style>'); }</script>";
        let hashes = InlineHashes::of(html);
        assert_eq!(
            hashes.scripts,
            vec![csp_hash(
                "if (a < b) { document.write('<style>x</style>'); }"
            )]
        );
        assert!(hashes.styles.is_empty());
    }

    #[test]
    fn short_truncated_and_unusual_pages() {
        for html in [
            "",
            "<",
            "<s",
            "<script",
            "<script>",
            "<script>alert(1)",
            "<script>alert(1)</scr",
            "<script é>x</script>",
            "<script data-é=\"src\">é</script>",
            "<scriptä>",
            "\u{0}<script>\u{0}</script>",
            "<style>é",
        ] {
            let hashes = InlineHashes::of(html);
            assert!(
                hashes.scripts.len() <= 1 && hashes.styles.is_empty(),
                "{html:?}"
            );
        }
        // A script cut off by the end of the page never runs, so it is not allowed.
        assert!(InlineHashes::of("<script>alert(1)").scripts.is_empty());
        assert_eq!(
            InlineHashes::of("<script data-é=\"src\">é</script>").scripts,
            vec![csp_hash("é")]
        );
    }

    /// `page` with `insert` placed at the char boundary nearest `at` (a fraction of its length).
    fn insert_at(page: &str, at: f64, insert: &str) -> String {
        let mut index = ((page.len() as f64) * at) as usize;
        while !page.is_char_boundary(index) {
            index -= 1;
        }
        let (head, tail) = page.split_at(index);
        format!("{head}{insert}{tail}")
    }

    proptest! {
        #[test]
        fn any_text_is_read_without_panicking(html in any::<String>()) {
            let hashes = InlineHashes::of(&html);
            prop_assert!(hashes.scripts.len() + hashes.styles.len() <= html.len());
        }

        #[test]
        fn tag_soup_is_read_without_panicking(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("<script".to_owned()), Just("</script".to_owned()),
                    Just("<style".to_owned()), Just("</STYLE".to_owned()),
                    Just(" src".to_owned()), Just("=".to_owned()), Just(">".to_owned()),
                    Just("\"".to_owned()), Just("'".to_owned()), Just("<!--".to_owned()),
                    Just("-->".to_owned()), Just("<svg>".to_owned()), Just("<![CDATA[".to_owned()),
                    "\\PC{0,4}",
                ],
                0..40,
            )
        ) {
            InlineHashes::of(&parts.concat());
        }

        #[test]
        fn a_truncated_trunk_page_is_read_without_panicking(cut in 0.0..=1.0f64) {
            let page = trunk_page();
            let mut end = ((page.len() as f64) * cut) as usize;
            while !page.is_char_boundary(end) {
                end -= 1;
            }
            let hashes = InlineHashes::of(&page[..end]);
            // Whatever is allowed is an element of the whole page.
            let whole = InlineHashes::of(&page);
            prop_assert!(hashes.scripts.iter().all(|h| whole.scripts.contains(h)));
            prop_assert!(hashes.styles.iter().all(|h| whole.styles.contains(h)));
        }

        #[test]
        fn non_ascii_anywhere_in_the_trunk_page_does_not_panic(
            at in 0.0..=1.0f64,
            insert in "[éő€😀\u{0}\u{202e}\u{feff}]{1,3}",
            cut in 0.5..=1.0f64,
        ) {
            let page = insert_at(&trunk_page(), at, &insert);
            let mut end = ((page.len() as f64) * cut) as usize;
            while !page.is_char_boundary(end) {
                end -= 1;
            }
            InlineHashes::of(&page[..end]);
        }

        #[test]
        fn text_around_the_elements_does_not_change_their_hashes(
            before in "[^<]{0,40}",
            after in "\\PC{0,40}",
        ) {
            let page = trunk_page().replace("<html>", &format!("<html>{before}"))
                + &after;
            let hashes = InlineHashes::of(&page);
            prop_assert_eq!(hashes.scripts, vec![csp_hash(MODULE)]);
            prop_assert_eq!(hashes.styles, vec![csp_hash("body{margin:0}")]);
        }
    }
}
