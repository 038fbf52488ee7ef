use leptos::prelude::*;

use crate::components::PageTitle;

/// The page for a URL the console does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="empty-state" data-testid="not-found">
            <PageTitle title="Page not found".to_owned() />
            <h1>"Page not found"</h1>
            <p>"The console has no page at this address."</p>
            <p><a href="/customers">"Go to Customers"</a></p>
        </section>
    }
}
