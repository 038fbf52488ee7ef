use domain::time::display_date;
use domain::{Command, Subscription, SubscriptionStatus};
use leptos::prelude::*;

use super::{Missing, customer_param, navigator, query_param, route_param, with_query};
use crate::components::{ExportButton, Feedback, FeedbackLine, Notice, Pager, StatusBadge};

/// Rows per page of the Subscriptions list.
const PAGE_SIZE: usize = 25;
use crate::console::use_console;

fn status_from(text: &str) -> Option<SubscriptionStatus> {
    SubscriptionStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
}

/// "1 year, billed monthly".
pub fn term_and_billing(sub: &Subscription) -> String {
    let trial = if sub.is_trial {
        "Free trial, then "
    } else {
        ""
    };
    format!(
        "{trial}{}, billed {}",
        sub.term.label(),
        sub.billing.label().to_lowercase()
    )
}

/// "Renews 11 Mar 2027", "Ends 11 Mar 2027", "Ended 2 Feb 2026", or "Starts at activation".
pub fn renews_or_ends(sub: &Subscription) -> String {
    match (sub.status, sub.term_end(), sub.ended_at) {
        (SubscriptionStatus::Pending, ..) => "Starts at activation".into(),
        (s, _, Some(ended)) if s.is_terminal() => format!("Ended {}", display_date(ended)),
        (_, Some(end), _) if sub.auto_renew => format!("Renews {}", display_date(end)),
        (_, Some(end), _) => format!("Ends {}", display_date(end)),
        _ => String::new(),
    }
}

