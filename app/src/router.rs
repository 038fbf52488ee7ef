//! The console's addresses: which page a path shows, its parameters and query, and moving between
//! pages through the browser's history without reloading.
//!
//! Links are plain `<a href>` elements: one click listener on the window follows those that stay in
//! the console, so every page, search, sort and filter keeps a shareable address, and the browser's
//! back and forward buttons work.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The pages of the console, each with the address it is found at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/` and `/customers`
    Customers,
    /// `/customers/:customer_id/subscriptions`
    Subscriptions,
    /// `/customers/:customer_id/subscriptions/:subscription_id`
    Subscription,
    /// `/customers/:customer_id/purchase`
    Purchase,
    /// `/customers/:customer_id/orders/:order_id`
    Order,
    /// `/publisher/:publisher_id/landing`
    Publisher,
    /// `/renewals`
    Renewals,
    /// `/billing`
    Billing,
    /// `/activity`
    Activity,
    /// `/settings`
    Settings,
    /// Any other address.
    NotFound,
}

/// The page a path shows, with the path's parameters (named as in the addresses above).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    pub page: Page,
    params: Vec<(&'static str, String)>,
}

impl Matched {
    /// Which page `path` shows. Parameters are kept as typed (decoded); the pages say when one
    /// names nothing.
    pub fn of(path: &str) -> Matched {
        let segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        let (page, names): (Page, &[&'static str]) = match parts.as_slice() {
            [] | ["customers"] => (Page::Customers, &[]),
            ["customers", _, "subscriptions"] => (Page::Subscriptions, &["customer_id"]),
            ["customers", _, "subscriptions", _] => {
                (Page::Subscription, &["customer_id", "", "subscription_id"])
            }
            ["customers", _, "purchase"] => (Page::Purchase, &["customer_id"]),
            ["customers", _, "orders", _] => (Page::Order, &["customer_id", "", "order_id"]),
            ["publisher", _, "landing"] => (Page::Publisher, &["publisher_id"]),
            ["renewals"] => (Page::Renewals, &[]),
            ["billing"] => (Page::Billing, &[]),
            ["activity"] => (Page::Activity, &[]),
            ["settings"] => (Page::Settings, &[]),
            _ => (Page::NotFound, &[]),
        };
        // Each name stands for the segment after the first; "" skips a fixed segment.
        let params = names
            .iter()
            .zip(segments.iter().skip(1))
            .filter(|(name, _)| !name.is_empty())
            .map(|(name, value)| (*name, value.clone()))
            .collect();
        Matched { page, params }
    }

    /// A parameter of the path, empty when the page has none of that name.
    pub fn param(&self, name: &str) -> String {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The address shown: the path and the query (without its `?`), kept in step with the browser's.
#[derive(Clone, Copy)]
pub struct Location {
    path: RwSignal<String>,
    query: RwSignal<String>,
    matched: Memo<Matched>,
    /// Addresses shown but not yet written into the browser's history, in order, each with
    /// whether it replaces the current entry (see `go`).
    unwritten: StoredValue<Vec<(String, bool)>>,
}

impl Location {
    /// The page the path shows, tracked; it changes only when the path does.
    pub fn matched(&self) -> Memo<Matched> {
        self.matched
    }

    /// A value of the query (decoded; `+` is a space), empty when absent; tracked.
    pub fn query_value(&self, name: &str) -> String {
        self.query.with(|query| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
                .find(|(key, _)| decode(key) == name)
                .map(|(_, value)| decode(&value.replace('+', " ")))
                .unwrap_or_default()
        })
    }

    /// Goes to `url` (a path with an optional query). With `replace` the history entry is kept
    /// (typing in a search box) and the page stays where it is scrolled; otherwise a new entry is
    /// added and the new page starts at the top.
    ///
    /// The page follows at once; the browser's history is written just after it (in the order of
    /// the calls): Chrome takes about a millisecond to write an address, which a keystroke in a
    /// search box or a click on a column need not wait for.
    pub fn go(&self, url: &str, replace: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if url.starts_with('/') {
            let first = self
                .unwritten
                .try_update_value(|unwritten| {
                    let first = unwritten.is_empty();
                    match unwritten.last_mut() {
                        // Only the last of several replacing addresses needs writing.
                        Some(last) if replace && last.1 => last.0 = url.to_owned(),
                        _ => unwritten.push((url.to_owned(), replace)),
                    }
                    first
                })
                .unwrap_or(true);
            if first {
                let location = *self;
                set_timeout(move || location.write_unwritten(), Duration::ZERO);
            }
            self.show(url);
        } else {
            self.write_unwritten();
            if let Ok(history) = window.history() {
                let _ = write(&history, url, replace);
            }
            self.follow_browser();
        }
        // A new page starts at the top (nothing to do when it is there already).
        if !replace && window.scroll_y().is_ok_and(|y| y != 0.0) {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Writes the addresses shown so far into the browser's history.
    fn write_unwritten(&self) {
        let unwritten = self
            .unwritten
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            for (url, replace) in unwritten {
                let _ = write(&history, &url, replace);
            }
        }
    }

    /// Shows `url` (a path with an optional query) without touching the browser's history.
    fn show(&self, url: &str) {
        let url = url.split_once('#').map_or(url, |(before, _)| before);
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        self.set(path.to_owned(), query.to_owned());
    }

    /// Takes the address the browser shows (at the start, and after going back or forward).
    fn follow_browser(&self) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        let search = location.search().unwrap_or_default();
        let query = search.strip_prefix('?').unwrap_or(&search).to_owned();
        self.set(path, query);
    }

    /// Shows `path` and `query`, telling only what depends on the part that changed.
    fn set(&self, path: String, query: String) {
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.query.get_untracked() != query {
            self.query.set(query);
        }
    }
}

/// Starts following the browser's address, and provides it to the pages below.
pub fn provide_location() -> Location {
    let path = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let matched = Memo::new(move |_| path.with(|p| Matched::of(p)));
    let location = Location {
        path,
        query,
        matched,
        unwritten: StoredValue::new(Vec::new()),
    };
    location.follow_browser();
    provide_context(location);
    listen(
        "popstate",
        Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            // Addresses not yet written belonged to the entries the browser has just left.
            location.unwritten.set_value(Vec::new());
            location.follow_browser();
        }),
    );
    // The page's origin, read once: a link to another one is left to the browser.
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    listen(
        "click",
        Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if let Some(ev) = ev.dyn_ref::<web_sys::MouseEvent>() {
                follow_link(ev, location, &origin);
            }
        }),
    );
    location
}

