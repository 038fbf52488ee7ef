use domain::money::grouped;
use domain::{CustomerQuery, CustomerRow, CustomerSort, CustomersExport, SortDirection};
use leptos::prelude::*;

use super::{direction_from, list_query, navigator, next_direction, query_param, with_query};
use crate::components::{Column, ExportButton, PageTitle, Pager, SortableHead};
use crate::source::{LoadStatus, fetch};

const PAGE_SIZE: usize = 20;

fn sort_from(text: &str) -> CustomerSort {
    match text {
        "domain" => CustomerSort::PrimaryDomain,
        "subscriptions" => CustomerSort::Subscriptions,
        _ => CustomerSort::CompanyName,
    }
}

fn sort_key(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::CompanyName => "",
        CustomerSort::PrimaryDomain => "domain",
        CustomerSort::Subscriptions => "subscriptions",
    }
}

const COLUMNS: &[Column] = &[
    Column::sorts("Company name", "sort-name"),
    Column::sorts("Primary domain", "sort-domain"),
    Column::plain("Microsoft ID"),
    Column::plain("Relationship"),
    Column::plain("Tags"),
    Column::sorts("Subscriptions", "sort-subscriptions").numeric(),
];

/// The header column that sorts by `sort`.
fn column_of(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::CompanyName => "sort-name",
        CustomerSort::PrimaryDomain => "sort-domain",
        CustomerSort::Subscriptions => "sort-subscriptions",
    }
}

fn sort_of(column: &str) -> CustomerSort {
    [
        CustomerSort::CompanyName,
        CustomerSort::PrimaryDomain,
        CustomerSort::Subscriptions,
    ]
    .into_iter()
    .find(|sort| column_of(*sort) == column)
    .unwrap_or(CustomerSort::CompanyName)
}

/// Customers: search by name or domain, sort and page, all kept in the URL; one page of them is
/// read at a time.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let go = navigator();
    let q = query_param("q");
    let sort = query_param("sort");
    let dir = query_param("dir");
    let page = query_param("page");
    let query = Memo::new(move |_| CustomerQuery {
        text: q.get(),
        sort: sort_from(&sort.get()),
        direction: direction_from(&dir.get()),
        page: page.get().parse().unwrap_or(1),
        page_size: PAGE_SIZE,
    });
    let result = fetch(move || Some(query.get()));
    let url = move |text: String, sort: CustomerSort, direction: SortDirection, page: usize| {
        with_query(
            "/customers",
            &list_query(text, sort_key(sort), direction, page),
        )
    };
    let go_search = go.clone();
    let on_search = move |ev: leptos::ev::Event| {
        let q = query.get_untracked();
        go_search(&url(event_target_value(&ev), q.sort, q.direction, 1), true);
    };
    let go_sort = go.clone();
    let on_sort = Callback::new(move |column: &'static str| {
        let q = query.get_untracked();
        let chosen = sort_of(column);
        let direction = next_direction(q.sort == chosen, q.direction);
        go_sort(&url(q.text, chosen, direction, 1), false);
    });
    let sorted = Memo::new(move |_| query.with(|q| Some((column_of(q.sort), q.direction))));
    let rows = move || result.with(|r| r.map(|r| r.rows.clone()).unwrap_or_default());
    let total = move || result.with(|r| r.map_or(0, |r| r.total));
    view! {
        <section aria-labelledby="customers-title">
            <PageTitle title="Customers".to_owned() />
            <h1 id="customers-title">"Customers"</h1>
            <div class="toolbar">
                <ExportButton label="Export customers" file="Customers.csv".to_owned() testid="export-customers"
                    read=Signal::stored(Some(CustomersExport {})) />
                <label class="search">
                    <span>"Search by company name or domain"</span>
                    <input
                        type="search"
                        data-testid="customer-search"
                        placeholder="e.g. contoso"
                        prop:value=move || q.get()
                        on:input=on_search
                    />
                </label>
            </div>
            <LoadStatus fetched=result what="the customers" />
            <div class="table-wrap">
                <table class="data-table" data-testid="customers-table" aria-busy=move || result.loading().to_string()>
                    <SortableHead columns=COLUMNS sorted=sorted on_sort=on_sort />
                    <tbody>
                        <For each=rows key=|row| (row.customer.id, row.subscriptions) let:row>
                            <CustomerLine row=row />
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || result.with(|r| r.is_some_and(|r| r.total == 0))>
                <p class="empty" data-testid="no-customers">
                    {move || format!("No customer's name or domain contains \u{201c}{}\u{201d}.", q.get())}
                </p>
            </Show>
            <Pager
                page=Signal::derive(move || result.with(|r| r.map_or(1, |r| r.page)))
                page_count=Signal::derive(move || result.with(|r| r.map_or(1, |r| r.page_count)))
                total=Signal::derive(total)
                noun="customers"
                on_page=Callback::new(move |p: usize| {
                    let q = query.get_untracked();
                    go(&url(q.text, q.sort, q.direction, p), false);
                })
            />
        </section>
    }
}

/// A row of the Customers list.
#[component]
fn CustomerLine(row: CustomerRow) -> impl IntoView {
    let c = row.customer;
    let tags = c
        .tags
        .into_iter()
        .map(|tag| view! { <span class="tag">{tag}</span> })
        .collect_view();
    view! {
        <tr data-testid="customer-row">
            <td><a href=format!("/customers/{}/subscriptions", c.id)>{c.company_name}</a></td>
            <td>{c.primary_domain}</td>
            <td class="mono">{c.id.to_string()}</td>
            <td>{c.relationship.label()}</td>
            <td>{tags}</td>
            <td class="num">{grouped(row.subscriptions as u64)}</td>
        </tr>
    }
}