/// A customer's Subscriptions: the license-based SaaS subscriptions bought for it.
#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let console = use_console();
    let go = navigator();
    let customer_id = customer_param();
    let raw_id = route_param("customer_id");
    let status = query_param("status");
    let page = query_param("page");
    let go_page = go.clone();
    let customer = Memo::new(move |_| {
        customer_id
            .get()
            .and_then(|id| console.read(|e| e.customer(id).ok().cloned()))
    });
    let on_status = move |ev: leptos::ev::Event| {
        let id = raw_id.get_untracked();
        go(
            &with_query(
                &format!("/customers/{id}/subscriptions"),
                &[("status", event_target_value(&ev))],
            ),
            false,
        );
    };
    view! {
        {move || match customer.get() {
            None => view! { <Missing what="Customer" id=raw_id.get() /> }.into_any(),
            Some(customer) => {
                let id = customer.id;
                let rows = Memo::new(move |_| {
                    let filter = status_from(&status.get());
                    console.read(|e| {
                        e.customer_subscriptions(id, filter)
                            .map(|subs| subs.into_iter().cloned().collect::<Vec<_>>())
                            .unwrap_or_default()
                    })
                });
                // Only one page of rows is rendered, however many subscriptions there are.
                let page_count = Signal::derive(move || rows.with(|r| r.len().div_ceil(PAGE_SIZE).max(1)));
                let current = Signal::derive(move || page.get().parse::<usize>().unwrap_or(1).clamp(1, page_count.get()));
                let visible = move || {
                    rows.with(|r| r.iter().skip((current.get() - 1) * PAGE_SIZE).take(PAGE_SIZE).cloned().collect::<Vec<_>>())
                };
                let go_page = go_page.clone();
                let on_page = Callback::new(move |p: usize| {
                    let page = if p > 1 { p.to_string() } else { String::new() };
                    go_page(&with_query(&format!("/customers/{id}/subscriptions"), &[("status", status.get_untracked()), ("page", page)]), false);
                });
                view! {
                    <nav class="breadcrumbs" aria-label="Breadcrumb">
                        <a href="/customers">"Customers"</a>
                        <span aria-hidden="true">" / "</span>
                        <span>{customer.company_name.clone()}</span>
                    </nav>
                    <h1>{customer.company_name.clone()} <span class="subtitle">" · Subscriptions"</span></h1>
                    <p class="hint">"Any license-based subscriptions you've purchased for the customer are displayed."</p>
                    <div class="toolbar">
                        <label>
                            <span>"Status"</span>
                            <select data-testid="status-filter" on:change=on_status.clone() prop:value=move || status.get()>
                                <option value="">"All statuses"</option>
                                {SubscriptionStatus::ALL
                                    .into_iter()
                                    .map(|s| view! { <option value=s.as_str() selected=move || status.get() == s.as_str()>{s.label()}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                        <ExportButton label="Export subscriptions" file=format!("Subscriptions-{}.csv", customer.primary_domain) testid="export-subscriptions"
                            make=Callback::new(move |()| console.read(|e| domain::export::subscriptions_csv(e, id).map_err(|e| e.to_string()))) />
                        <a class="button button--primary" data-testid="add-subscription" href=format!("/customers/{id}/purchase")>
                            "Add subscription"
                        </a>
                    </div>
                    <div class="table-wrap">
                        <table class="data-table" data-testid="subscriptions-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Subscription"</th>
                                    <th scope="col">"Offer"</th>
                                    <th scope="col">"Publisher"</th>
                                    <th scope="col" class="num">"Quantity"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Term and billing"</th>
                                    <th scope="col">"Renews or ends on"</th>
                                    <th scope="col">"Reseller"</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=visible key=|s| (s.id, s.version) let:sub>
                                    <SubscriptionRow sub=sub />
                                </For>
                            </tbody>
                        </table>
                    </div>
                    <Show when=move || rows.with(Vec::is_empty)>
                        <p class="empty" data-testid="no-subscriptions">"No subscriptions match. Add one with Add subscription."</p>
                    </Show>
                    <Show when=move || { page_count.get() > 1 }>
                        <Pager page=current page_count=page_count total=Signal::derive(move || rows.with(Vec::len)) noun="subscriptions" on_page=on_page />
                    </Show>
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn SubscriptionRow(sub: Subscription) -> impl IntoView {
    let console = use_console();
    let (offer, plan, publisher) = console.read(|e| {
        let (o, p) = e.offer_and_plan(&sub);
        (o.name.clone(), p.name.clone(), o.publisher_name.clone())
    });
    let reseller = sub.reseller.as_ref().map(|r| {
        let name = console.read(|e| e.state().partner.reseller(r).map(|x| x.name.clone()));
        format!("{r}{}", name.map(|n| format!(" · {n}")).unwrap_or_default())
    });
    let detail = format!("/customers/{}/subscriptions/{}", sub.customer, sub.id);
    view! {
        <tr data-testid="subscription-row" data-subscription=sub.id.to_string()>
            <td><a href=detail>{sub.nickname.to_string()}</a></td>
            <td>{offer} <span class="muted">{format!(" · {plan}")}</span></td>
            <td>{publisher}</td>
            <td class="num">{sub.quantity}</td>
            <td>
                <StatusBadge status=sub.status />
                {(sub.status == SubscriptionStatus::Pending).then(|| view! { <PublisherLink sub=sub.clone() /> })}
            </td>
            <td>{term_and_billing(&sub)}</td>
            <td>{renews_or_ends(&sub)}</td>
            <td>{reseller.unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

/// "Go to publisher's site" for a pending subscription: the personalized link while its code is
/// valid, or a button that gets a fresh one.
#[component]
pub fn PublisherLink(sub: Subscription) -> impl IntoView {
    let console = use_console();
    let id = sub.id;
    let line: FeedbackLine = RwSignal::new(None);
    let link = move || {
        let now = console.now();
        console.read(|e| {
            let s = e.subscription(id).ok()?;
            let code = s.activation.as_ref().filter(|a| a.expires_at > now)?;
            let landing = &e.offer_and_plan(s).0.landing_url;
            Some(format!("{landing}?token={}", code.code))
        })
    };
    let refresh = move |_| {
        line.set(Some(Notice::Working("Getting a fresh link…".into())));
        console.submit(
            Command::ActivationLink { subscription: id },
            None,
            move |result| {
                line.set(Some(Notice::from_result(
                    &result,
                    "A fresh link is ready: it works for 24 hours.",
                )));
            },
        );
    };
    let feedback_id = format!("link-feedback-{id}");
    view! {
        <span class="publisher-link">
            {move || match link() {
                Some(href) => view! {
                    <a href=href target="_blank" rel="noopener" data-testid="go-to-publisher">
                        "Go to publisher's site"
                    </a>
                }
                .into_any(),
                None => view! {
                    <button type="button" class="link-button" data-testid="fresh-link" on:click=refresh>
                        "Get a fresh link to the publisher's site"
                    </button>
                }
                .into_any(),
            }}
            <Feedback line=line id=feedback_id />
        </span>
    }
}
