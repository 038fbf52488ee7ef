//! One module per page of the console.

pub mod activity;
pub mod billing;
pub mod customers;
pub mod not_found;
pub mod order;
pub mod publisher;
pub mod purchase;
pub mod renewals;
pub mod settings;
pub mod subscription_detail;
pub mod subscriptions;

use domain::{CustomerId, SortDirection, SubscriptionId};
use leptos::prelude::*;

use crate::router::use_location;
use crate::source::Fetched;

/// Whether a page's read was refused because what it names does not exist (404), tracked.
pub fn not_found<R: domain::Read>(fetched: &Fetched<R>) -> bool {
    fetched.failure().is_some_and(|r| r.code == Some(404))
}

/// `path?k=v&…` with the non-empty values encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(v))))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The search, sort and page of a list as they are kept in its URL: `q`, `sort` (empty for the
/// default column), `dir` (`desc` or empty) and `page` (empty for the first).
pub fn list_query(
    text: String,
    sort: &str,
    direction: SortDirection,
    page: usize,
) -> [(&'static str, String); 4] {
    [
        ("q", text),
        ("sort", sort.to_owned()),
        (
            "dir",
            if direction == SortDirection::Descending {
                "desc".into()
            } else {
                String::new()
            },
        ),
        (
            "page",
            if page > 1 {
                page.to_string()
            } else {
                String::new()
            },
        ),
    ]
}

/// The direction of the URL's `dir`.
pub fn direction_from(text: &str) -> SortDirection {
    if text == "desc" {
        SortDirection::Descending
    } else {
        SortDirection::Ascending
    }
}

/// Sorting by a column: ascending first, reversed when it is already the ascending column.
pub fn next_direction(same_column: bool, current: SortDirection) -> SortDirection {
    if same_column && current == SortDirection::Ascending {
        SortDirection::Descending
    } else {
        SortDirection::Ascending
    }
}

/// A query parameter of the URL, tracked.
pub fn query_param(name: &'static str) -> Memo<String> {
    let location = use_location();
    Memo::new(move |_| location.query_value(name))
}

/// A route parameter, tracked.
pub fn route_param(name: &'static str) -> Memo<String> {
    let matched = use_location().matched();
    Memo::new(move |_| matched.with(|m| m.param(name)))
}

/// The customer id of the route, when it is one.
pub fn customer_param() -> Memo<Option<CustomerId>> {
    let raw = route_param("customer_id");
    Memo::new(move |_| CustomerId::parse(&raw.get()).ok())
}

/// The subscription id of the route, when it is one.
pub fn subscription_param() -> Memo<Option<SubscriptionId>> {
    let raw = route_param("subscription_id");
    Memo::new(move |_| SubscriptionId::parse(&raw.get()).ok())
}

/// A function that goes to a URL of the console; with `replace` it keeps the history entry
/// (typing in a search box). Made while the page is set up, called from event handlers.
pub fn navigator() -> impl Fn(&str, bool) + Clone + Send + Sync + 'static {
    let location = use_location();
    move |url: &str, replace: bool| location.go(url, replace)
}

/// The page shown for an id that names nothing.
#[component]
pub fn Missing(what: &'static str, #[prop(into)] id: String) -> impl IntoView {
    view! {
        <section class="empty-state" data-testid="not-found">
            <h1>{format!("{what} not found")}</h1>
            <p>{format!("No {} has the id \u{201c}{id}\u{201d}. It may have been typed wrong, or belong to another partner.", what.to_lowercase())}</p>
            <p><a href="/customers">"Go to Customers"</a></p>
        </section>
    }
}
