use std::fmt::Write;

use domain::{
    Command, Customer, Engine, SubscriptionId, SubscriptionQuery, SubscriptionRow,
    SubscriptionSort, SubscriptionStatus, Timestamp,
};
use leptos::prelude::*;

use super::{
    Missing, customer_param, direction_from, list_query, navigator, next_direction, query_param,
    route_param, with_query,
};
use wasm_bindgen::JsCast;

use crate::components::{
    Column, FeedbackLine, Notice, Parts, clicked_button, column_asked, export_csv,
    export_failed_html, feedback_html, head_html, page_asked, pager_html, show_sorted, target,
};
use crate::console::{Console, use_console};
use crate::html::{self, escape};

/// Rows per page of the Subscriptions list.
const PAGE_SIZE: usize = 25;

fn status_from(text: &str) -> Option<SubscriptionStatus> {
    SubscriptionStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
}

fn sort_from(text: &str) -> SubscriptionSort {
    match text {
        "nickname" => SubscriptionSort::Nickname,
        "offer" => SubscriptionSort::Offer,
        "quantity" => SubscriptionSort::Quantity,
        "status" => SubscriptionSort::Status,
        "ends" => SubscriptionSort::TermEnd,
        _ => SubscriptionSort::Newest,
    }
}

fn sort_key(sort: SubscriptionSort) -> &'static str {
    match sort {
        SubscriptionSort::Newest => "",
        SubscriptionSort::Nickname => "nickname",
        SubscriptionSort::Offer => "offer",
        SubscriptionSort::Quantity => "quantity",
        SubscriptionSort::Status => "status",
        SubscriptionSort::TermEnd => "ends",
    }
}

const COLUMNS: &[Column] = &[
    Column::sorts("Subscription", "sort-nickname"),
    Column::sorts("Offer", "sort-offer"),
    Column::plain("Publisher"),
    Column::sorts("Quantity", "sort-quantity").numeric(),
    Column::sorts("Status", "sort-status"),
    Column::plain("Term and billing"),
    Column::sorts("Renews or ends on", "sort-ends"),
    Column::plain("Reseller"),
];

/// The status filter: a button per status and one for all, the one chosen pressed (HTML). Buttons
/// rather than a drop-down: one click to filter, every choice in sight, and far less work for the
/// browser than a `<select>`, whose options Chromium lays out one by one each time the list opens
/// (about 1 ms of the 2.8 ms it takes to show the page, measured in docs/PERFORMANCE.md).
fn status_filter_html(chosen: Option<SubscriptionStatus>) -> String {
    let mut html = String::new();
    let statuses = std::iter::once(None).chain(SubscriptionStatus::ALL.into_iter().map(Some));
    for status in statuses {
        let (value, label) = status.map_or(("", "All statuses"), |s| (s.as_str(), s.label()));
        let _ = write!(
            html,
            "<button type=\"button\" data-status=\"{value}\" data-testid=\"status-{}\" \
             aria-pressed=\"{}\">{label}</button>",
            if value.is_empty() { "all" } else { value },
            status == chosen,
        );
    }
    html
}

/// The header column that sorts by `sort` (the default, newest first, has none).
fn column_of(sort: SubscriptionSort) -> Option<&'static str> {
    match sort {
        SubscriptionSort::Newest => None,
        SubscriptionSort::Nickname => Some("sort-nickname"),
        SubscriptionSort::Offer => Some("sort-offer"),
        SubscriptionSort::Quantity => Some("sort-quantity"),
        SubscriptionSort::Status => Some("sort-status"),
        SubscriptionSort::TermEnd => Some("sort-ends"),
    }
}

fn sort_of(column: &str) -> SubscriptionSort {
    [
        SubscriptionSort::Nickname,
        SubscriptionSort::Offer,
        SubscriptionSort::Quantity,
        SubscriptionSort::Status,
        SubscriptionSort::TermEnd,
    ]
    .into_iter()
    .find(|sort| column_of(*sort) == Some(column))
    .unwrap_or(SubscriptionSort::Newest)
}

