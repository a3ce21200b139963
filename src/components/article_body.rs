//! An article's body, block by block. Everything is rendered as text, never as markup.

use budapest_post_contract::{Block, ExplainerItem, Inline};
use leptos::prelude::*;

/// The body blocks in order.
#[component]
pub fn ArticleBody(blocks: Vec<Block>) -> impl IntoView {
    view! {
        <div class="article-body" data-testid="article-body">
            {blocks.into_iter().enumerate().map(|(index, block)| render_block(index, block)).collect_view()}
        </div>
    }
}

fn render_block(index: usize, block: Block) -> AnyView {
    match block {
        Block::Paragraph { text, inlines } if inlines.is_empty() => {
            view! { <p>{text}</p> }.into_any()
        }
        Block::Paragraph { inlines, .. } => {
            view! { <p>{inlines.into_iter().map(render_inline).collect_view()}</p> }.into_any()
        }
        Block::Explainer { title, items } => view! { <Explainer index title items /> }.into_any(),
        Block::Image {
            src,
            alt,
            caption,
            credit,
            width,
            height,
        } => view! {
            <figure class="figure">
                <img src=src alt=alt width=width height=height loading="lazy" decoding="async" />
                {(caption.is_some() || credit.is_some()).then(|| view! {
                    <figcaption>
                        {caption}
                        {credit.map(|c| view! { " " <span class="figure__credit">{c}</span> })}
                    </figcaption>
                })}
            </figure>
        }
        .into_any(),
        Block::Quote { text, attribution } => view! {
            <blockquote class="pull-quote">
                <p>{text}</p>
                {attribution.map(|who| view! { <footer>{who}</footer> })}
            </blockquote>
        }
        .into_any(),
    }
}

fn render_inline(inline: Inline) -> AnyView {
    match inline {
        Inline::Text { text } => text.into_any(),
        Inline::Emphasis { text } => view! { <em>{text}</em> }.into_any(),
        Inline::Strong { text } => view! { <strong>{text}</strong> }.into_any(),
    }
}

/// A box inside the body that explains the background: a heading and items, each with a
/// bold lead-in.
#[component]
pub fn Explainer(
    /// Position in the body, to give the heading a unique id.
    index: usize,
    /// The box's heading.
    title: String,
    items: Vec<ExplainerItem>,
) -> impl IntoView {
    let heading_id = format!("explainer-{index}");
    let labelled_by = heading_id.clone();
    view! {
        <aside class="explainer" aria-labelledby=labelled_by>
            <h2 id=heading_id class="explainer__title">{title}</h2>
            <ul class="explainer__items">
                {items
                    .into_iter()
                    .map(|item| view! { <li><strong>{item.lead}</strong>" "{item.text}</li> })
                    .collect_view()}
            </ul>
        </aside>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn mount(blocks: Vec<Block>) -> web_sys::HtmlElement {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let handle =
            leptos::mount::mount_to(host.clone(), move || view! { <ArticleBody blocks /> });
        handle.forget();
        host
    }

    use wasm_bindgen::JsCast;

    #[wasm_bindgen_test]
    fn renders_paragraphs_and_the_explainer_in_order() {
        let host = mount(vec![
            Block::Paragraph {
                text: "First.".into(),
                inlines: vec![],
            },
            Block::Explainer {
                title: "Understand".into(),
                items: vec![ExplainerItem {
                    lead: "Ominous warnings.".into(),
                    text: "Rest.".into(),
                }],
            },
            Block::Paragraph {
                text: "Last.".into(),
                inlines: vec![],
            },
        ]);
        let children = host.query_selector_all(".article-body > *").unwrap();
        assert_eq!(children.length(), 3);
        let lead = host
            .query_selector(".explainer li strong")
            .unwrap()
            .unwrap();
        assert_eq!(lead.text_content().unwrap(), "Ominous warnings.");
        let heading = host.query_selector(".explainer h2").unwrap().unwrap();
        let aside = host.query_selector("aside").unwrap().unwrap();
        assert_eq!(aside.get_attribute("aria-labelledby"), Some(heading.id()));
    }

    #[wasm_bindgen_test]
    fn markup_in_text_stays_text() {
        let host = mount(vec![Block::Paragraph {
            text: "<img src=x onerror=alert(1)> & <b>bold</b>".into(),
            inlines: vec![],
        }]);
        assert!(host.query_selector("img").unwrap().is_none());
        assert!(host.query_selector("b").unwrap().is_none());
        let p = host.query_selector("p").unwrap().unwrap();
        assert_eq!(
            p.text_content().unwrap(),
            "<img src=x onerror=alert(1)> & <b>bold</b>"
        );
    }

    #[wasm_bindgen_test]
    fn images_carry_caption_and_credit() {
        let host = mount(vec![Block::Image {
            src: "/a.jpg".into(),
            alt: "A bridge".into(),
            caption: Some("The Chain Bridge.".into()),
            credit: Some("Photo: Reader".into()),
            width: Some(800),
            height: Some(600),
        }]);
        let img = host.query_selector("figure img").unwrap().unwrap();
        assert_eq!(img.get_attribute("alt").as_deref(), Some("A bridge"));
        assert_eq!(img.get_attribute("width").as_deref(), Some("800"));
        let caption = host.query_selector("figcaption").unwrap().unwrap();
        assert!(caption.text_content().unwrap().contains("Photo: Reader"));
    }
}
