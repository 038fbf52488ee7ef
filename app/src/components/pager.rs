use domain::money::grouped;
use leptos::prelude::*;

/// Previous / next paging with the position, for a list of `total` items.
#[component]
pub fn Pager(
    /// The page shown (1-based).
    #[prop(into)]
    page: Signal<usize>,
    /// How many pages there are.
    #[prop(into)]
    page_count: Signal<usize>,
    /// How many items match.
    #[prop(into)]
    total: Signal<usize>,
    /// What the items are called (`customers`).
    noun: &'static str,
    /// Goes to a page.
    on_page: Callback<usize>,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" data-testid="page-previous" disabled=move || { page.get() <= 1 }
                on:click=move |_| on_page.run(page.get_untracked().saturating_sub(1).max(1))>"‹ Previous"</button>
            <span class="pager__position" data-testid="page-position">
                {move || format!("Page {} of {} · {} {noun}", grouped(page.get() as u64), grouped(page_count.get() as u64), grouped(total.get() as u64))}
            </span>
            <button type="button" data-testid="page-next" disabled=move || { page.get() >= page_count.get() }
                on:click=move |_| on_page.run(page.get_untracked() + 1)>"Next ›"</button>
        </nav>
    }
}
