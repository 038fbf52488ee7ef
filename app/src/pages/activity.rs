use domain::time::display;
use domain::{ActivityFilter, CustomerId, Outcome, SubscriptionId};
use leptos::prelude::*;

use super::query_param;
use crate::console::use_console;

/// The activity log: who changed what and when, and what was refused.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let console = use_console();
    let subscription = query_param("subscription");
    let customer = query_param("customer");
    let entries = move || {
        let filter = ActivityFilter {
            subscription: SubscriptionId::parse(&subscription.get()).ok(),
            customer: CustomerId::parse(&customer.get()).ok(),
            ..ActivityFilter::default()
        };
        console.read(|e| {
            e.activity(&filter)
                .into_iter()
                .take(200)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>"Activity log"</h1>
        <p class="hint">"Every change, who made it with which role, and every refused attempt. Newest first."</p>
        <div class="table-wrap">
            <table class="data-table" data-testid="activity-table">
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Operation"</th><th scope="col">"Old"</th><th scope="col">"New"</th><th scope="col">"Result"</th></tr></thead>
                <tbody>
                    <For each=entries key=|e| e.seq let:entry>
                        <tr>
                            <td>{display(entry.at)}</td>
                            <td>{entry.actor.name.clone()}{entry.actor.role.map(|r| format!(" ({})", r.label()))}</td>
                            <td>{entry.operation.label()}</td>
                            <td>{entry.old.clone().unwrap_or_default()}</td>
                            <td>{entry.new.clone().unwrap_or_default()}</td>
                            <td>{match &entry.outcome {
                                Outcome::Succeeded => "Done".to_owned(),
                                Outcome::Denied { message, .. } => format!("Refused: {message}"),
                            }}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
