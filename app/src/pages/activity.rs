use chrono::TimeDelta;
use domain::time::start_of_day;
use domain::{
    ActivityExport, ActivityFilter, ActivityRead, CustomerId, CustomerQuery, Operation,
    SubscriptionId,
};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::components::{ActivityTable, ExportButton, PageTitle, Pager, Subjects};
use crate::source::{LoadStatus, fetch};

/// Entries per page of the activity log.
const PAGE_SIZE: usize = 100;

/// The activity log: every change, who made it with which role, old and new values, and every
/// refused attempt — filtered by date range, customer, operation and user (kept in the URL), paged,
/// and exported as CSV.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let go = navigator();
    let (from, to, customer, operation, user, subscription, page) = (
        query_param("from"),
        query_param("to"),
        query_param("customer"),
        query_param("operation"),
        query_param("user"),
        query_param("subscription"),
        query_param("page"),
    );
    let date = |text: String| domain::time::parse_iso_date(&text).map(start_of_day);
    let filter = Memo::new(move |_| ActivityFilter {
        from: date(from.get()),
        until: date(to.get()).map(|d| d + TimeDelta::days(1)),
        customer: CustomerId::parse(&customer.get()).ok(),
        subscription: SubscriptionId::parse(&subscription.get()).ok(),
        operation: Operation::ALL
            .into_iter()
            .find(|o| format!("{o:?}") == operation.get()),
        user: Some(user.get()).filter(|u| !u.is_empty()),
    });
    let log = fetch(move || {
        Some(ActivityRead {
            filter: filter.get(),
            page: page.get().parse().unwrap_or(1),
            page_size: PAGE_SIZE,
        })
    });
    let pairs = move || {
        vec![
            ("from", from.get_untracked()),
            ("to", to.get_untracked()),
            ("customer", customer.get_untracked()),
            ("operation", operation.get_untracked()),
            ("user", user.get_untracked()),
            ("subscription", subscription.get_untracked()),
        ]
    };
    let set = {
        let go = go.clone();
        move |key: &'static str| {
            let go = go.clone();
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                let mut pairs = pairs();
                for pair in &mut pairs {
                    if pair.0 == key {
                        pair.1 = value.clone();
                    }
                }
                go(&with_query("/activity", &pairs), true);
            }
        }
    };
    // The customer filter searches as it is typed (a list of every customer would be 10,000
    // long at scale): the first customers whose name or domain matches, one chosen by its name.
    let customer_text = RwSignal::new(String::new());
    let suggestions = fetch(move || {
        let text = customer_text.get();
        (!text.trim().is_empty()).then(|| CustomerQuery {
            text,
            page_size: 10,
            ..CustomerQuery::default()
        })
    });
    // The filtered customer's name, once the log names it (a link or a reload with ?customer=).
    Effect::new(move |_| {
        let id = CustomerId::parse(&customer.get()).ok();
        let name = log.with(|l| {
            l.and_then(|l| {
                l.customers
                    .iter()
                    .find(|c| Some(c.0) == id)
                    .map(|c| c.1.clone())
            })
        });
        if let Some(name) = name
            && customer_text.with_untracked(String::is_empty)
        {
            customer_text.set(name);
        }
    });
    // Typing narrows the suggestions; a name typed or picked in full (any case) filters by that
    // customer, and an empty box by none. Checked again when the suggestions for it arrive.
    let filter_by = {
        let go = go.clone();
        move |id: String| {
            if id != customer.get_untracked() {
                let mut pairs = pairs();
                for pair in &mut pairs {
                    if pair.0 == "customer" {
                        pair.1 = id.clone();
                    }
                }
                go(&with_query("/activity", &pairs), true);
            }
        }
    };
    Effect::new({
        let filter_by = filter_by.clone();
        move |_| {
            let typed = customer_text.with(|t| t.trim().to_lowercase());
            let chosen = suggestions.with(|s| {
                s.and_then(|s| {
                    s.rows
                        .iter()
                        .find(|r| r.customer.company_name.to_lowercase() == typed)
                        .map(|r| r.customer.id.to_string())
                })
            });
            if let Some(id) = chosen.filter(|_| !typed.is_empty()) {
                filter_by(id);
            }
        }
    });
    let choose_customer = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if text.trim().is_empty() {
            filter_by(String::new());
        }
        customer_text.set(text);
    };
    let suggested = move || {
        suggestions.with(|s| {
            s.map(|s| {
                s.rows
                    .iter()
                    .map(|r| r.customer.company_name.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        })
    };
    let users = move || log.with(|l| l.map(|l| l.users.clone()).unwrap_or_default());
    let export = Signal::derive(move || {
        Some(ActivityExport {
            filter: filter.get(),
        })
    });
    view! {
        <PageTitle title="Activity log".to_owned() />
        <h1>"Activity log"</h1>
        <p class="hint">"Every change, who made it with which role, and every refused attempt. Newest first."</p>
        <div class="toolbar filters">
            <label><span>"From"</span><input type="date" data-testid="filter-from" prop:value=move || from.get() on:change=set("from") /></label>
            <label><span>"To"</span><input type="date" data-testid="filter-to" prop:value=move || to.get() on:change=set("to") /></label>
            <label><span>"Customer"</span>
                <input type="search" data-testid="filter-customer" list="activity-customers" autocomplete="off"
                    placeholder="All customers" prop:value=move || customer_text.get() on:input=choose_customer />
                <datalist id="activity-customers">
                    <For each=suggested key=|name| name.clone() let:name>
                        <option value=name></option>
                    </For>
                </datalist>
            </label>
            <label><span>"Operation"</span>
                <select data-testid="filter-operation" prop:value=move || operation.get() on:change=set("operation")>
                    <option value="">"All operations"</option>
                    {Operation::ALL.into_iter().map(|o| view! { <option value=format!("{o:?}") selected=move || operation.get() == format!("{o:?}")>{o.label()}</option> }).collect_view()}
                </select>
            </label>
            <label><span>"User"</span>
                <select data-testid="filter-user" prop:value=move || user.get() on:change=set("user")>
                    <option value="">"Everyone"</option>
                    <option value="System">"System"</option>
                    <For each=users key=|u| u.clone() let:name>
                        <option value=name.clone() selected={let n = name.clone(); move || user.get() == n}>{name.clone()}</option>
                    </For>
                </select>
            </label>
            <ExportButton label="Export CSV" file="Activity.csv".to_owned() testid="export-activity" read=export />
        </div>
        <LoadStatus fetched=log what="the activity log" />
        <p data-testid="activity-count">{move || log.with(|l| l.map(|l| format!("{} entries match.", l.total)).unwrap_or_default())}</p>
        <ActivityTable entries=Signal::derive(move || log.with(|l| l.map(|l| l.entries.clone()).unwrap_or_default())) testid="activity-table"
            subjects=Signal::derive(move || log.with(|l| l.map(|l| Subjects { customers: l.customers.clone(), subscriptions: l.subscriptions.clone() }).unwrap_or_default())) />
        <Show when=move || log.with(|l| l.is_some_and(|l| l.page_count > 1))>
            <Pager
                page=Signal::derive(move || log.with(|l| l.map_or(1, |l| l.page)))
                page_count=Signal::derive(move || log.with(|l| l.map_or(1, |l| l.page_count)))
                total=Signal::derive(move || log.with(|l| l.map_or(0, |l| l.total)))
                noun="entries"
                on_page=Callback::new({
                    let go = go.clone();
                    move |p: usize| {
                        let mut pairs = pairs();
                        pairs.push(("page", if p > 1 { p.to_string() } else { String::new() }));
                        go(&with_query("/activity", &pairs), false);
                    }
                })
            />
        </Show>
    }
}
