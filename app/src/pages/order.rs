use domain::{Order, SubscriptionStatus};
use leptos::prelude::*;

use super::subscriptions::PublisherLink;
use super::{Missing, customer_param, route_param};
use crate::components::StatusBadge;
use crate::console::use_console;

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
    let lines = order.lines.clone();
    view! {
        <section class="confirmation" data-testid="order-confirmation">
            <p class="banner banner--success" role="status">{format!("Order {} is placed.", order.id)}</p>
            <h1>"Your purchase is confirmed"</h1>
            <p>{format!("For {customer}, placed by {} — order {}.", order.created_by, order.id)}</p>
            <p class="hint">"Each subscription needs its publisher's setup before it can be used. Select Go to publisher's site: the publisher provides a personalized link and an authorization code. You may need to open it in a private browser window with the customer's credentials. Billing starts only after the publisher assigns licenses and confirms the setup."</p>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr><th scope="col">"Line"</th><th scope="col">"Subscription"</th><th scope="col" class="num">"Quantity"</th><th scope="col">"Status"</th><th scope="col">"Next step"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|line| {
                            let sub = console.read(|e| e.subscription(line.subscription).ok().cloned());
                            sub.map(|sub| view! {
                                <tr data-testid="order-line">
                                    <td>{line.number}</td>
                                    <td><a href=format!("/customers/{}/subscriptions/{}", sub.customer, sub.id)>{sub.nickname.to_string()}</a></td>
                                    <td class="num">{line.quantity}</td>
                                    <td><StatusBadge status=sub.status /></td>
                                    <td>{(sub.status == SubscriptionStatus::Pending).then(|| view! { <PublisherLink sub=sub.clone() /> })}</td>
                                </tr>
                            })
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p><a href=format!("/customers/{}/subscriptions", order.customer)>"Back to the customer's subscriptions"</a></p>
        </section>
    }
}