/// A customer's Subscriptions: the license-based SaaS subscriptions bought for it, searched,
/// filtered by status, sorted and paged, all kept in the URL.
#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let console = use_console();
    let go = navigator();
    let customer_id = customer_param();
    let raw_id = route_param("customer_id");
    let (q, status, sort, dir, page) = (
        query_param("q"),
        query_param("status"),
        query_param("sort"),
        query_param("dir"),
        query_param("page"),
    );
    let customer = Memo::new(move |_| {
        customer_id
            .get()
            .and_then(|id| console.read(|e| e.customer(id).ok().cloned()))
    });
    let query = Memo::new(move |_| SubscriptionQuery {
        text: q.get(),
        status: status_from(&status.get()),
        sort: sort_from(&sort.get()),
        direction: direction_from(&dir.get()),
        page: page.get().parse().unwrap_or(1),
        page_size: PAGE_SIZE,
    });
    // Changes the list's URL: `change` edits the query, which starts again at page 1 unless it
    // sets the page itself.
    let go_to = move |change: &dyn Fn(&mut SubscriptionQuery), replace: bool| {
        let mut next = SubscriptionQuery {
            page: 1,
            ..query.get_untracked()
        };
        change(&mut next);
        let mut pairs = vec![(
            "status",
            next.status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        )];
        pairs.extend(list_query(
            next.text,
            sort_key(next.sort),
            next.direction,
            next.page,
        ));
        go(
            &with_query(
                &format!("/customers/{}/subscriptions", raw_id.get_untracked()),
                &pairs,
            ),
            replace,
        );
    };
    view! {
        <div class="page">{move || match customer.get() {
            None => view! { <Missing what="Customer" id=raw_id.get() /> }.into_any(),
            Some(customer) => {
                let id = customer.id;
                let result = Memo::new(move |_| {
                    let query = query.get();
                    console.read(|e| e.search_subscriptions(id, &query).ok())
                });
                let root = NodeRef::<leptos::html::Div>::new();
                let parts = Parts::new(root);
                // Only one page of rows is written, however many subscriptions there are, and in
                // one go (see `rows_html`).
                let rows = parts.part("rows", move || {
                    let now = console.now();
                    result.with(|r| {
                        r.as_ref()
                            .map(|page| console.read(|e| rows_html(e, &page.rows, now)))
                            .unwrap_or_default()
                    })
                });
                let empty = parts.part("empty", move || {
                    let none = result.with(|r| r.as_ref().is_none_or(|r| r.total == 0));
                    if none { q.with(|q| empty_html(q.trim())) } else { String::new() }
                });
                let pager = parts.part("pager", move || {
                    result.with(|r| match r {
                        Some(r) if r.page_count > 1 => pager_html(r.page, r.page_count, r.total, "subscriptions"),
                        _ => String::new(),
                    })
                });
                let link_line: FeedbackLine = RwSignal::new(None);
                let link_notice = parts.feedback("link-feedback", link_line);
                let export_failed = RwSignal::new(None::<String>);
                let filter = parts.part("status-filter", move || status_filter_html(status_from(&status.get())));
                let failed = parts.part("export-failed", move || export_failed.with(|f| export_failed_html(f.as_deref())));
                // The search box and the header follow the address (going back or forward); the
                // first state is in the HTML.
                Effect::new(move |_| {
                    let text = q.get();
                    if let Some(input) = parts.find("[data-testid=subscription-search]").and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                        && input.value() != text
                    {
                        input.set_value(&text);
                    }
                });
                let sorted = Memo::new(move |_| query.with(|q| column_of(q.sort).map(|c| (c, q.direction))));
                Effect::new(move |first_run: Option<()>| {
                    let sorted = sorted.get();
                    if let Some(head) = parts.find("thead").filter(|_| first_run.is_some()) {
                        show_sorted(&head, sorted);
                    }
                });
                let on_rows_click = fresh_link_clicks(console, link_line);
                let file = format!("Subscriptions-{}.csv", customer.primary_domain);
                let make = Callback::new(move |()| console.read(|e| domain::export::subscriptions_csv(e, id).map_err(|e| e.to_string())));
                let on_click = {
                    let go_to = go_to.clone();
                    move |ev: leptos::ev::MouseEvent| {
                        // Links are followed by the router; the page's buttons are handled here.
                        let Some(button) = clicked_button(&ev) else { return };
                        let testid = button.get_attribute("data-testid").unwrap_or_default();
                        let q = query.get_untracked();
                        if let Some(column) = column_asked(&testid, COLUMNS) {
                            let chosen = sort_of(column);
                            let direction = next_direction(q.sort == chosen, q.direction);
                            go_to(&|next| { next.sort = chosen; next.direction = direction; }, false);
                        } else if let Some(chosen) = button.get_attribute("data-status") {
                            go_to(&|next| next.status = status_from(&chosen), false);
                        } else if let Some(page) = page_asked(&testid, result.with_untracked(|r| r.as_ref().map_or(1, |r| r.page))) {
                            go_to(&|next| next.page = page, false);
                        } else if testid == "export-subscriptions" {
                            export_failed.set(export_csv(&file, make));
                        } else {
                            on_rows_click(ev);
                        }
                    }
                };
                let on_input = {
                    let go_to = go_to.clone();
                    move |ev: leptos::ev::Event| {
                        if is_control(&ev, "subscription-search") {
                            let text = event_target_value(&ev);
                            go_to(&|next| next.text = text.clone(), true);
                        }
                    }
                };
                let html = page_html(&Written {
                    customer: &customer,
                    text: &q.get_untracked(),
                    filter: &filter.get_untracked(),
                    head: &head_html(COLUMNS, sorted.get_untracked()),
                    rows: &rows.get_untracked(),
                    link_notice: &link_notice.get_untracked(),
                    export_failed: &failed.get_untracked(),
                    empty: &empty.get_untracked(),
                    pager: &pager.get_untracked(),
                });
                view! { <div node_ref=root inner_html=html on:click=on_click on:input=on_input></div> }
                .into_any()
            }
        }}</div>
    }
}

