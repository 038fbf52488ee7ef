use domain::{
    ListedSubscription, SubscriptionQuery, SubscriptionSort, SubscriptionStatus,
    SubscriptionsExport, SubscriptionsRead,
};
use leptos::prelude::*;

use super::{
    Missing, customer_param, direction_from, list_query, next_direction, not_found, query_param,
    route_param, with_query,
};
use crate::components::{
    Column, ExportButton, Feedback, FeedbackLine, PageTitle, Pager, PublisherLink, SortableHead,
    StatusBadge,
};
use crate::router::use_location;
use crate::source::{Fetched, LoadStatus, fetch, use_source};

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
/// filtered by status, sorted and paged, all kept in the URL; one page of them is read at a time.
#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let customer = customer_param();
    let raw_id = route_param("customer_id");
    let (q, status, sort, dir, page) = (
        query_param("q"),
        query_param("status"),
        query_param("sort"),
        query_param("dir"),
        query_param("page"),
    );
    let read = Memo::new(move |_| {
        customer.get().map(|customer| SubscriptionsRead {
            customer,
            query: SubscriptionQuery {
                text: q.get(),
                status: status_from(&status.get()),
                sort: sort_from(&sort.get()),
                direction: direction_from(&dir.get()),
                page: page.get().parse().unwrap_or(1),
                page_size: PAGE_SIZE,
            },
        })
    });
    let list = fetch(move || read.get());
    let missing = move || customer.get().is_none() || not_found(&list);
    view! {
        <div class="page">
            <Show when=move || !missing() fallback=move || view! { <Missing what="Customer" id=raw_id.get() /> }>
                <List read=read list=list />
            </Show>
        </div>
    }
}

