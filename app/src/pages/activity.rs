use domain::{ActivityFilter, CustomerId, SubscriptionId};
use leptos::prelude::*;

use super::query_param;
use crate::components::ActivityTable;
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
        <ActivityTable entries=Signal::derive(entries) testid="activity-table" />
    }
}
