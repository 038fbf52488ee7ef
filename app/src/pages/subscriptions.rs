use std::fmt::Write;

use domain::{
    Command, Engine, SubscriptionId, SubscriptionQuery, SubscriptionRow, SubscriptionSort,
    SubscriptionStatus, Timestamp,
};
use leptos::prelude::*;

use super::{
    Missing, customer_param, direction_from, list_query, navigator, next_direction, query_param,
    route_param, with_query,
};
use crate::components::{
    Column, ExportButton, Feedback, FeedbackLine, Notice, Pager, SortableHead,
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

/// The status filter's options (HTML).
fn status_options() -> String {
    let mut html = String::from("<option value=\"\">All statuses</option>");
    for s in SubscriptionStatus::ALL {
        let _ = write!(
            html,
            "<option value=\"{}\">{}</option>",
            s.as_str(),
            s.label()
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
                let rows = Memo::new(move |_| {
                    let now = console.now();
                    result.with(|r| {
                        r.as_ref()
                            .map(|page| console.read(|e| rows_html(e, &page.rows, now)))
                            .unwrap_or_default()
                    })
                });
                let link_line: FeedbackLine = RwSignal::new(None);
                let on_rows_click = fresh_link_clicks(console, link_line);
                let total = Signal::derive(move || result.with(|r| r.as_ref().map_or(0, |r| r.total)));
                let page_count = Signal::derive(move || result.with(|r| r.as_ref().map_or(1, |r| r.page_count)));
                let on_sort = {
                    let go_to = go_to.clone();
                    Callback::new(move |column: &'static str| {
                        let q = query.get_untracked();
                        let chosen = sort_of(column);
                        let direction = next_direction(q.sort == chosen, q.direction);
                        go_to(&|next| { next.sort = chosen; next.direction = direction; }, false);
                    })
                };
                let sorted = Memo::new(move |_| query.with(|q| column_of(q.sort).map(|c| (c, q.direction))));
                let on_search = {
                    let go_to = go_to.clone();
                    move |ev: leptos::ev::Event| {
                        let text = event_target_value(&ev);
                        go_to(&|next| next.text = text.clone(), true);
                    }
                };
                let on_status = {
                    let go_to = go_to.clone();
                    move |ev: leptos::ev::Event| {
                        let chosen = status_from(&event_target_value(&ev));
                        go_to(&|next| next.status = chosen, false);
                    }
                };
                let on_page = {
                    let go_to = go_to.clone();
                    Callback::new(move |p: usize| go_to(&|next| next.page = p, false))
                };
                view! {
                    <nav class="breadcrumbs" aria-label="Breadcrumb">
                        <a href="/customers">"Customers"</a>
                        <span aria-hidden="true">" / "</span>
                        <span>{customer.company_name.clone()}</span>
                    </nav>
                    <h1>{customer.company_name.clone()} <span class="subtitle">" · Subscriptions"</span></h1>
                    <p class="hint">"Any license-based subscriptions you've purchased for the customer are displayed."</p>
                    <div class="toolbar">
                        <label class="search">
                            <span>"Search by nickname, offer, publisher or ID"</span>
                            <input
                                type="search"
                                data-testid="subscription-search"
                                placeholder="e.g. helpdesk"
                                prop:value=move || q.get()
                                on:input=on_search
                            />
                        </label>
                        <label>
                            <span>"Status"</span>
                            // The options first, then the value chosen among them.
                            <select data-testid="status-filter" inner_html=status_options() on:change=on_status prop:value=move || status.get()></select>
                        </label>
                        <ExportButton label="Export subscriptions" file=format!("Subscriptions-{}.csv", customer.primary_domain) testid="export-subscriptions"
                            make=Callback::new(move |()| console.read(|e| domain::export::subscriptions_csv(e, id).map_err(|e| e.to_string()))) />
                        <a class="button button--primary" data-testid="add-subscription" href=format!("/customers/{id}/purchase")>
                            "Add subscription"
                        </a>
                    </div>
                    <div class="table-wrap">
                        <table class="data-table" data-testid="subscriptions-table">
                            <SortableHead columns=COLUMNS sorted=sorted on_sort=on_sort />
                            // Only one page of rows is rendered, however many subscriptions there are,
                            // and in one go (see `rows_html`).
                            <tbody inner_html=move || rows.get() on:click=on_rows_click></tbody>
                        </table>
                    </div>
                    <Feedback line=link_line id="link-feedback" />
                    <Show when=move || total.get() == 0>
                        <p class="empty" data-testid="no-subscriptions">
                            {move || if q.with(|q| q.trim().is_empty()) {
                                "No subscriptions match. Add one with Add subscription.".to_owned()
                            } else {
                                format!("No subscription's nickname, offer, publisher or ID contains \u{201c}{}\u{201d}.", q.get().trim())
                            }}
                        </p>
                    </Show>
                    <Show when=move || { page_count.get() > 1 }>
                        <Pager
                            page=Signal::derive(move || result.with(|r| r.as_ref().map_or(1, |r| r.page)))
                            page_count=page_count
                            total=total
                            noun="subscriptions"
                            on_page=on_page
                        />
                    </Show>
                }
                .into_any()
            }
        }}</div>
    }
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
