use domain::{
    Applied, BillingFrequency, CartLine, CartLineCheck, CatalogItemId, Command, CustomerId, Money,
    Nickname, Offer, PriceOption, PurchaseRead, ResellerPartnerId, Term, parse_quantity,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Missing, customer_param, navigator, not_found, route_param};
use crate::components::{Blocked, Feedback, FeedbackLine, Notice, PageTitle};
use crate::source::{LoadStatus, Refusal, fetch, use_source};

fn price_label(p: &PriceOption) -> String {
    format!(
        "{} term, billed {} — {}",
        p.term.label(),
        p.billing.label().to_lowercase(),
        p.billing.price_words(p.unit_price)
    )
}

fn option_key(term: Term, billing: BillingFrequency) -> String {
    format!("{}:{}", term.as_str(), billing.as_str())
}

/// A line in the cart, with what the page shows of it.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    line: CartLine,
    offer: String,
    plan: String,
    price: PriceOption,
}

/// Add subscription: browse the catalog for a customer, choose plan, term, billing and quantity
/// with the price shown, review the cart and buy.
#[component]
pub fn PurchasePage() -> impl IntoView {
    let customer_id = customer_param();
    let raw = route_param("customer_id");
    let view = fetch(move || customer_id.get().map(|customer| PurchaseRead { customer }));
    let missing = move || customer_id.get().is_none() || not_found(&view);
    view! {
        <Show when=move || !missing() fallback=move || view! { <Missing what="Customer" id=raw.get() /> }>
            <LoadStatus fetched=view what="the catalog" />
            {move || view.get().map(|answer| view! { <Purchase answer=answer /> })}
        </Show>
    }
}

