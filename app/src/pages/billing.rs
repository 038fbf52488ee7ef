use leptos::prelude::*;

/// The Billing page.
#[component]
pub fn BillingPage() -> impl IntoView {
    view! {
        <section>
            <h1>"Billing"</h1>
        </section>
    }
}
