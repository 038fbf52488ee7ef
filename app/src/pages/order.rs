use domain::{OrderId, OrderRead, OrderedSubscription, SubscriptionStatus};
use leptos::prelude::*;

use super::{Missing, customer_param, not_found, route_param};
use crate::components::{Feedback, FeedbackLine, PageTitle, PublisherLink, StatusBadge};
use crate::source::{LoadStatus, fetch};

/// The purchase confirmation: each new subscription of the order with "Go to publisher's site".
#[component]
pub fn OrderPage() -> impl IntoView {
    let customer = customer_param();
    let order_id = route_param("order_id");
    let order = fetch(move || {
        Some(OrderRead {
            customer: customer.get()?,
            order: OrderId::parse(&order_id.get()).ok()?,
        })
    });
    let missing = move || {
        customer.get().is_none() || OrderId::parse(&order_id.get()).is_err() || not_found(&order)
    };
    let link_line: FeedbackLine = RwSignal::new(None);
    let lines = move || order.with(|o| o.map(|o| o.lines.clone()).unwrap_or_default());
    view! {
        <Show when=move || !missing() fallback=move || view! { <Missing what="Order" id=order_id.get() /> }>
            <LoadStatus fetched=order what="the order" />
            {move || order.with(|o| o.map(|o| (o.id.clone(), o.customer.clone(), o.created_by.clone()))).map(|(id, customer, created_by)| view! {
                <section class="confirmation" data-testid="order-confirmation">
                    <p class="banner banner--success" role="status">{format!("Order {id} is placed.")}</p>
                    <PageTitle title=format!("Order {id} · {}", customer.company_name) />
                    <h1>"Your purchase is confirmed"</h1>
                    <p>{format!("For {}, placed by {created_by} — order {id}.", customer.company_name)}</p>
                    <p class="hint">"Each subscription needs its publisher's setup before it can be used. Select Go to publisher's site: the publisher provides a personalized link and an authorization code. You may need to open it in a private browser window with the customer's credentials. Billing starts only after the publisher assigns licenses and confirms the setup."</p>
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead><tr><th scope="col">"Line"</th><th scope="col">"Subscription"</th><th scope="col" class="num">"Quantity"</th><th scope="col">"Status"</th><th scope="col">"Next step"</th></tr></thead>
                            <tbody>
                                <For each=lines key=|l| (l.subscription, l.status, l.activation_uri.clone(), l.nickname.clone()) let:line>
                                    <OrderLine line=line customer=customer.id link_line=link_line />
                                </For>
                            </tbody>
                        </table>
                    </div>
                    <Feedback line=link_line id="link-feedback" />
                    <p><a href=format!("/customers/{}/subscriptions", customer.id)>"Back to the customer's subscriptions"</a></p>
                </section>
            })}
        </Show>
    }
}

#[component]
fn OrderLine(
    line: OrderedSubscription,
    customer: domain::CustomerId,
    link_line: FeedbackLine,
) -> impl IntoView {
    let pending = (line.status == SubscriptionStatus::Pending).then(|| {
        view! { <PublisherLink subscription=line.subscription uri=line.activation_uri line=link_line feedback="link-feedback" /> }
    });
    view! {
        <tr data-testid="order-line">
            <td>{line.number}</td>
            <td><a href=format!("/customers/{customer}/subscriptions/{}", line.subscription)>{line.nickname}</a></td>
            <td class="num">{line.quantity}</td>
            <td><StatusBadge status=line.status /></td>
            <td>{pending}</td>
        </tr>
    }
}
