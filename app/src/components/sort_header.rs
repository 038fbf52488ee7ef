use domain::SortDirection;
use leptos::prelude::*;

/// A column of a list's header.
pub struct Column {
    /// Its heading.
    label: &'static str,
    /// The test id of its sort button; `None` for a column that does not sort.
    sort: Option<&'static str>,
    /// Right-aligned, for a column of numbers.
    numeric: bool,
}

impl Column {
    /// A column that does not sort.
    pub const fn plain(label: &'static str) -> Self {
        Column {
            label,
            sort: None,
            numeric: false,
        }
    }

    /// A column whose button, with test id `testid`, sorts the list.
    pub const fn sorts(label: &'static str, testid: &'static str) -> Self {
        Column {
            label,
            sort: Some(testid),
            numeric: false,
        }
    }

    /// The column, right-aligned.
    pub const fn numeric(self) -> Self {
        Column {
            numeric: true,
            ..self
        }
    }
}

/// A list's header row. A sortable column's button sorts the list by it, and again reverses it
/// (`on_sort` gets the button's test id); `aria-sort` and the arrow tell which column sorts the
/// list now and which way (`sorted`: the test id and the direction).
#[component]
pub fn SortableHead(
    columns: &'static [Column],
    #[prop(into)] sorted: Signal<Option<(&'static str, SortDirection)>>,
    on_sort: Callback<&'static str>,
) -> impl IntoView {
    let cells = columns
        .iter()
        .map(|column| {
            let class = column.numeric.then_some("num");
            match column.sort {
                None => view! { <th scope="col" class=class>{column.label}</th> }.into_any(),
                Some(id) => {
                    let state = move || match sorted.get() {
                        Some((by, SortDirection::Ascending)) if by == id => ("ascending", " ▲"),
                        Some((by, SortDirection::Descending)) if by == id => ("descending", " ▼"),
                        _ => ("none", ""),
                    };
                    view! {
                        <th scope="col" class=class aria-sort=move || state().0>
                            <button type="button" class="sort-button" data-testid=id on:click=move |_| on_sort.run(id)>
                                {column.label}<span aria-hidden="true">{move || state().1}</span>
                            </button>
                        </th>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    view! { <thead><tr>{cells}</tr></thead> }
}
