//! The app's `index.html` (Trunk's output) as the shell of every rendered page.
//!
//! [`Shell::parse`] reads it once with an HTML tokenizer: the assets move under the base path,
//! the run-time settings are written into their `<meta>` tags, the placeholder `<title>` and
//! `<noscript>` go, and the places for a page's head and body are marked. It also hashes the
//! inline scripts, for the Content-Security-Policy pages are served with.
//!
//! Every page arrives with its text, which needs no script: so the app's start is put off
//! until that text is painted ([`AppStart`]). Trunk's loader would fetch the wasm at once, in
//! parallel with the stylesheet the first paint waits for; on a slow phone network that
//! delays the text by the wasm's download.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use lol_html::html_content::ContentType;
use lol_html::{element, end_tag, text, HtmlRewriter, Settings};

use super::inline_hashes::InlineHashes;
use crate::config::SiteConfig;
use crate::head::html::escape;

/// Where a page's head goes.
const HEAD_MARK: &str = "<!--bp:head-->";
/// Where a page's body goes.
const BODY_MARK: &str = "<!--bp:body-->";

/// Why `index.html` cannot be a shell.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    /// The tokenizer failed.
    #[error("cannot read it as HTML: {0}")]
    Html(String),
    /// A part every page needs is missing.
    #[error("it has no {0}")]
    Missing(&'static str),
}

/// `index.html`, cut where each page's own parts go.
#[derive(Clone, Debug)]
pub struct Shell {
    /// Up to where the head tags go.
    before_head: String,
    /// From there to where the body's content goes.
    before_body: String,
    /// The rest of the page.
    after_body: String,
    /// The hashes of its inline scripts and styles.
    inline_hashes: InlineHashes,
}

