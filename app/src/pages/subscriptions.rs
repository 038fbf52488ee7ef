use leptos::prelude::*;

/// The Subscriptions page.
#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    view! {
        <section>
            <h1>"Subscriptions"</h1>
        </section>
    }
}