/// The catalog and the cart for one customer, as the page's read answered.
#[component]
fn Purchase(answer: domain::PurchaseView) -> impl IntoView {
    let source = use_source();
    let go = navigator();
    let customer_id = answer.customer.id;
    let c = answer.customer;
    let search = RwSignal::new(String::new());
    let publisher = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let cart: RwSignal<Vec<Chosen>> = RwSignal::new(Vec::new());
    let line: FeedbackLine = RwSignal::new(None);
    let placed_cart: RwSignal<Option<domain::CartId>> = RwSignal::new(None);
    // A changed cart is a new purchase.
    Effect::new(move |_| {
        cart.track();
        placed_cart.set(None);
    });
    let purchase_blocked = Signal::stored(answer.blocked_because);
    let catalog = answer.catalog;
    let publishers: Vec<String> = catalog.publishers().into_iter().map(String::from).collect();
    let categories: Vec<String> = catalog.categories().into_iter().map(String::from).collect();
    let offers = Memo::new(move |_| {
        let text = search.get().to_lowercase();
        let (p, c) = (publisher.get(), category.get());
        catalog
            .offers
            .iter()
            .filter(|o| {
                text.is_empty()
                    || o.name.to_lowercase().contains(&text)
                    || o.description.to_lowercase().contains(&text)
                    || o.publisher_name.to_lowercase().contains(&text)
            })
            .filter(|o| p.is_empty() || o.publisher_name == p)
            .filter(|o| c.is_empty() || o.category == c)
            .cloned()
            .collect::<Vec<_>>()
    });
    let buy = move |_| {
        let customer = customer_id;
        let lines: Vec<CartLine> = cart.get_untracked().into_iter().map(|c| c.line).collect();
        line.set(Some(Notice::Working("Placing the order…".into())));
        let go = go.clone();
        spawn_local(async move {
            // The cart made for these lines is kept, so trying again after a failed checkout
            // checks the same cart out: a purchase never happens twice.
            let made = match placed_cart.get_untracked() {
                Some(made) => made,
                None => match source
                    .submit(Command::CreateCart { customer, lines }, None)
                    .await
                {
                    Ok(Applied::Cart(made)) => {
                        placed_cart.set(Some(made));
                        made
                    }
                    Ok(_) => return,
                    Err(e) => return line.set(Some(Notice::Error(e.message))),
                },
            };
            let checkout = Command::Checkout {
                customer,
                cart: made,
            };
            match source.submit(checkout, None).await {
                Ok(Applied::Order(order)) => {
                    cart.set(Vec::new());
                    placed_cart.set(None);
                    go(&format!("/customers/{customer}/orders/{}", order.id), false);
                }
                Ok(_) => {}
                Err(e) => line.set(Some(Notice::Error(e.message))),
            }
        });
    };
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/customers">"Customers"</a>
            <span aria-hidden="true">" / "</span>
            <a href=format!("/customers/{}/subscriptions", c.id)>{c.company_name.clone()}</a>
            <span aria-hidden="true">" / "</span>
            <span>"Add subscription"</span>
        </nav>
        <PageTitle title=format!("{} · Add subscription", c.company_name) />
        <h1>"Add subscription for " {c.company_name.clone()}</h1>
        <Blocked reason=purchase_blocked id="purchase-blocked" />
        <div class="purchase">
            <section aria-labelledby="catalog-title" class="purchase__catalog">
                <h2 id="catalog-title">"Commercial marketplace SaaS offers"</h2>
                <div class="toolbar">
                    <label class="search"><span>"Search offers"</span>
                        <input type="search" data-testid="offer-search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                    </label>
                    <label><span>"Publisher"</span>
                        <select data-testid="publisher-filter" on:change=move |ev| publisher.set(event_target_value(&ev))>
                            <option value="">"All publishers"</option>
                            {publishers.into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label><span>"Category"</span>
                        <select data-testid="category-filter" on:change=move |ev| category.set(event_target_value(&ev))>
                            <option value="">"All categories"</option>
                            {categories.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <For each=move || offers.get() key=|o| o.id.clone() let:offer>
                    <OfferCard offer=offer customer=customer_id cart=cart blocked=purchase_blocked />
                </For>
                <Show when=move || offers.with(Vec::is_empty)>
                    <p class="empty">"No offer matches. Clear the search or the filters."</p>
                </Show>
            </section>
            <section aria-labelledby="cart-title" class="purchase__cart card" data-testid="cart">
                <h2 id="cart-title">"Review"</h2>
                <Show when=move || cart.with(Vec::is_empty)>
                    <p class="empty">"Add an offer to the cart to review it here."</p>
                </Show>
                <ul class="cart-lines">
                    {move || cart.get().into_iter().enumerate().map(|(i, c)| view! {
                        <li data-testid="cart-line">
                            <strong>{c.offer.clone()}</strong>{format!(" · {} · {} licenses", c.plan, c.line.quantity)}
                            <br/>
                            <span class="muted">{price_label(&c.price)}{if c.line.free_trial { " · first month free" } else { "" }}</span>
                            <br/>
                            {format!("First charge at activation: {}", if c.line.free_trial { Money::zero(c.price.unit_price.currency) } else { c.price.unit_price.times(c.line.quantity as i64) })}
                            <button type="button" class="link-button" on:click=move |_| cart.update(|l| { l.remove(i); })>"Remove"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="hint">"Nothing is charged until the publisher activates each subscription."</p>
                <button type="button" class="button--primary" data-testid="buy" disabled=move || cart.with(Vec::is_empty) || purchase_blocked.with(Option::is_some) on:click=buy>"Buy"</button>
                <Feedback line=line id="buy-feedback" />
            </section>
        </div>
    }
}

#[component]
fn OfferCard(
    offer: Offer,
    customer: CustomerId,
    cart: RwSignal<Vec<Chosen>>,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let source = use_source();
    let first_plan = offer.plans[0].clone();
    let plan_id = RwSignal::new(first_plan.id.to_string());
    let option = RwSignal::new(option_key(
        first_plan.prices[0].term,
        first_plan.prices[0].billing,
    ));
    let quantity = RwSignal::new(first_plan.min_quantity.to_string());
    let trial = RwSignal::new(false);
    let nickname = RwSignal::new(String::new());
    let reseller = RwSignal::new(String::new());
    let line: FeedbackLine = RwSignal::new(None);
    let offer = StoredValue::new(offer);
    let plan = move || {
        offer.with_value(|o| {
            o.plans
                .iter()
                .find(|p| p.id.as_str() == plan_id.get())
                .cloned()
                .unwrap_or_else(|| o.plans[0].clone())
        })
    };
    let price = move || {
        let p = plan();
        p.prices
            .iter()
            .find(|x| option_key(x.term, x.billing) == option.get())
            .copied()
            .unwrap_or(p.prices[0])
    };
    let testid = offer.with_value(|o| format!("offer-{}", o.id));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = plan();
        let price = price();
        let built = (|| -> Result<Chosen, Refusal> {
            let quantity = parse_quantity(&quantity.get_untracked())?;
            let nickname = match nickname.get_untracked().trim() {
                "" => None,
                text => Some(Nickname::parse(text)?),
            };
            let reseller = match reseller.get_untracked().trim() {
                "" => None,
                text => Some(ResellerPartnerId::parse(text)?),
            };
            let chosen = Chosen {
                line: CartLine {
                    item: offer.with_value(|o| CatalogItemId {
                        offer: o.id.clone(),
                        plan: p.id.clone(),
                        availability: p.availability.clone(),
                    }),
                    term: price.term,
                    billing: price.billing,
                    quantity,
                    free_trial: trial.get_untracked() && p.free_trial,
                    nickname,
                    reseller,
                },
                offer: offer.with_value(|o| o.name.clone()),
                plan: p.name.clone(),
                price,
            };
            Ok(chosen)
        })();
        let chosen = match built {
            Ok(chosen) => chosen,
            Err(e) => return line.set(Some(Notice::Error(e.message))),
        };
        // Every purchase rule is the engine's: the line is checked before it goes in the cart.
        spawn_local(async move {
            let check = CartLineCheck {
                customer,
                line: chosen.line.clone(),
            };
            match source.read(check).await {
                Ok(()) => {
                    cart.update(|c| c.push(chosen));
                    line.set(Some(Notice::Success("Added to the cart.".into())));
                }
                Err(e) => line.set(Some(Notice::Error(e.message))),
            }
        });
    };
    let fid = format!("{testid}-feedback");
    view! {
        <article class="card offer" data-testid=testid.clone()>
            <h3>{offer.with_value(|o| o.name.clone())}</h3>
            <p class="muted">{offer.with_value(|o| format!("{} · {}", o.publisher_name, o.category))}</p>
            <p>{offer.with_value(|o| o.description.clone())}</p>
            <form class="offer__form" on:submit=add>
                <label><span>"Plan"</span>
                    <select data-testid="plan" on:change=move |ev| {
                        plan_id.set(event_target_value(&ev));
                        let p = plan();
                        option.set(option_key(p.prices[0].term, p.prices[0].billing));
                        quantity.set(p.min_quantity.to_string());
                    }>
                        {offer.with_value(|o| o.plans.iter().map(|p| view! { <option value=p.id.to_string()>{p.name.clone()}</option> }).collect_view())}
                    </select>
                </label>
                <label><span>"Term and billing frequency"</span>
                    <select data-testid="price-option" prop:value=move || option.get() on:change=move |ev| option.set(event_target_value(&ev))>
                        {move || plan().prices.into_iter().map(|p| view! { <option value=option_key(p.term, p.billing)>{price_label(&p)}</option> }).collect_view()}
                    </select>
                </label>
                <label><span>{move || { let p = plan(); format!("Quantity ({}–{})", p.min_quantity, p.max_quantity) }}</span>
                    <input type="text" inputmode="numeric" data-testid="purchase-quantity" prop:value=move || quantity.get() on:input=move |ev| quantity.set(event_target_value(&ev)) />
                </label>
                <Show when=move || plan().free_trial>
                    <label class="checkbox"><input type="checkbox" data-testid="free-trial" prop:checked=move || trial.get() on:change=move |ev| trial.set(event_target_checked(&ev)) />"Start with a one-month free trial"</label>
                </Show>
                <label><span>"Nickname (optional)"</span>
                    <input type="text" data-testid="purchase-nickname" prop:value=move || nickname.get() on:input=move |ev| nickname.set(event_target_value(&ev)) />
                </label>
                <label><span>"Indirect reseller PartnerID (optional)"</span>
                    <input type="text" inputmode="numeric" data-testid="purchase-reseller" prop:value=move || reseller.get() on:input=move |ev| reseller.set(event_target_value(&ev)) />
                </label>
                <p class="price" data-testid="price">{move || {
                    let p = price();
                    match parse_quantity(&quantity.get()) {
                        Ok(q) => format!("{} × {} = {} per {}", q, p.unit_price, p.unit_price.times(q as i64), p.billing.period_word()),
                        Err(_) => p.billing.price_words(p.unit_price),
                    }
                }}</p>
                <button type="submit" data-testid="add-to-cart" disabled=move || blocked.with(Option::is_some)>"Add to cart"</button>
            </form>
            <Feedback line=line id=fid />
        </article>
    }
}
