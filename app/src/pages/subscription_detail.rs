use leptos::prelude::*;

/// The Subscription page.
#[component]
pub fn SubscriptionDetailPage() -> impl IntoView {
    view! {
        <section>
            <h1>"Subscription"</h1>
        </section>
    }
}
