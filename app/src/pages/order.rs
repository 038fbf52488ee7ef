use std::fmt::Write;

use domain::{Engine, Order, SubscriptionStatus, Timestamp};
use leptos::prelude::*;

use super::subscriptions::fresh_link_clicks;
use super::{Missing, customer_param, route_param};
use crate::components::{Feedback, FeedbackLine};
use crate::console::use_console;
use crate::html::{self, escape};

/// The purchase confirmation: each new subscription of the order with "Go to publisher's site".
#[component]
pub fn OrderPage() -> impl IntoView {
    let console = use_console();
    let customer = customer_param();
    let order_id = route_param("order_id");
    let order = Memo::new(move |_| {
        let id = order_id.get();
        let customer = customer.get()?;
        console.read(|e| {
            e.state()
                .orders
                .iter()
                .rev()
                .find(|o| o.id.as_str() == id && o.customer == customer)
                .cloned()
        })
    });
    move || match order.get() {
        None => view! { <Missing what="Order" id=order_id.get() /> }.into_any(),
        Some(order) => view! { <Confirmation order=order /> }.into_any(),
    }
}

#[component]
fn Confirmation(order: Order) -> impl IntoView {
    let console = use_console();
    let customer = console.read(|e| {
        e.customer(order.customer)
            .map(|c| c.company_name.clone())
            .unwrap_or_default()
    });
    let link_line: FeedbackLine = RwSignal::new(None);
    let (id, created_by, customer_id) =
        (order.id.clone(), order.created_by.clone(), order.customer);
    // Written again when a link is renewed or the clock moves (the lines' links follow both).
    let rows = move || {
        let now = console.now();
        console.read(|e| rows_html(e, &order, now))
    };
    view! {
        <section class="confirmation" data-testid="order-confirmation">
            <p class="banner banner--success" role="status">{format!("Order {id} is placed.")}</p>
            <h1>"Your purchase is confirmed"</h1>
            <p>{format!("For {customer}, placed by {created_by} — order {id}.")}</p>
            <p class="hint">"Each subscription needs its publisher's setup before it can be used. Select Go to publisher's site: the publisher provides a personalized link and an authorization code. You may need to open it in a private browser window with the customer's credentials. Billing starts only after the publisher assigns licenses and confirms the setup."</p>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr><th scope="col">"Line"</th><th scope="col">"Subscription"</th><th scope="col" class="num">"Quantity"</th><th scope="col">"Status"</th><th scope="col">"Next step"</th></tr></thead>
                    <tbody inner_html=rows on:click=fresh_link_clicks(console, link_line)></tbody>
                </table>
            </div>
            <Feedback line=link_line id="link-feedback" />
            <p><a href=format!("/customers/{customer_id}/subscriptions")>"Back to the customer's subscriptions"</a></p>
        </section>
    }
}

/// The order's lines as table rows (HTML): each subscription with its status and, while it waits
/// for activation, its publisher's link.
fn rows_html(engine: &Engine, order: &Order, now: Timestamp) -> String {
    let mut html = String::new();
    for line in &order.lines {
        let Ok(sub) = engine.subscription(line.subscription) else {
            continue;
        };
        let _ = write!(
            html,
            "<tr data-testid=\"order-line\"><td>{}</td>\
             <td><a href=\"/customers/{}/subscriptions/{}\">{}</a></td>\
             <td class=\"num\">{}</td><td>",
            line.shown_number(),
            sub.customer,
            sub.id,
            escape(sub.nickname.as_str()),
            line.quantity
        );
        html::status_badge(&mut html, sub.status);
        html.push_str("</td><td>");
        if sub.status == SubscriptionStatus::Pending {
            let href = engine.valid_activation_uri(sub.id, now);
            html::publisher_link(&mut html, href.as_deref(), sub.id, "link-feedback");
        }
        html.push_str("</td></tr>");
    }
    html
}
