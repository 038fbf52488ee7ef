use domain::SortDirection;
use leptos::prelude::*;

/// A column header that sorts its list: the button sorts by the column, and again reverses it;
/// `aria-sort` and the arrow tell which way it is sorted now.
#[component]
pub fn SortHeader(
    label: &'static str,
    testid: &'static str,
    /// How the list is sorted by this column, if it is.
    #[prop(into)]
    sorted: Signal<Option<SortDirection>>,
    on_sort: Callback<()>,
    /// Right-aligned, for a column of numbers.
    #[prop(optional)]
    numeric: bool,
) -> impl IntoView {
    view! {
        <th scope="col" class:num=numeric aria-sort=move || match sorted.get() {
            None => "none",
            Some(SortDirection::Ascending) => "ascending",
            Some(SortDirection::Descending) => "descending",
        }>
            <button type="button" class="sort-button" data-testid=testid on:click=move |_| on_sort.run(())>
                {label}
                <span aria-hidden="true">
                    {move || match sorted.get() {
                        None => "",
                        Some(SortDirection::Ascending) => " ▲",
                        Some(SortDirection::Descending) => " ▼",
                    }}
                </span>
            </button>
        </th>
    }
}
