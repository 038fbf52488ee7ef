//! Pages written as one piece of HTML when they open, whose parts are written again only when what
//! they show changes: one `innerHTML` for a whole page instead of an element, text and listener
//! per piece of a view (docs/PERFORMANCE.md). Every text from data is escaped by the page's HTML
//! functions; the page listens once per kind of event on its root.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{FeedbackLine, notice_html};

/// The parts of a page written as HTML, found under its root element.
#[derive(Clone, Copy)]
pub struct Parts {
    root: NodeRef<leptos::html::Div>,
}

impl Parts {
    /// The parts under `root` (the element the page's HTML is written into).
    pub fn new(root: NodeRef<leptos::html::Div>) -> Self {
        Parts { root }
    }

    /// The part `name` (the element with `data-part="name"`), showing `html`.
    pub fn part(
        self,
        name: &str,
        html: impl Fn() -> String + Send + Sync + 'static,
    ) -> Memo<String> {
        let html = Memo::new(move |_| html());
        self.follow(format!("[data-part=\"{name}\"]"), html);
        html
    }

    /// The notice of the feedback line with `id` (see `feedback_html`), as it changes.
    pub fn feedback(self, id: &str, line: FeedbackLine) -> Memo<String> {
        let html = Memo::new(move |_| line.with(notice_html));
        self.follow(format!("#{id}"), html);
        html
    }

    /// The page's element matching `selector`, once the page is written.
    pub fn find(self, selector: &str) -> Option<web_sys::Element> {
        self.root
            .get_untracked()
            .and_then(|root| root.query_selector(selector).ok().flatten())
    }

    /// Writes `html` into the page's element matching `selector` whenever it changes, while the
    /// element is there (the page is written with the HTML as it is at first).
    fn follow(self, selector: String, html: Memo<String>) {
        follow(move || self.find(&selector), html);
    }
}

/// Writes `html` into the element `find` answers whenever it changes, while there is one (the
/// element is written with the HTML as it is at first). A control focused in the element keeps
/// the focus: the one with the same test id gets it back.
pub fn follow(find: impl Fn() -> Option<web_sys::Element> + 'static, html: Memo<String>) {
    let mut written = html.get_untracked();
    Effect::new(move |_| {
        html.with(|html| {
            if written == *html {
                return;
            }
            html.clone_into(&mut written);
            if let Some(element) = find() {
                rewrite(&element, html);
            }
        });
    });
}

/// Writes `html` into `element`; a control focused in it is focused again after.
pub fn rewrite(element: &web_sys::Element, html: &str) {
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .filter(|active| element.contains(Some(active)))
        .and_then(|active| active.get_attribute("data-testid"));
    element.set_inner_html(html);
    if let Some(control) = focused
        .and_then(|id| {
            element
                .query_selector(&format!("[data-testid=\"{id}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = control.focus();
    }
}

/// The element an event happened on.
pub fn target(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// The button with a test id an event happened in, if any.
pub fn clicked_button(ev: &web_sys::Event) -> Option<web_sys::Element> {
    target(ev).and_then(|e| e.closest("button[data-testid]").ok().flatten())
}

/// The test id of the button an event happened in, if any.
pub fn button_testid(ev: &web_sys::Event) -> Option<String> {
    clicked_button(ev).and_then(|button| button.get_attribute("data-testid"))
}
