use domain::SubscriptionStatus;
use leptos::prelude::*;

/// Customers: the partner's customer list, the console's home page.
#[component]
pub fn CustomersPage() -> impl IntoView {
    view! {
        <section aria-labelledby="customers-title">
            <h1 id="customers-title">"Customers"</h1>
            <h2>"Subscription statuses"</h2>
            <ul class="status-legend" data-testid="status-legend">
                {SubscriptionStatus::ALL
                    .into_iter()
                    .map(|status| {
                        view! {
                            <li>
                                <span class=format!(
                                    "status-badge status-badge--{}",
                                    status.as_str(),
                                )>{status.label()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
