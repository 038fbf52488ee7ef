use domain::{CustomerQuery, CustomerSort, SortDirection};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::components::{ExportButton, Pager};
use crate::console::use_console;

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

/// Customers: search by name or domain, sort and page, all kept in the URL.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let console = use_console();
    let go = navigator();
    let q = query_param("q");
    let sort = query_param("sort");
    let dir = query_param("dir");
    let page = query_param("page");
    let query = Memo::new(move |_| CustomerQuery {
        text: q.get(),
        sort: sort_from(&sort.get()),
        direction: if dir.get() == "desc" {
            SortDirection::Descending
        } else {
            SortDirection::Ascending
        },
        page: page.get().parse().unwrap_or(1),
        page_size: PAGE_SIZE,
    });
    let result = Memo::new(move |_| {
        let query = query.get();
        console.read(|e| e.search_customers(&query))
    });
    let url = move |text: String, sort: CustomerSort, direction: SortDirection, page: usize| {
        with_query(
            "/customers",
            &[
                ("q", text),
                ("sort", sort_key(sort).to_owned()),
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
            ],
        )
    };
    let go_search = go.clone();
    let on_search = move |ev: leptos::ev::Event| {
        let q = query.get_untracked();
        go_search(&url(event_target_value(&ev), q.sort, q.direction, 1), true);
    };
    let go_sort = go.clone();
    let sort_by = move |column: CustomerSort| {
        let q = query.get_untracked();
        let direction = if q.sort == column && q.direction == SortDirection::Ascending {
            SortDirection::Descending
        } else {
            SortDirection::Ascending
        };
        go_sort(&url(q.text, column, direction, 1), false);
    };
    let aria_sort = move |column: CustomerSort| {
        move || {
            let q = query.get();
            if q.sort != column {
                "none"
            } else if q.direction == SortDirection::Ascending {
                "ascending"
            } else {
                "descending"
            }
        }
    };
    let header = move |column: CustomerSort, label: &'static str, testid: &'static str| {
        view! {
            <th scope="col" aria-sort=aria_sort(column)>
                <button type="button" class="sort-button" data-testid=testid on:click={
                    let sort_by = sort_by.clone();
                    move |_| sort_by(column)
                }>
                    {label}
                    <span aria-hidden="true">
                        {move || {
                            let q = query.get();
                            if q.sort != column { "" } else if q.direction == SortDirection::Ascending { " ▲" } else { " ▼" }
                        }}
                    </span>
                </button>
            </th>
        }
    };
    view! {
        <section aria-labelledby="customers-title">
            <h1 id="customers-title">"Customers"</h1>
            <div class="toolbar">
                <ExportButton label="Export customers" file="Customers.csv".to_owned() testid="export-customers"
                    make=Callback::new(move |()| Ok(console.read(domain::export::customers_csv))) />
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
            <div class="table-wrap">
                <table class="data-table" data-testid="customers-table">
                    <thead>
                        <tr>
                            {header(CustomerSort::CompanyName, "Company name", "sort-name")}
                            {header(CustomerSort::PrimaryDomain, "Primary domain", "sort-domain")}
                            <th scope="col">"Microsoft ID"</th>
                            <th scope="col">"Relationship"</th>
                            <th scope="col">"Tags"</th>
                            {header(CustomerSort::Subscriptions, "Subscriptions", "sort-subscriptions")}
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || result.get().rows
                            key=|row| (row.customer.id, row.subscriptions)
                            let:row
                        >
                            <tr data-testid="customer-row">
                                <td>
                                    <a href=format!("/customers/{}/subscriptions", row.customer.id)>
                                        {row.customer.company_name.clone()}
                                    </a>
                                </td>
                                <td>{row.customer.primary_domain.clone()}</td>
                                <td class="mono">{row.customer.id.to_string()}</td>
                                <td>{row.customer.relationship.label()}</td>
                                <td>
                                    {row.customer.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                                </td>
                                <td class="num">{row.subscriptions}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || result.with(|r| r.total == 0)>
                <p class="empty" data-testid="no-customers">
                    {move || format!("No customer's name or domain contains \u{201c}{}\u{201d}.", q.get())}
                </p>
            </Show>
            <Pager
                page=Signal::derive(move || result.get().page)
                page_count=Signal::derive(move || result.get().page_count)
                total=Signal::derive(move || result.get().total)
                noun="customers"
                on_page=Callback::new(move |p: usize| {
                    let q = query.get_untracked();
                    go(&url(q.text, q.sort, q.direction, p), false);
                })
            />
        </section>
    }
}
