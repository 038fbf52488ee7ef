use leptos::prelude::*;

use crate::shell::PRODUCT_NAME;

/// The document's title for the page shown ("Contoso Ltd · Subscriptions — Marketplace
/// Console"), so a tab, the browser's history and a screen reader name the page.
#[component]
pub fn PageTitle(
    /// What the page is, most specific first.
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    Effect::new(move |_| {
        let text = format!("{} — {PRODUCT_NAME}", title.get());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&text);
        }
    });
}