/// The address, from a page or component under the console.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// Follows a click on a link to another page of the console in place. Clicks that open a new tab
/// or window, downloads, links to other sites and links within the page are left to the browser.
///
/// Following a link in the page's content first moves the focus to the content: otherwise the
/// focused link is removed with the old page, which leaves keyboard and screen-reader users at the
/// top of the document and costs the browser a slow focus fix-up (about 14 ms measured on a list
/// page).
fn follow_link(ev: &web_sys::MouseEvent, location: Location, origin: &str) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let same_site = link.origin() == origin;
    let in_page = link.pathname() == location.path.get_untracked() && !link.hash().is_empty();
    if !same_site
        || in_page
        || link.has_attribute("target")
        || link.has_attribute("download")
        || link
            .get_attribute("href")
            .is_some_and(|h| h.starts_with('#'))
    {
        return;
    }
    ev.prevent_default();
    location.go(&format!("{}{}", link.pathname(), link.search()), false);
    // After the scroll to the top, so neither waits for the other's layout.
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    if let Some(main) = link
        .closest("main")
        .ok()
        .flatten()
        .filter(|main| focused.as_ref() != Some(main))
        .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = main.focus_with_options(&options);
    }
}

/// Writes `url` into the browser's history: as a new entry, or in place of the current one.
fn write(
    history: &web_sys::History,
    url: &str,
    replace: bool,
) -> Result<(), wasm_bindgen::JsValue> {
    if replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
    }
}

/// Adds a listener to the window for as long as the current owner lives.
fn listen(event: &'static str, handler: Closure<dyn Fn(web_sys::Event)>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let function: js_sys::Function = handler.into_js_value().unchecked_into();
    let _ = window.add_event_listener_with_callback(event, &function);
    on_cleanup(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(event, &function);
        }
    });
}

/// A path segment or query part with its `%XX` escapes decoded (kept as typed when malformed).
fn decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    js_sys::decode_uri_component(text)
        .map(String::from)
        .unwrap_or_else(|_| text.to_owned())
}

/// A link of the main navigation, marked as the current page (`aria-current`) while the address
/// is at or under it.
#[component]
pub fn NavLink(href: &'static str, children: Children) -> impl IntoView {
    let location = use_location();
    let current = move || {
        location.path.with(|p| {
            let under = p
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/'));
            // The console opens on its customers.
            let home = p == "/" && href == "/customers";
            (p == href || under || home).then_some("page")
        })
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}
