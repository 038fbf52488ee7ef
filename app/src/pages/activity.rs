use leptos::prelude::*;

/// The Activity log page.
#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <section>
            <h1>"Activity log"</h1>
        </section>
    }
}
