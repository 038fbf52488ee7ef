use domain::time::display;
use domain::{Applied, Command, PublisherRead, ResolvedPurchase};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{query_param, route_param};
use crate::components::{Feedback, FeedbackLine, Notice, PageTitle};
use crate::source::{Refusal, SourceKind, fetch, use_source};

/// The ISV publisher's landing page that an activation link opens (simulated inside the console so
/// the whole flow works end to end): it resolves the code, shows the purchase, takes the setup
/// information, assigns licenses and activates.
#[component]
pub fn PublisherPage() -> impl IntoView {
    let console = use_source();
    let publisher = route_param("publisher_id");
    let token = query_param("token");
    let publisher_name = move || {
        let id = publisher.get();
        PublisherRead { publisher: id }
    };
    let name = fetch(move || Some(publisher_name()));
    // The publisher resolves the code once per link it is opened with.
    let resolved: RwSignal<Option<Result<ResolvedPurchase, Refusal>>> = RwSignal::new(None);
    Effect::new(move |_| {
        let (publisher, token) = (publisher.get(), token.get());
        resolved.set(None);
        let command = Command::Resolve {
            token: token.clone(),
        };
        spawn_local(async move {
            let result = console.submit_as_publisher(publisher, token, command).await;
            resolved.set(Some(result.and_then(|applied| match applied {
                Applied::Resolved(purchase) => Ok(purchase),
                _ => Err(Refusal {
                    message: "The link could not be resolved.".into(),
                    code: None,
                }),
            })));
        });
    });
    view! {
        <div class="publisher-site">
            <PageTitle title=Signal::derive(move || format!("{} · Account setup", name.get().flatten().unwrap_or_else(|| "Publisher".into()))) />
            <header class="publisher-site__header">
                <strong>{move || name.get().flatten().unwrap_or_else(|| "Publisher".into())}</strong>
                <span class="muted">" · Account setup"</span>
            </header>
            {move || match resolved.get() {
                None => view! { <p class="feedback--working" role="status"><span class="spinner" aria-hidden="true"></span>"Checking your link…"</p> }.into_any(),
                Some(Ok(purchase)) => view! { <Setup purchase=purchase publisher=publisher.get_untracked() code=token.get_untracked() /> }.into_any(),
                Some(Err(error)) => view! { <BadLink error=error /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn BadLink(error: Refusal) -> impl IntoView {
    // A cancelled or ended subscription cannot be set up at all: no fresh link would help.
    let ended = error
        .message
        .starts_with("Only a subscription waiting for activation");
    // In-browser, the data is the browser's where the purchase was made: a code this browser does
    // not know may be a valid link opened in a private window or another browser.
    let elsewhere = use_source().kind() == SourceKind::InBrowser
        && error
            .message
            .starts_with("This activation link isn't valid");
    let title = if elsewhere {
        "This browser holds no purchase for this link"
    } else if error.message.contains("expired") {
        "This link has expired"
    } else if error.code == Some(800041) {
        "This subscription is already active"
    } else if ended {
        "This subscription can no longer be set up"
    } else {
        "This link isn't valid"
    };
    let said = if elsewhere {
        "This console keeps its data in the browser where the purchase was made, so a private window or another browser cannot see it. Open the link in that browser. If you did, a newer link has replaced this one.".to_owned()
    } else {
        error.to_string()
    };
    view! {
        <section class="card" data-testid="publisher-error">
            <h1>{title}</h1>
            <p role="alert">{said}</p>
            {if ended {
                view! {
                    <p>"If the customer still needs this product, buy it again from the customer's Subscriptions page with Add subscription."</p>
                }
                .into_any()
            } else {
                view! {
                    <h2>"How to get a fresh link"</h2>
                    <ol>
                        <li>"In Marketplace Console, open Customers and select the customer, then Subscriptions."</li>
                        <li>"On the subscription's row (Action needed), select Go to publisher's site — or Get a fresh link when the old one expired."</li>
                        <li>"Or open the subscription and select Copy activation link."</li>
                    </ol>
                }
                .into_any()
            }}
            <p><a href="/customers">"Open Marketplace Console"</a></p>
        </section>
    }
}

#[component]
fn Setup(
    purchase: ResolvedPurchase,
    publisher: String,
    /// The activation code of the link the site was opened with.
    code: String,
) -> impl IntoView {
    let console = use_source();

    let id = purchase.subscription;
    let contact = RwSignal::new(String::new());
    let emails = RwSignal::new(purchase.licenses.join("\n"));
    let assigned = RwSignal::new(purchase.licenses.len());
    let line: FeedbackLine = RwSignal::new(None);
    let activated = RwSignal::new(None::<String>);
    let (publisher_assign, code_assign) = (publisher.clone(), code.clone());
    let assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list: Vec<String> = emails
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        let n = list.len();
        line.set(Some(Notice::Working("Assigning licenses…".into())));
        let command = Command::AssignLicenses {
            subscription: id,
            emails: list,
        };
        let (publisher, code) = (publisher_assign.clone(), code_assign.clone());
        spawn_local(async move {
            let result = console.submit_as_publisher(publisher, code, command).await;
            if result.is_ok() {
                assigned.set(n);
            }
            line.set(Some(Notice::from_result(
                &result,
                format!("{n} licenses assigned."),
            )));
        });
    };
    let plan = purchase.plan_id.clone();
    let quantity = purchase.quantity;
    let activate = move |_| {
        line.set(Some(Notice::Working("Activating…".into())));
        let command = Command::Activate {
            subscription: id,
            plan_id: plan.clone(),
            quantity,
        };
        let (publisher, code) = (publisher.clone(), code.clone());
        spawn_local(async move {
            match console.submit_as_publisher(publisher, code, command).await {
                Ok(_) => {
                    line.set(None);
                    activated.set(Some(display(console.now())));
                }
                Err(e) => line.set(Some(Notice::Error(e.message))),
            }
        });
    };
    let customer_link = format!("/customers/{}/subscriptions/{id}", purchase.customer);
    view! {
        <section class="card" data-testid="publisher-setup">
            <h1>{format!("Set up {}", purchase.offer_name)}</h1>
            <dl class="facts">
                <div class="fact"><dt>"Customer"</dt><dd data-testid="publisher-customer">{format!("{} ({})", purchase.customer_name, purchase.customer_domain)}</dd></div>
                <div class="fact"><dt>"Offer"</dt><dd>{purchase.offer_name.clone()}</dd></div>
                <div class="fact"><dt>"Plan"</dt><dd>{format!("{} ({})", purchase.plan_name, purchase.plan_id)}</dd></div>
                <div class="fact"><dt>"Licenses purchased"</dt><dd data-testid="publisher-quantity">{purchase.quantity}</dd></div>
                <div class="fact"><dt>"Subscription"</dt><dd>{purchase.subscription_name.clone()}</dd></div>
            </dl>
            <Show when=move || activated.get().is_none()>
                <form class="stack" on:submit=assign.clone()>
                    <label><span>"Customer contact e-mail (for the welcome message)"</span>
                        <input type="email" data-testid="publisher-contact" prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev)) />
                    </label>
                    <label><span>{format!("Assign licenses: one e-mail address per line (up to {})", purchase.quantity)}</span>
                        <textarea rows="4" data-testid="publisher-licenses" prop:value=move || emails.get() on:input=move |ev| emails.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" data-testid="assign-licenses">"Assign licenses"</button>
                </form>
                <p>{move || format!("{} of {} licenses assigned.", assigned.get(), quantity)}</p>
                <button type="button" class="button--primary" data-testid="activate" on:click=activate.clone()>"Activate subscription"</button>
            </Show>
            <Show when=move || activated.get().is_some()>
                <p class="banner banner--success" role="status" data-testid="activated">
                    {move || format!("The subscription is active since {}. Microsoft has been told the setup is complete; billing starts now.", activated.get().unwrap_or_default())}
                </p>
                <p><a href=customer_link.clone()>"Back to the subscription in Marketplace Console"</a></p>
            </Show>
            <Feedback line=line id="publisher-feedback" />
        </section>
    }
}
