use domain::money::grouped;
use leptos::prelude::*;

use super::parts::{button_testid, follow};

/// Previous / next paging with the position, for a list of `total` items (the markup of
/// `pager_html`, written again when the page changes; the button used keeps the focus).
#[component]
pub fn Pager(
    /// The page shown (1-based).
    page: Signal<usize>,
    /// How many pages there are.
    page_count: Signal<usize>,
    /// How many items match.
    total: Signal<usize>,
    /// What the items are called (`customers`).
    noun: &'static str,
    /// Goes to a page.
    on_page: Callback<usize>,
) -> impl IntoView {
    let html = Memo::new(move |_| pager_html(page.get(), page_count.get(), total.get(), noun));
    let root = NodeRef::<leptos::html::Div>::new();
    follow(move || root.get_untracked().map(Into::into), html);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(next) = button_testid(&ev).and_then(|id| page_asked(&id, page.get_untracked()))
        {
            on_page.run(next);
        }
    };
    view! { <div node_ref=root inner_html=html.get_untracked() on:click=on_click></div> }
}

/// The pager of a list on `page` of `page_count`, with `total` items called `noun` (HTML).
pub fn pager_html(page: usize, page_count: usize, total: usize, noun: &str) -> String {
    let disabled = |off: bool| if off { " disabled" } else { "" };
    format!(
        "<nav class=\"pager\" aria-label=\"Pages\">\
         <button type=\"button\" data-testid=\"page-previous\"{}>‹ Previous</button>\
         <span class=\"pager__position\" data-testid=\"page-position\">Page {} of {} · {} {noun}</span>\
         <button type=\"button\" data-testid=\"page-next\"{}>Next ›</button></nav>",
        disabled(page <= 1),
        grouped(page as u64),
        grouped(page_count as u64),
        grouped(total as u64),
        disabled(page >= page_count),
    )
}

/// The page the pager's button with test id `testid` asks for, from `page`.
pub fn page_asked(testid: &str, page: usize) -> Option<usize> {
    match testid {
        "page-previous" => Some(page.saturating_sub(1).max(1)),
        "page-next" => Some(page + 1),
        _ => None,
    }
}