/// Whether an event happened on the page's control with test id `testid`.
fn is_control(ev: &leptos::ev::Event, testid: &str) -> bool {
    target(ev)
        .and_then(|e| e.get_attribute("data-testid"))
        .as_deref()
        == Some(testid)
}

/// What the list is written with when it opens: the customer, the search text, and each part's
/// HTML.
struct Written<'a> {
    customer: &'a Customer,
    text: &'a str,
    filter: &'a str,
    head: &'a str,
    rows: &'a str,
    link_notice: &'a str,
    export_failed: &'a str,
    empty: &'a str,
    pager: &'a str,
}

/// The whole list as it opens (HTML): the title, the search box, the status filter, the export
/// and add buttons, the table, the rows' feedback line, the empty message and the pager. Parts
/// that change carry `data-part`.
fn page_html(w: &Written) -> String {
    let name = escape(&w.customer.company_name);
    format!(
        "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><a href=\"/customers\">Customers</a>\
         <span aria-hidden=\"true\"> / </span><span>{name}</span></nav>\
         <h1>{name}<span class=\"subtitle\"> · Subscriptions</span></h1>\
         <p class=\"hint\">Any license-based subscriptions you've purchased for the customer are displayed.</p>\
         <div class=\"toolbar\"><label class=\"search\"><span>Search by nickname, offer, publisher or ID</span>\
         <input type=\"search\" data-testid=\"subscription-search\" placeholder=\"e.g. helpdesk\" value=\"{text}\"></label>\
         <div class=\"filter\"><span id=\"status-filter-label\">Status</span><div class=\"segmented\" \
         role=\"group\" aria-labelledby=\"status-filter-label\" data-testid=\"status-filter\" \
         data-part=\"status-filter\">{filter}</div></div>\
         <button type=\"button\" data-testid=\"export-subscriptions\">Export subscriptions</button>\
         <span data-part=\"export-failed\">{failed}</span>\
         <a class=\"button button--primary\" data-testid=\"add-subscription\" href=\"/customers/{id}/purchase\">Add subscription</a></div>\
         <div class=\"table-wrap\"><table class=\"data-table\" data-testid=\"subscriptions-table\">\
         <thead>{head}</thead><tbody data-part=\"rows\">{rows}</tbody></table></div>\
         {feedback}<div data-part=\"empty\">{empty}</div><div data-part=\"pager\">{pager}</div>",
        text = escape(w.text),
        filter = w.filter,
        failed = w.export_failed,
        id = w.customer.id,
        head = w.head,
        rows = w.rows,
        feedback = feedback_html("link-feedback", w.link_notice),
        empty = w.empty,
        pager = w.pager,
    )
}