/// The `<meta>` tags the app reads its run-time settings from (see [`crate::config`]).
pub fn settings_tags(config: &SiteConfig) -> String {
    [
        ("bp-base-path", config.base_path.as_str()),
        ("bp-api-base", config.api_base.as_str()),
        ("bp-api-write-base", config.api_write_base.as_str()),
        ("bp-site-url", config.site_url.as_str()),
    ]
    .iter()
    .map(|(name, value)| format!(r#"<meta name="{name}" content="{}">"#, escape(value)))
    .collect::<Vec<_>>()
    .join("\n    ")
}

/// `value` with each quoted asset path `"/F"` or `'/F'` (for `F` in `assets`) moved under
/// `base_path`.
fn rebase_quoted(value: &str, assets: &[String], base_path: &str) -> String {
    let mut value = value.to_owned();
    for asset in assets {
        for quote in ['"', '\''] {
            value = value.replace(
                &format!("{quote}/{asset}{quote}"),
                &format!("{quote}{base_path}/{asset}{quote}"),
            );
        }
    }
    value
}

/// How Trunk's loader starts the app: its script module and its wasm, found in the links it
/// preloads them with.
#[derive(Debug, Default)]
struct AppStart {
    /// The JS module's address, as Trunk wrote it.
    script: String,
    /// The JS module's Subresource Integrity digest, if Trunk gave one.
    script_integrity: Option<String>,
    /// The wasm's address, as Trunk wrote it.
    wasm: String,
    /// The wasm's Subresource Integrity digest, if Trunk gave one.
    wasm_integrity: Option<String>,
}

impl AppStart {
    /// The loader of `html`, if it is Trunk's: one inline module script, importing the module
    /// it preloads, and a preloaded wasm. Any other shell keeps its own scripts untouched.
    fn of(html: &str) -> Result<Option<Self>, ShellError> {
        let found = RefCell::new(AppStart::default());
        let module_scripts = Cell::new(0_usize);
        let handlers = Settings::new()
            .append_element_content_handler(element!("link[rel=modulepreload][href]", |el| {
                let mut found = found.borrow_mut();
                found.script = el.get_attribute("href").unwrap_or_default();
                found.script_integrity = el.get_attribute("integrity");
                Ok(())
            }))
            .append_element_content_handler(element!(
                "link[rel=preload][as=fetch][href$='.wasm']",
                |el| {
                    let mut found = found.borrow_mut();
                    found.wasm = el.get_attribute("href").unwrap_or_default();
                    found.wasm_integrity = el.get_attribute("integrity");
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("script[type=module]:not([src])", |_| {
                module_scripts.set(module_scripts.get() + 1);
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(handlers, |_: &[u8]| {});
        rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end())
            .map_err(|e| ShellError::Html(e.to_string()))?;
        let found = found.into_inner();
        let is_trunks = module_scripts.get() == 1
            && !found.script.is_empty()
            && !found.wasm.is_empty()
            && html.contains(&format!("'{}'", found.script));
        Ok(is_trunks.then_some(found))
    }

    /// The inline scripts that start the app once the page's text is painted: after `load`
    /// (the stylesheet is in), at the next frame, fetching the module and the wasm side by
    /// side; an import map gives the module's integrity digest, which a dynamic `import()`
    /// cannot carry itself. `rebase` gives an asset's address under the base path.
    fn deferred_scripts(&self, rebase: impl Fn(&str) -> String) -> String {
        let literal = |value: &str| serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into());
        let script = rebase(&self.script);
        let import_map = match &self.script_integrity {
            Some(digest) => format!(
                "<script type=\"importmap\">{{\"integrity\":{{{}:{}}}}}</script>",
                literal(&script),
                literal(digest)
            ),
            None => String::new(),
        };
        let fetch_options = match &self.wasm_integrity {
            Some(digest) => format!(", {{ integrity: {} }}", literal(digest)),
            None => String::new(),
        };
        format!(
            "{import_map}<script type=\"module\">\
const start = () => {{ const wasm = fetch({wasm}{fetch_options}); \
import({script}).then((app) => app.default({{ module_or_path: wasm }})); }};\
const afterPaint = () => requestAnimationFrame(() => setTimeout(start));\
if (document.readyState === \"complete\") afterPaint(); \
else addEventListener(\"load\", afterPaint, {{ once: true }});\
</script>",
            script = literal(&script),
            wasm = literal(&rebase(&self.wasm)),
        )
    }
}

/// `html` with its `<head>` start tag written out. HTML lets a document leave it out (Trunk's
/// release minifier does), and the tokenizer reports only the tags that are written.
fn with_head_start_tag(html: &str) -> Result<String, ShellError> {
    let rewrite = |settings: Settings<'_, '_>| -> Result<String, ShellError> {
        let mut output = Vec::with_capacity(html.len() + 8);
        let mut rewriter =
            HtmlRewriter::new(settings, |bytes: &[u8]| output.extend_from_slice(bytes));
        rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end())
            .map_err(|e| ShellError::Html(e.to_string()))?;
        String::from_utf8(output).map_err(|e| ShellError::Html(e.to_string()))
    };
    let has_head = Cell::new(false);
    rewrite(
        Settings::new().append_element_content_handler(element!("head", |_| {
            has_head.set(true);
            Ok(())
        })),
    )?;
    if has_head.get() {
        return Ok(html.to_owned());
    }
    rewrite(
        Settings::new().append_element_content_handler(element!("html", |el| {
            el.prepend("<head>", ContentType::Html);
            Ok(())
        })),
    )
}

impl Shell {
    /// Prepares Trunk's `index.html` for pages under `config`'s base path: attributes naming
    /// one of `assets` (`/F`) and quoted paths of them in inline scripts become `/news/F`.
    pub fn parse(html: &str, assets: &[String], config: &SiteConfig) -> Result<Self, ShellError> {
        if html.contains(HEAD_MARK) || html.contains(BODY_MARK) {
            return Err(ShellError::Html(
                "it already holds the renderer's marks".into(),
            ));
        }
        let html = with_head_start_tag(html)?;
        let html = html.as_str();
        let base = config.base_path.clone();
        let asset_paths: Vec<String> = assets.iter().map(|a| format!("/{a}")).collect();
        let rebase = |value: &str| {
            if !base.is_empty() && asset_paths.iter().any(|path| path == value) {
                format!("{base}{value}")
            } else {
                value.to_owned()
            }
        };
        let app_start = AppStart::of(html)?;
        let deferred_script = app_start
            .as_ref()
            .map(|start| start.deferred_scripts(rebase));
        let settings = settings_tags(config);
        let settings_written = Rc::new(Cell::new(false));
        let found_head = RefCell::new(false);
        let found_body = RefCell::new(false);
        let mut output = Vec::with_capacity(html.len() + 512);
        let settings_handlers = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("[href], [src]", |el| {
                for name in ["href", "src"] {
                    if let Some(value) = el.get_attribute(name) {
                        let rebased = rebase(&value);
                        if rebased != value {
                            el.set_attribute(name, &rebased)?;
                        }
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!(
                "script[type=module]:not([src]), link[rel=preload][as=fetch][href$='.wasm'], \
                 link[rel=modulepreload]",
                |el| {
                    if let Some(script) = &deferred_script {
                        if el.tag_name() == "script" {
                            el.replace(script, ContentType::Html);
                        } else {
                            el.remove();
                        }
                    }
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("meta[name^='bp-']", |el| {
                if settings_written.replace(true) {
                    el.remove();
                } else {
                    el.replace(&settings, ContentType::Html);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("title, noscript", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("head", |el| {
                found_head.replace(true);
                if let Some(handlers) = el.end_tag_handlers() {
                    let settings = settings.clone();
                    let settings_written = settings_written.clone();
                    handlers.push(end_tag!(move |end| {
                        if !settings_written.get() {
                            end.before(&settings, ContentType::Html);
                        }
                        end.before(HEAD_MARK, ContentType::Html);
                        Ok(())
                    }));
                }
                Ok(())
            }))
            .append_element_content_handler(element!("body", |el| {
                found_body.replace(true);
                el.set_inner_content(BODY_MARK, ContentType::Html);
                Ok(())
            }))
            .append_element_content_handler(text!("script:not([src])", |chunk| {
                let rebased = rebase_quoted(chunk.as_str(), assets, &base);
                if rebased != chunk.as_str() {
                    chunk.replace(&rebased, ContentType::Text);
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings_handlers, |bytes: &[u8]| {
            output.extend_from_slice(bytes)
        });
        rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end())
            .map_err(|e| ShellError::Html(e.to_string()))?;
        if !found_head.into_inner() {
            return Err(ShellError::Missing("<head>"));
        }
        if !found_body.into_inner() {
            return Err(ShellError::Missing("<body>"));
        }
        let output = String::from_utf8(output).map_err(|e| ShellError::Html(e.to_string()))?;
        let (before_head, rest) = output
            .split_once(HEAD_MARK)
            .ok_or(ShellError::Missing("</head>"))?;
        let (before_body, after_body) = rest
            .split_once(BODY_MARK)
            .ok_or(ShellError::Missing("<body>"))?;
        let inline_hashes = InlineHashes::of(&output);
        Ok(Self {
            before_head: before_head.to_owned(),
            before_body: before_body.to_owned(),
            after_body: after_body.to_owned(),
            inline_hashes,
        })
    }

    /// The whole page: `head` (tags, already escaped) at the end of `<head>`, `body` (the
    /// rendered app) as the content of `<body>`.
    pub fn page(&self, head: &str, body: &str) -> String {
        let mut page = String::with_capacity(
            self.before_head.len()
                + head.len()
                + self.before_body.len()
                + body.len()
                + self.after_body.len(),
        );
        page.push_str(&self.before_head);
        page.push_str(head);
        page.push_str(&self.before_body);
        page.push_str(body);
        page.push_str(&self.after_body);
        page
    }

    /// The hashes a Content-Security-Policy must allow for the shell's inline scripts and
    /// styles. A rendered page adds only data blocks (`application/json`,
    /// `application/ld+json`), which are not scripts a policy governs.
    pub fn inline_hashes(&self) -> &InlineHashes {
        &self.inline_hashes
    }

    /// The `'sha256-…'` sources for the shell's inline scripts.
    pub fn inline_script_hashes(&self) -> &[String] {
        &self.inline_hashes.scripts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::inline_hashes::csp_hash;

    const TRUNK: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="bp-api-base" content="" />
    <title>Budapest Post</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="modulepreload" href="/app-1.js" />
<script type="module">
import init from '/app-1.js';
await init({ module_or_path: '/app-1_bg.wasm' });
</script></head>
  <body>
    <noscript><p>Needs JavaScript.</p></noscript>
  </body>
</html>"#;

    fn assets() -> Vec<String> {
        ["favicon.svg", "app-1.js", "app-1_bg.wasm"]
            .map(String::from)
            .to_vec()
    }

    fn config(base_path: &str) -> SiteConfig {
        SiteConfig {
            base_path: base_path.into(),
            api_base: base_path.into(),
            api_write_base: "https://api.example".into(),
            site_url: String::new(),
        }
    }

    #[test]
    fn a_page_has_its_head_and_body_and_no_noscript() {
        let shell = Shell::parse(TRUNK, &assets(), &config("")).unwrap();
        let page = shell.page("<title>T</title>", "<main>M</main>");
        assert!(page.contains("<title>T</title></head>"), "{page}");
        assert_eq!(page.matches("<title>").count(), 1);
        assert!(!page.contains("noscript"));
        assert_eq!(page.matches(r#"name="bp-api-base""#).count(), 1);
        assert!(page.contains(r#"<meta name="bp-api-write-base" content="https://api.example">"#));
        assert!(page.contains("<body><main>M</main></body>"), "{page}");
        assert!(page.contains("'/app-1.js'"));
    }

    #[test]
    fn assets_move_under_the_base_path_and_the_script_hash_follows() {
        let root = Shell::parse(TRUNK, &assets(), &config("")).unwrap();
        let news = Shell::parse(TRUNK, &assets(), &config("/news")).unwrap();
        let page = news.page("", "");
        assert!(page.contains(r#"href="/news/favicon.svg""#));
        assert!(page.contains(r#"href="/news/app-1.js""#));
        assert!(page.contains("'/news/app-1.js'"));
        assert!(page.contains("'/news/app-1_bg.wasm'"));
        assert!(page.contains(r#"<meta name="bp-base-path" content="/news">"#));
        let module = "\nimport init from '/news/app-1.js';\nawait init({ module_or_path: '/news/app-1_bg.wasm' });\n";
        assert_eq!(news.inline_script_hashes(), [csp_hash(module)]);
        assert_ne!(root.inline_script_hashes(), news.inline_script_hashes());
    }

    #[test]
    fn settings_are_added_when_the_shell_has_none() {
        let html = "<html><head><script src=/a.js></script></head><body></body></html>";
        let shell = Shell::parse(html, &[], &config("")).unwrap();
        assert!(shell
            .page("", "")
            .contains(r#"<meta name="bp-base-path" content="">"#));
        assert!(
            shell.inline_script_hashes().is_empty(),
            "external scripts are not hashed"
        );
    }

    #[test]
    fn a_minified_shell_without_the_head_start_tag_is_read_alike() {
        // Trunk's release build, minified: no `<head>` start tag, unquoted attributes.
        let minified =
            "<!doctype html><html lang=en-GB><meta charset=utf-8><meta name=bp-api-base>\
            <title>Budapest Post</title><link href=/favicon.svg rel=icon><script type=module>\
            import init from '/app-1.js';</script></head><body></body></html>";
        let shell = Shell::parse(minified, &assets(), &config("/news")).unwrap();
        let page = shell.page("<title>T</title>", "<main>M</main>");
        assert!(
            page.contains("<html lang=en-GB><head><meta charset=utf-8>"),
            "{page}"
        );
        assert!(
            page.contains("<title>T</title></head><body><main>M</main></body>"),
            "{page}"
        );
        assert!(page.contains(r#"href="/news/favicon.svg""#), "{page}");
        assert_eq!(page.matches("<title>").count(), 1);
        assert_eq!(page.matches(r#"name="bp-api-base""#).count(), 1);
    }

    /// Trunk's release output, as it writes it: the loader, then the preloads.
    const TRUNK_RELEASE: &str = "<!doctype html><html lang=en-GB><meta charset=utf-8>\
        <title>Budapest Post</title><script type=module>import init, * as bindings from '/app-1.js';\n\
        const wasm = await init({ module_or_path: '/app-1_bg.wasm' });</script>\
        <link crossorigin href=/app-1.js integrity=sha384-js rel=modulepreload>\
        <link as=fetch crossorigin href=/app-1_bg.wasm integrity=sha384-wasm rel=preload \
        type=application/wasm></head><body></body></html>";

    #[test]
    fn the_app_starts_after_the_text_is_painted_and_the_wasm_is_not_preloaded() {
        let shell = Shell::parse(TRUNK_RELEASE, &assets(), &config("/news")).unwrap();
        let page = shell.page("", "<main>M</main>");
        assert!(
            !page.contains("preload"),
            "nothing is fetched before the text: {page}"
        );
        assert!(
            !page.contains("import init"),
            "Trunk's eager loader is gone: {page}"
        );
        assert!(page.contains(r#"import("/news/app-1.js")"#), "{page}");
        assert!(
            page.contains(
                r#"<script type="importmap">{"integrity":{"/news/app-1.js":"sha384-js"}}</script>"#
            ),
            "{page}"
        );
        assert!(
            page.contains(r#"fetch("/news/app-1_bg.wasm", { integrity: "sha384-wasm" })"#),
            "{page}"
        );
        assert!(page.contains(r#"addEventListener("load""#), "{page}");
        assert_eq!(page.matches("<script").count(), 2);
        let inline = |start: &str| {
            page.split_once(start)
                .and_then(|(_, rest)| rest.split_once("</script>"))
                .map(|(text, _)| csp_hash(text))
                .unwrap()
        };
        assert_eq!(
            shell.inline_script_hashes(),
            [
                inline("<script type=\"importmap\">"),
                inline("<script type=\"module\">")
            ]
        );
    }

    #[test]
    fn a_shell_whose_loader_is_not_trunks_keeps_its_scripts() {
        let shell = Shell::parse(TRUNK, &assets(), &config("")).unwrap();
        assert!(shell.page("", "").contains("import init from '/app-1.js';"));
    }

    #[test]
    fn a_page_without_head_or_body_is_refused() {
        assert!(Shell::parse("", &[], &config("")).is_err());
        assert!(Shell::parse("<p>hello", &[], &config("")).is_err());
    }
}
