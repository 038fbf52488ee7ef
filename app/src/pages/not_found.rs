use leptos::prelude::*;

/// The Page not found page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section>
            <h1>"Page not found"</h1>
        </section>
    }
}
