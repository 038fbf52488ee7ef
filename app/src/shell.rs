use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::pages::{
    activity::ActivityPage, billing::BillingPage, customers::CustomersPage, not_found::NotFound,
    subscription_detail::SubscriptionDetailPage, subscriptions::SubscriptionsPage,
};

/// The product's name, shown in the header and the document title.
pub const PRODUCT_NAME: &str = "Marketplace Console";

/// The whole console: header, navigation and the routed pages.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="shell-header" data-testid="shell-header">
                <a class="shell-header__brand" href="/">
                    {PRODUCT_NAME}
                </a>
                <nav class="shell-header__nav" aria-label="Main">
                    <A href="/customers">"Customers"</A>
                    <A href="/billing">"Billing"</A>
                    <A href="/activity">"Activity log"</A>
                </nav>
            </header>
            <main class="shell-main" id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=CustomersPage />
                    <Route path=path!("/customers") view=CustomersPage />
                    <Route
                        path=path!("/customers/:customer_id/subscriptions")
                        view=SubscriptionsPage
                    />
                    <Route
                        path=path!("/customers/:customer_id/subscriptions/:subscription_id")
                        view=SubscriptionDetailPage
                    />
                    <Route path=path!("/billing") view=BillingPage />
                    <Route path=path!("/activity") view=ActivityPage />
                </Routes>
            </main>
        </Router>
    }
}
