use domain::SubscriptionStatus;
use leptos::prelude::*;

/// A subscription's status as Partner Center labels it, as a coloured badge.
#[component]
pub fn StatusBadge(status: SubscriptionStatus) -> impl IntoView {
    view! {
        <span class=format!("status-badge status-badge--{}", status.as_str())>{status.label()}</span>
    }
}