/// What the list says when nothing matches `text` (HTML).
fn empty_html(text: &str) -> String {
    let said = if text.is_empty() {
        "No subscriptions match. Add one with Add subscription.".to_owned()
    } else {
        format!(
            "No subscription's nickname, offer, publisher or ID contains \u{201c}{}\u{201d}.",
            escape(text)
        )
    };
    format!("<p class=\"empty\" data-testid=\"no-subscriptions\">{said}</p>")
}

/// One page of the list's rows as HTML, every text escaped. A search, sort or page turn rewrites
/// the table body with one DOM call: updating the 25 rows cell by cell through the view took
/// about 550 DOM calls and made these operations 1.6–2× slower than the hand-written page
/// (docs/PERFORMANCE.md). Links are followed by the router; a row's "Get a fresh link" button is
/// handled by the table body's click listener.
fn rows_html(engine: &Engine, rows: &[SubscriptionRow], now: Timestamp) -> String {
    let mut html = String::with_capacity(rows.len() * 700);
    for row in rows {
        let sub = &row.subscription;
        let _ = write!(
            html,
            "<tr data-testid=\"subscription-row\" data-subscription=\"{id}\">\
             <td><a href=\"/customers/{customer}/subscriptions/{id}\">{nickname}</a></td>\
             <td>{offer}<span class=\"muted\"> · {plan}</span></td>\
             <td>{publisher}</td>\
             <td class=\"num\">{quantity}</td>\
             <td>",
            id = sub.id,
            customer = sub.customer,
            nickname = escape(sub.nickname.as_str()),
            offer = escape(&row.offer),
            plan = escape(&row.plan),
            publisher = escape(&row.publisher),
            quantity = sub.quantity,
        );
        html::status_badge(&mut html, sub.status);
        if sub.status == SubscriptionStatus::Pending {
            let href = engine.valid_activation_uri(sub.id, now);
            html::publisher_link(&mut html, href.as_deref(), sub.id, "link-feedback");
        }
        let _ = write!(
            html,
            "</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&sub.term_and_billing()),
            escape(&sub.renews_or_ends()),
            escape(&row.reseller),
        );
    }
    html
}

/// Follows a click on a row's "Get a fresh link" button (rows written as HTML): asks for a fresh
/// activation link and tells how it went on `line`.
pub(super) fn fresh_link_clicks(
    console: Console,
    line: FeedbackLine,
) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |ev| {
        use wasm_bindgen::JsCast;
        let asked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-testid=fresh-link]").ok().flatten())
            .and_then(|button| button.get_attribute("data-subscription"))
            .and_then(|text| SubscriptionId::parse(&text).ok());
        let Some(id) = asked else {
            return;
        };
        line.set(Some(Notice::Working("Getting a fresh link…".into())));
        console.submit(
            Command::ActivationLink { subscription: id },
            None,
            move |result| {
                line.set(Some(Notice::from_result(
                    &result,
                    "A fresh link is ready: it works for 24 hours.",
                )));
            },
        );
    }
}
