use domain::time::display;
use domain::{ActivityEntry, CustomerId, Outcome, SubscriptionId};
use leptos::prelude::*;

/// The names of what the entries are about, for the Customer and Subscription columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subjects {
    /// Customers by id, with their company names.
    pub customers: Vec<(CustomerId, String)>,
    /// Subscriptions by id, with their nicknames.
    pub subscriptions: Vec<(SubscriptionId, String)>,
}

/// Activity log entries as a table: when, who with which role, what (and, with `subjects`, which
/// customer and subscription, each a link), the change, and whether it was done or refused (with
/// the message the user saw).
#[component]
pub fn ActivityTable(
    /// The entries, newest first.
    #[prop(into)]
    entries: Signal<Vec<ActivityEntry>>,
    /// The table's test id.
    testid: &'static str,
    /// The names of the entries' customers and subscriptions: with them the table has Customer
    /// and Subscription columns (a subscription's own log leaves them out).
    #[prop(optional, into)]
    subjects: Option<Signal<Subjects>>,
) -> impl IntoView {
    let named = subjects.is_some();
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid=testid>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"Who"</th>
                    {named.then(|| view! { <th scope="col">"Customer"</th><th scope="col">"Subscription"</th> })}
                    <th scope="col">"Operation"</th><th scope="col">"Change"</th><th scope="col">"Result"</th>
                </tr></thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.seq let:entry>
                        <ActivityRow entry=entry subjects=subjects />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ActivityRow(entry: ActivityEntry, subjects: Option<Signal<Subjects>>) -> impl IntoView {
    let who = match entry.actor.role {
        Some(role) => format!("{} ({})", entry.actor.name, role.label()),
        None => entry.actor.name.clone(),
    };
    let change = match (&entry.old, &entry.new) {
        (Some(o), Some(n)) if !o.is_empty() => format!("{o} → {n}"),
        (_, Some(n)) => n.clone(),
        _ => String::new(),
    };
    let result = match &entry.outcome {
        Outcome::Succeeded => "Done".to_owned(),
        Outcome::Denied { message, .. } => format!("Refused: {message}"),
    };
    let (customer, subscription) = (entry.customer, entry.subscription);
    let subject_cells = subjects.map(|subjects| {
        let customer_cell = move || {
            let id = customer?;
            let name = subjects.with(|s| s.customers.iter().find(|c| c.0 == id).map(|c| c.1.clone()));
            Some(view! {
                <a href=format!("/customers/{id}/subscriptions")>{name.unwrap_or_else(|| id.to_string())}</a>
            })
        };
        let subscription_cell = move || {
            let (customer, id) = (customer?, subscription?);
            let name = subjects.with(|s| s.subscriptions.iter().find(|x| x.0 == id).map(|x| x.1.clone()));
            Some(view! {
                <a href=format!("/customers/{customer}/subscriptions/{id}")>{name.unwrap_or_else(|| id.to_string())}</a>
            })
        };
        view! {
            <td data-testid="activity-customer">{customer_cell}</td>
            <td data-testid="activity-subscription">{subscription_cell}</td>
        }
    });
    view! {
        <tr>
            <td>{display(entry.at)}</td>
            <td>{who}</td>
            {subject_cells}
            <td>{entry.operation.label()}</td>
            <td>{change}</td>
            <td>{result}</td>
        </tr>
    }
}
