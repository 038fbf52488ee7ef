use leptos::prelude::*;

/// The page for a URL the console does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="empty-state" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"The console has no page at this address."</p>
            <p><a href="/customers">"Go to Customers"</a></p>
        </section>
    }
}
