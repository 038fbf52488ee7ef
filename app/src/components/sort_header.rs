use std::fmt::Write;

use domain::SortDirection;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::button_testid;

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
///
/// The row is written once as HTML with one click listener; when the sort changes, only the
/// columns' `aria-sort` and arrows are updated, so the button that was used keeps the focus.
#[component]
pub fn SortableHead(
    columns: &'static [Column],
    #[prop(into)] sorted: Signal<Option<(&'static str, SortDirection)>>,
    on_sort: Callback<&'static str>,
) -> impl IntoView {
    let head = NodeRef::<leptos::html::Thead>::new();
    Effect::new(move |first_run: Option<()>| {
        let sorted = sorted.get();
        // The first state is in the HTML already.
        if let Some(head) = head.get().filter(|_| first_run.is_some()) {
            show_sorted(&head, sorted);
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(column) = button_testid(&ev).and_then(|id| column_asked(&id, columns)) {
            on_sort.run(column);
        }
    };
    let html = head_html(columns, sorted.get_untracked());
    view! { <thead node_ref=head inner_html=html on:click=on_click></thead> }
}

/// Shows in the header row under `head` which column sorts the list and which way.
pub fn show_sorted(head: &web_sys::Element, sorted: Option<(&'static str, SortDirection)>) {
    let Ok(cells) = head.query_selector_all("th[data-sort]") else {
        return;
    };
    for cell in (0..cells.length()).filter_map(|i| cells.get(i)) {
        let Ok(cell) = cell.dyn_into::<web_sys::Element>() else {
            continue;
        };
        let (state, arrow) = column_state(sorted, cell.get_attribute("data-sort").as_deref());
        let _ = cell.set_attribute("aria-sort", state);
        if let Ok(Some(span)) = cell.query_selector("span[aria-hidden]") {
            span.set_text_content(Some(arrow));
        }
    }
}

/// The column of `columns` whose sort button has test id `testid`.
pub fn column_asked(testid: &str, columns: &[Column]) -> Option<&'static str> {
    columns.iter().find_map(|c| c.sort.filter(|s| *s == testid))
}

/// `aria-sort` and the arrow of the column whose sort button is `column`.
fn column_state(
    sorted: Option<(&'static str, SortDirection)>,
    column: Option<&str>,
) -> (&'static str, &'static str) {
    match sorted {
        Some((by, SortDirection::Ascending)) if Some(by) == column => ("ascending", " ▲"),
        Some((by, SortDirection::Descending)) if Some(by) == column => ("descending", " ▼"),
        _ => ("none", ""),
    }
}

/// The header row (HTML).
pub fn head_html(columns: &[Column], sorted: Option<(&'static str, SortDirection)>) -> String {
    let mut html = String::from("<tr>");
    for column in columns {
        let class = if column.numeric { " class=\"num\"" } else { "" };
        match column.sort {
            None => {
                let _ = write!(html, "<th scope=\"col\"{class}>{}</th>", column.label);
            }
            Some(id) => {
                let (state, arrow) = column_state(sorted, Some(id));
                let _ = write!(
                    html,
                    "<th scope=\"col\"{class} data-sort=\"{id}\" aria-sort=\"{state}\">\
                     <button type=\"button\" class=\"sort-button\" data-testid=\"{id}\">{}\
                     <span aria-hidden=\"true\">{arrow}</span></button></th>",
                    column.label
                );
            }
        }
    }
    html.push_str("</tr>");
    html
}
