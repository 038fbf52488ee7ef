use chrono::TimeDelta;
use domain::export::activity_csv;
use domain::time::start_of_day;
use domain::{ActivityFilter, CustomerId, Operation, SubscriptionId};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::components::{ActivityTable, ExportButton};
use crate::console::use_console;

/// The activity log: every change, who made it with which role, old and new values, and every
/// refused attempt — filtered by date range, customer, operation and user (kept in the URL), and
/// exported as CSV.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let console = use_console();
    let go = navigator();
    let (from, to, customer, operation, user, subscription) = (
        query_param("from"),
        query_param("to"),
        query_param("customer"),
        query_param("operation"),
        query_param("user"),
        query_param("subscription"),
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
    let entries = Memo::new(move |_| {
        let filter = filter.get();
        console.read(|e| e.activity(&filter).into_iter().cloned().collect::<Vec<_>>())
    });
    let shown = Signal::derive(move || entries.get().into_iter().take(300).collect::<Vec<_>>());
    let customers = console.read(|e| {
        e.state()
            .customers
            .values()
            .map(|c| (c.id, c.company_name.clone()))
            .collect::<Vec<_>>()
    });
    let users = console.read(|e| {
        e.state()
            .partner
            .users
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
    });
    let set = move |key: &'static str| {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let mut pairs: Vec<(&str, String)> = vec![
                ("from", from.get_untracked()),
                ("to", to.get_untracked()),
                ("customer", customer.get_untracked()),
                ("operation", operation.get_untracked()),
                ("user", user.get_untracked()),
                ("subscription", subscription.get_untracked()),
            ];
            for pair in &mut pairs {
                if pair.0 == key {
                    pair.1 = value.clone();
                }
            }
            go(&with_query("/activity", &pairs), true);
        }
    };
    let make = Callback::new(move |()| Ok(activity_csv(entries.get_untracked().iter())));
    view! {
        <h1>"Activity log"</h1>
        <p class="hint">"Every change, who made it with which role, and every refused attempt. Newest first."</p>
        <div class="toolbar filters">
            <label><span>"From"</span><input type="date" data-testid="filter-from" prop:value=move || from.get() on:change=set("from") /></label>
            <label><span>"To"</span><input type="date" data-testid="filter-to" prop:value=move || to.get() on:change=set("to") /></label>
            <label><span>"Customer"</span>
                <select data-testid="filter-customer" prop:value=move || customer.get() on:change=set("customer")>
                    <option value="">"All customers"</option>
                    {customers.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=move || customer.get() == id.to_string()>{name}</option> }).collect_view()}
                </select>
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
                    {users.into_iter().map(|u| view! { <option value=u.clone() selected={let u = u.clone(); move || user.get() == u}>{u.clone()}</option> }).collect_view()}
                </select>
            </label>
            <ExportButton label="Export CSV" file="Activity.csv".to_owned() testid="export-activity" make=make />
        </div>
        <p data-testid="activity-count">{move || {
            let n = entries.with(Vec::len);
            if n > 300 { format!("{n} entries match; the newest 300 are shown (the export has them all).") } else { format!("{n} entries match.") }
        }}</p>
        <ActivityTable entries=shown testid="activity-table" />
    }
}