/// The list of a customer that exists: its title, search, status filter, export, table and pager.
#[component]
fn List(read: Memo<Option<SubscriptionsRead>>, list: Fetched<SubscriptionsRead>) -> impl IntoView {
    let location = use_location();
    // "Add subscription" is offered to the roles that may buy; the purchase page still refuses
    // others with the reason when reached directly.
    let source = use_source();
    let buys = move || source.user().is_none_or(|u| u.role.buys());
    let raw_id = route_param("customer_id");
    let customer = customer_param();
    let (q, status) = (query_param("q"), query_param("status"));
    // Changes the list's URL: `change` edits the read, which starts again at page 1 unless it
    // sets the page itself.
    let go_to = move |change: &dyn Fn(&mut SubscriptionQuery), replace: bool| {
        let Some(mut next) = read.get_untracked().map(|r| r.query) else {
            return;
        };
        next.page = 1;
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
        location.go(
            &with_query(
                &format!("/customers/{}/subscriptions", raw_id.get_untracked()),
                &pairs,
            ),
            replace,
        );
    };
    let name = move || {
        list.with(|l| {
            l.map(|l| l.customer.company_name.clone())
                .unwrap_or_default()
        })
    };
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        go_to(&|next| next.text = text.clone(), true);
    };
    let on_sort = Callback::new(move |column: &'static str| {
        let Some(now) = read.get_untracked().map(|r| r.query) else {
            return;
        };
        let chosen = sort_of(column);
        let direction = next_direction(now.sort == chosen, now.direction);
        go_to(
            &|next| {
                next.sort = chosen;
                next.direction = direction;
            },
            false,
        );
    });
    let sorted = Memo::new(move |_| {
        read.with(|r| {
            r.as_ref()
                .and_then(|r| column_of(r.query.sort).map(|c| (c, r.query.direction)))
        })
    });
    let chosen_status = Memo::new(move |_| status_from(&status.get()));
    let filter = std::iter::once(None)
        .chain(SubscriptionStatus::ALL.into_iter().map(Some))
        .map(|choice| {
            let (value, label) =
                choice.map_or(("all", "All statuses"), |s| (s.as_str(), s.label()));
            view! {
                <button type="button" data-testid=format!("status-{value}")
                    aria-pressed=move || (chosen_status.get() == choice).to_string()
                    on:click=move |_| go_to(&|next| next.status = choice, false)>{label}</button>
            }
        })
        .collect_view();
    let link_line: FeedbackLine = RwSignal::new(None);
    let rows = move || list.with(|l| l.map(|l| l.rows.clone()).unwrap_or_default());
    let export = Signal::derive(move || {
        customer
            .get()
            .map(|customer| SubscriptionsExport { customer })
    });
    let file = Signal::derive(move || {
        list.with(|l| {
            format!(
                "Subscriptions-{}.csv",
                l.map(|l| l.customer.primary_domain.as_str())
                    .unwrap_or("customer")
            )
        })
    });
    view! {
                <nav class="breadcrumbs" aria-label="Breadcrumb">
                    <a href="/customers">"Customers"</a><span aria-hidden="true">" / "</span><span>{name}</span>
                </nav>
                <PageTitle title=Signal::derive(move || format!("{} · Subscriptions", name())) />
                <h1>{name}<span class="subtitle">" · Subscriptions"</span></h1>
                <p class="hint">"Any license-based subscriptions you've purchased for the customer are displayed."</p>
                <div class="toolbar">
                    <label class="search">
                        <span>"Search by nickname, offer, publisher or ID"</span>
                        <input type="search" data-testid="subscription-search" placeholder="e.g. helpdesk"
                            prop:value=move || q.get() on:input=on_search />
                    </label>
                    <div class="filter">
                        <span id="status-filter-label">"Status"</span>
                        <div class="segmented" role="group" aria-labelledby="status-filter-label" data-testid="status-filter">{filter}</div>
                    </div>
                    <ExportButton label="Export subscriptions" file=file testid="export-subscriptions" read=export />
                    <Show when=buys>
                        <a class="button button--primary" data-testid="add-subscription"
                            href=move || format!("/customers/{}/purchase", raw_id.get())>"Add subscription"</a>
                    </Show>
                </div>
                <LoadStatus fetched=list what="the subscriptions" />
                <div class="table-wrap">
                    <table class="data-table" data-testid="subscriptions-table" aria-busy=move || list.loading().to_string()>
                        <SortableHead columns=COLUMNS sorted=sorted on_sort=on_sort />
                        <tbody>
                            <For each=rows key=|row| (row.subscription.id, row.subscription.version, row.activation_uri.clone()) let:row>
                                <SubscriptionLine row=row link_line=link_line />
                            </For>
                        </tbody>
                    </table>
                </div>
                <Feedback line=link_line id="link-feedback" />
                <Show when=move || list.with(|l| l.is_some_and(|l| l.total == 0))>
                    <p class="empty" data-testid="no-subscriptions">{move || {
                        let text = q.get();
                        if text.trim().is_empty() {
                            "No subscriptions match. Add one with Add subscription.".to_owned()
                        } else {
                            format!("No subscription's nickname, offer, publisher or ID contains \u{201c}{}\u{201d}.", text.trim())
                        }
                    }}</p>
                </Show>
                <Show when=move || list.with(|l| l.is_some_and(|l| l.page_count > 1))>
                    <Pager
                        page=Signal::derive(move || list.with(|l| l.map_or(1, |l| l.page)))
                        page_count=Signal::derive(move || list.with(|l| l.map_or(1, |l| l.page_count)))
                        total=Signal::derive(move || list.with(|l| l.map_or(0, |l| l.total)))
                        noun="subscriptions"
                        on_page=Callback::new(move |p: usize| go_to(&|next| next.page = p, false))
                    />
                </Show>
    }
}

/// A row of the Subscriptions list; a pending one with its link to the publisher's site.
#[component]
fn SubscriptionLine(row: ListedSubscription, link_line: FeedbackLine) -> impl IntoView {
    let sub = row.subscription;
    let pending = (sub.status == SubscriptionStatus::Pending).then(|| {
        view! { <PublisherLink subscription=sub.id uri=row.activation_uri line=link_line feedback="link-feedback" /> }
    });
    view! {
        <tr data-testid="subscription-row" data-subscription=sub.id.to_string()>
            <td><a href=format!("/customers/{}/subscriptions/{}", sub.customer, sub.id)>{sub.nickname.to_string()}</a></td>
            <td>{row.offer}<span class="muted">" · " {row.plan}</span></td>
            <td>{row.publisher}</td>
            <td class="num">{sub.quantity}</td>
            <td><StatusBadge status=sub.status />{pending}</td>
            <td>{sub.term_and_billing()}</td>
            <td>{sub.renews_or_ends()}</td>
            <td>{row.reseller}</td>
        </tr>
    }
}
