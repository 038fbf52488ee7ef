use std::fmt::Write;

use domain::time::{display, display_date};
use domain::{
    Action, ActionState, Applied, BillingFrequency, Charge, Command, Customer, Nickname, Offer,
    Plan, PlanId, ResellerPartnerId, SetupTask, Subscription, SubscriptionId, SubscriptionStatus,
    parse_quantity,
};
use leptos::prelude::*;

use super::subscriptions::PublisherLink;
use super::{Missing, customer_param, route_param, subscription_param};
use crate::components::{ActivityTable, Blocked, Feedback, FeedbackLine, Notice, StatusBadge};
use crate::console::{Console, use_console};
use crate::html::escape;

/// What the detail page shows, owned, for this user at this time.
#[derive(Debug, Clone, PartialEq)]
struct View {
    sub: Subscription,
    customer: Customer,
    offer: Offer,
    plan: Plan,
    until: Option<domain::Timestamp>,
    time_left: Option<String>,
    actions: Vec<ActionState>,
    refund: domain::Money,
}

impl View {
    fn blocked(&self, action: Action) -> Option<String> {
        self.actions
            .iter()
            .find(|a| a.action == action)
            .and_then(|a| a.blocked_because.clone())
    }
}

fn load(console: Console, id: SubscriptionId) -> Option<View> {
    let actor = console.actor();
    let now = console.now();
    console.read(|e| {
        let d = e.subscription_detail(&actor, now, id).ok()?;
        Some(View {
            refund: e.refund_on_cancel(d.subscription),
            sub: d.subscription.clone(),
            customer: d.customer.clone(),
            offer: d.offer.clone(),
            plan: d.plan.clone(),
            until: d.cancellation_allowed_until,
            time_left: d.cancellation_time_left,
            actions: d.actions,
        })
    })
}

/// Sends a change of this subscription with the version the user is looking at, shows progress
/// on `line`, then the engine's answer; `then` runs after a success (the page already shows the
/// new values).
fn change(
    console: Console,
    v: Signal<View>,
    line: FeedbackLine,
    command: Command,
    success: impl FnOnce() -> String + 'static,
    then: impl FnOnce() + 'static,
) {
    line.set(Some(Notice::Working("Saving…".into())));
    let version = v.with_untracked(|v| v.sub.version);
    console.submit(command, Some(version), move |result| match result {
        Ok(_) => {
            line.set(Some(Notice::Success(success())));
            then();
        }
        Err(refusal) => line.set(Some(Notice::Error(refusal.message))),
    });
}

/// A subscription's detail: its facts and every action the seed lists, each enabled or disabled
/// with the engine's reason.
#[component]
pub fn SubscriptionDetailPage() -> impl IntoView {
    let console = use_console();
    let id = subscription_param();
    let customer = customer_param();
    let raw = route_param("subscription_id");
    // A subscription is found only under its own customer's address.
    let view_memo = Memo::new(move |_| {
        id.get()
            .and_then(|id| load(console, id))
            .filter(|v| Some(v.sub.customer) == customer.get())
    });
    // The page is built once per subscription; its parts follow the changes.
    let shown = Memo::new(move |_| view_memo.with(|v| v.as_ref().map(|v| v.sub.id)));
    let page = move || match shown.get() {
        None => view! { <Missing what="Subscription" id=raw.get() /> }.into_any(),
        Some(_) => {
            let first = view_memo.get_untracked().expect("shown");
            let id = first.sub.id;
            // A memo, so each part borrows the view instead of cloning it at every read.
            let v: Signal<View> = Memo::new(move |_| view_memo.get().expect("exists")).into();
            let blocked =
                move |action: Action| Signal::derive(move || v.with(|v| v.blocked(action)));
            view! {
                <nav class="breadcrumbs" aria-label="Breadcrumb">
                    <a href="/customers">"Customers"</a>
                    <span aria-hidden="true">" / "</span>
                    <a href=format!("/customers/{}/subscriptions", first.customer.id)>{first.customer.company_name.clone()}</a>
                    <span aria-hidden="true">" / "</span>
                    <span>"Subscription"</span>
                </nav>
                <h1 data-testid="subscription-title">
                    {move || v.with(|v| v.sub.nickname.to_string())} " "
                    {move || view! { <StatusBadge status=v.with(|v| v.sub.status) /> }}
                </h1>
                <Facts v=v />
                <Show when=move || v.with(|v| v.sub.status == SubscriptionStatus::Pending)>
                    <ActionNeeded v=v blocked_setup=blocked(Action::RecordSetupTask) />
                </Show>
                <div class="cards">
                    <NicknameCard id=id v=v blocked=blocked(Action::Rename) />
                    <QuantityCard id=id v=v blocked=blocked(Action::ChangeQuantity) />
                    <AutoRenewCard id=id v=v blocked=blocked(Action::SetAutoRenew) />
                    <ResellerCard id=id v=v blocked=blocked(Action::SetReseller) />
                    <CancelCard id=id v=v blocked=blocked(Action::Cancel) />
                    <NextTermCard id=id v=v blocked=blocked(Action::ScheduleChange) blocked_withdraw=blocked(Action::WithdrawChange) />
                </div>
                <SubscriptionCharges id=id />
                <SubscriptionActivity id=id />
            }
            .into_any()
        }
    };
    view! { <div class="page">{page}</div> }
}

#[component]
fn Facts(v: Signal<View>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">"Subscription details"</h2>
            <dl class="facts" inner_html=move || v.with(facts_html)></dl>
        </section>
    }
}

/// The subscription's facts, each a term and its value (HTML).
fn facts_html(v: &View) -> String {
    let sub = &v.sub;
    let window = match (sub.status, v.until, &v.time_left) {
        (SubscriptionStatus::Pending, ..) => {
            "Any time before activation (nothing is billed yet)".to_owned()
        }
        (_, Some(until), Some(left)) => format!("{} ({left} left)", display(until)),
        (_, Some(until), None) => format!("{} (closed)", display(until)),
        _ => "—".to_owned(),
    };
    let facts = [
        ("Offer", "offer", v.offer.name.clone()),
        ("Plan", "plan", v.plan.name.clone()),
        ("Publisher", "publisher", v.offer.publisher_name.clone()),
        ("Quantity", "quantity", format!("{} licenses", sub.quantity)),
        ("Term and billing", "term", sub.term_and_billing()),
        (
            "Price",
            "price",
            format!("{} per license per billing period", sub.unit_price),
        ),
        (
            "Start date",
            "start",
            sub.activated_at
                .map_or("At activation".into(), display_date),
        ),
        ("Renews or ends on", "renewal", sub.renews_or_ends()),
        ("Cancellation allowed until", "window", window),
        (
            "Auto-renew",
            "auto-renew",
            if sub.auto_renew { "On" } else { "Off" }.to_owned(),
        ),
        ("Subscription ID", "id", sub.id.to_string()),
        ("Order ID", "order", sub.order_id.to_string()),
        ("Catalog item ID", "item", sub.item.to_string()),
        (
            "Customer",
            "customer",
            format!(
                "{} ({})",
                v.customer.company_name, v.customer.primary_domain
            ),
        ),
    ];
    let mut html = String::new();
    for (label, testid, value) in facts {
        let _ = write!(
            html,
            "<div class=\"fact\"><dt>{label}</dt><dd data-testid=\"fact-{testid}\">{}</dd></div>",
            escape(&value)
        );
    }
    html
}

#[component]
fn ActionNeeded(v: Signal<View>, blocked_setup: Signal<Option<String>>) -> impl IntoView {
    let console = use_console();
    let copy_line: FeedbackLine = RwSignal::new(None);
    let sub = v.get_untracked().sub;
    let id = sub.id;
    let copy = move |_| {
        console.submit(Command::ActivationLink { subscription: id }, None, move |result| match result {
            Ok(Applied::Link(link)) => {
                let absolute = web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .map_or(link.uri.clone(), |origin| format!("{origin}{}", link.uri));
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&absolute);
                }
                copy_line.set(Some(Notice::Success(format!(
                    "Copied. Paste it into a private browser window and sign in with the customer's credentials. It works until {}.",
                    display(link.expires_at)
                ))));
            }
            Ok(_) => {}
            Err(e) => copy_line.set(Some(Notice::Error(e.to_string()))),
        });
    };
    view! {
        <section class="card card--attention" aria-labelledby="action-needed-title" data-testid="action-needed">
            <h2 id="action-needed-title">"Action needed: set up the subscription with the publisher"</h2>
            <p>"The publisher provides a personalized link and an authorization code that identifies this purchase. Billing starts only after the publisher assigns licenses and confirms the setup."</p>
            <p class="actions-row">
                <PublisherLink sub=sub />
                <button type="button" data-testid="copy-link" on:click=copy>"Copy activation link"</button>
            </p>
            <Feedback line=copy_line id="copy-feedback" />
            <h3>"Your tasks as the CSP partner"</h3>
            <ul class="checklist">
                {SetupTask::ALL.into_iter().map(|task| view! { <SetupTaskItem v=v task=task blocked=blocked_setup /> }).collect_view()}
            </ul>
            <Blocked reason=blocked_setup id="setup-blocked" />
        </section>
    }
}

#[component]
fn SetupTaskItem(
    v: Signal<View>,
    task: SetupTask,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let line: FeedbackLine = RwSignal::new(None);
    let record = move || v.with(|v| v.sub.setup_tasks.iter().find(|r| r.task == task).cloned());
    let on_change = move |ev: leptos::ev::Event| {
        let done = event_target_checked(&ev);
        let subscription = v.get_untracked().sub.id;
        let command = Command::RecordSetupTask {
            subscription,
            task,
            done,
        };
        console.submit(command, None, move |result| {
            line.set(result.err().map(|e| Notice::Error(e.message)));
        });
    };
    let fid = format!("task-feedback-{task:?}");
    view! {
        <li>
            <label>
                <input type="checkbox" prop:checked=move || record().is_some() disabled=move || blocked.with(Option::is_some) on:change=on_change />
                {task.label()}
            </label>
            {move || record().map(|r| view! { <span class="muted">{format!(" — done by {} on {}", r.by, display(r.at))}</span> })}
            <Feedback line=line id=fid />
        </li>
    }
}

/// A card with a heading, the control, its feedback and why it is blocked.
#[component]
fn Card(title: &'static str, testid: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="card" data-testid=testid aria-label=title>
            <h2>{title}</h2>
            {children()}
        </section>
    }
}

#[component]
fn NicknameCard(
    id: SubscriptionId,
    v: Signal<View>,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let typed = RwSignal::new(v.get_untracked().sub.nickname.to_string());
    let line: FeedbackLine = RwSignal::new(None);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Nickname::parse(&typed.get_untracked()) {
            Err(e) => line.set(Some(Notice::Error(e.to_string()))),
            Ok(nickname) => change(
                console,
                v,
                line,
                Command::Rename {
                    subscription: id,
                    nickname,
                },
                || "Nickname changed.".into(),
                move || typed.set(v.get_untracked().sub.nickname.to_string()),
            ),
        }
    };
    view! {
        <Card title="Nickname" testid="nickname-card">
            <form on:submit=save class="inline-form">
                <label for="nickname-input">"Subscription nickname"</label>
                <input
                    id="nickname-input"
                    data-testid="nickname-input"
                    type="text"
                    maxlength="200"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    disabled=move || blocked.with(Option::is_some)
                    aria-describedby="nickname-feedback nickname-blocked"
                />
                <button type="submit" data-testid="nickname-save" disabled=move || blocked.with(Option::is_some)>"Save"</button>
            </form>
            <Feedback line=line id="nickname-feedback" />
            <Blocked reason=blocked id="nickname-blocked" />
        </Card>
    }
}

#[component]
fn QuantityCard(
    id: SubscriptionId,
    v: Signal<View>,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let typed = RwSignal::new(v.get_untracked().sub.quantity.to_string());
    let line: FeedbackLine = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let before = v.get_untracked().sub.quantity;
        match parse_quantity(&typed.get_untracked()) {
            Err(e) => line.set(Some(Notice::Error(e.to_string()))),
            Ok(quantity) => change(
                console,
                v,
                line,
                Command::ChangeQuantity {
                    subscription: id,
                    quantity,
                },
                move || {
                    let after = v.get_untracked().sub.quantity;
                    let charge =
                        console.read(|e| e.subscription_charges(id).last().map(|c| c.amount));
                    let money = charge.map_or(String::new(), |m| {
                        if m.minor >= 0 {
                            format!(" {m} is charged for the rest of this billing period.")
                        } else {
                            format!(
                                " {} is credited for the rest of this billing period.",
                                m.negated()
                            )
                        }
                    });
                    format!("Quantity changed from {before} to {after} licenses.{money}")
                },
                || {},
            ),
        }
    };
    let bounds = move || {
        v.with(|v| {
            format!(
                "{} to {} licenses for {}",
                v.plan.min_quantity, v.plan.max_quantity, v.plan.name
            )
        })
    };
    view! {
        <Card title="Quantity" testid="quantity-card">
            <p class="hint">"Increase or decrease the number of licenses. Changes are prorated for the rest of the billing period."</p>
            <form on:submit=submit class="inline-form">
                <label for="quantity-input">"Quantity"</label>
                <input
                    id="quantity-input"
                    data-testid="quantity-input"
                    type="text"
                    inputmode="numeric"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    disabled=move || blocked.with(Option::is_some)
                    aria-describedby="quantity-bounds quantity-feedback quantity-blocked"
                />
                <button type="submit" data-testid="quantity-submit" disabled=move || blocked.with(Option::is_some)>"Submit"</button>
            </form>
            <p class="hint" id="quantity-bounds">{bounds}</p>
            <Feedback line=line id="quantity-feedback" />
            <Blocked reason=blocked id="quantity-blocked" />
        </Card>
    }
}

#[component]
fn AutoRenewCard(
    id: SubscriptionId,
    v: Signal<View>,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let line: FeedbackLine = RwSignal::new(None);
    let on_change = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        line.set(Some(Notice::Working("Saving…".into())));
        let version = v.with_untracked(|v| v.sub.version);
        let command = Command::SetAutoRenew {
            subscription: id,
            on,
        };
        console.submit(command, Some(version), move |result| {
            let text = if on {
                "Auto-renew is on: a new term starts at term end.".to_owned()
            } else {
                format!(
                    "Auto-renew is off: the subscription ends on {}.",
                    v.with_untracked(|v| v.sub.term_end().map(display_date).unwrap_or_default())
                )
            };
            line.set(Some(Notice::from_result(&result, text)));
            // Put the box back to what the subscription really is.
            input.set_checked(v.with_untracked(|v| v.sub.auto_renew));
        });
    };
    view! {
        <Card title="Auto-renew" testid="auto-renew-card">
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-testid="auto-renew"
                    prop:checked=move || v.with(|v| v.sub.auto_renew)
                    disabled=move || blocked.with(Option::is_some)
                    on:change=on_change
                    aria-describedby="auto-renew-feedback auto-renew-blocked"
                />
                "Renew automatically at term end"
            </label>
            <p class="hint">{move || v.with(|v| if v.sub.auto_renew { "When the term ends, a new term starts and is charged.".to_owned() } else { "When the term ends, the subscription expires.".to_owned() })}</p>
            <Feedback line=line id="auto-renew-feedback" />
            <Blocked reason=blocked id="auto-renew-blocked" />
        </Card>
    }
}

#[component]
fn ResellerCard(
    id: SubscriptionId,
    v: Signal<View>,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let typed = RwSignal::new(
        v.get_untracked()
            .sub
            .reseller
            .map(|r| r.to_string())
            .unwrap_or_default(),
    );
    let line: FeedbackLine = RwSignal::new(None);
    let resellers = console.read(|e| e.state().partner.resellers.clone());
    let apply = move |text: String| {
        let parsed = if text.trim().is_empty() {
            Ok(None)
        } else {
            ResellerPartnerId::parse(&text).map(Some)
        };
        let reseller = match parsed {
            Ok(reseller) => reseller,
            Err(e) => return line.set(Some(Notice::Error(e.to_string()))),
        };
        let clearing = reseller.is_none();
        change(
            console,
            v,
            line,
            Command::SetReseller {
                subscription: id,
                reseller,
            },
            move || match v.with_untracked(|v| v.sub.reseller.clone()) {
                Some(r) => format!("Indirect reseller PartnerID set to {r}."),
                None => "Indirect reseller PartnerID cleared.".to_owned(),
            },
            move || {
                if clearing {
                    typed.set(String::new());
                }
            },
        );
    };
    view! {
        <Card title="Indirect reseller" testid="reseller-card">
            <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); apply(typed.get_untracked()); }>
                <label for="reseller-input">"Indirect reseller PartnerID"</label>
                <input
                    id="reseller-input"
                    data-testid="reseller-input"
                    type="text"
                    inputmode="numeric"
                    list="resellers"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    disabled=move || blocked.with(Option::is_some)
                    aria-describedby="reseller-feedback reseller-blocked"
                />
                <datalist id="resellers">
                    {resellers.into_iter().filter(|r| r.authorized).map(|r| view! { <option value=r.partner_id.to_string()>{r.name}</option> }).collect_view()}
                </datalist>
                <button type="submit" data-testid="reseller-save" disabled=move || blocked.with(Option::is_some)>"Save"</button>
                <button type="button" data-testid="reseller-clear" disabled=move || blocked.with(Option::is_some) || v.with(|v| v.sub.reseller.is_none()) on:click=move |_| apply(String::new())>"Clear"</button>
            </form>
            <Feedback line=line id="reseller-feedback" />
            <Blocked reason=blocked id="reseller-blocked" />
        </Card>
    }
}

#[component]
fn CancelCard(
    id: SubscriptionId,
    v: Signal<View>,
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let open = RwSignal::new(false);
    let steps_done = RwSignal::new(false);
    let line: FeedbackLine = RwSignal::new(None);
    // Keyboard users land on the safe choice when the dialog opens.
    let keep_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = keep_button.get()
        {
            let _ = button.focus();
        }
    });
    let confirm = move |_| {
        let command = Command::Cancel {
            subscription: id,
            steps_confirmed: steps_done.get_untracked(),
        };
        change(
            console,
            v,
            line,
            command,
            || "The subscription is cancelled.".into(),
            move || open.set(false),
        );
    };
    let consequence = move || {
        v.with(|v| {
            if v.sub.status == SubscriptionStatus::Pending {
                "It is cancelled now. Nothing has been billed, so there is nothing to refund."
                    .to_owned()
            } else {
                format!(
                    "It ends now and the current term's charges are refunded in full ({}).",
                    v.refund
                )
            }
        })
    };
    view! {
        <Card title="Cancel subscription" testid="cancel-card">
            <p class="hint">"You can cancel during the cancellation period, which depends on the term."</p>
            <button
                type="button"
                class="button--danger"
                data-testid="cancel-open"
                disabled=move || blocked.with(Option::is_some)
                aria-describedby="cancel-blocked"
                on:click=move |_| { steps_done.set(false); open.set(true); }
            >
                "Cancel subscription"
            </button>
            <Feedback line=line id="cancel-feedback" />
            <Blocked reason=blocked id="cancel-blocked" />
            <Show when=move || open.get()>
                <div class="dialog-backdrop">
                    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="cancel-title" data-testid="cancel-dialog"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }>
                        <h2 id="cancel-title">{move || format!("Cancel {}?", v.with(|v| v.sub.nickname.to_string()))}</h2>
                        <p>{consequence}</p>
                        {move || v.with(|v| v.offer.steps_before_cancel.clone()).map(|steps| view! {
                            <div class="publisher-steps">
                                <h3>"The publisher asks you to do this first"</h3>
                                <p>{steps}</p>
                                <label class="checkbox">
                                    <input type="checkbox" data-testid="steps-confirmed" prop:checked=move || steps_done.get() on:change=move |ev| steps_done.set(event_target_checked(&ev)) />
                                    "I completed the publisher's steps"
                                </label>
                            </div>
                        })}
                        <div class="dialog__buttons">
                            <button type="button" class="button--danger" data-testid="cancel-confirm" on:click=confirm>"Cancel subscription"</button>
                            <button type="button" data-testid="cancel-keep" node_ref=keep_button on:click=move |_| open.set(false)>"Keep subscription"</button>
                        </div>
                        <Feedback line=line id="cancel-dialog-feedback" />
                    </div>
                </div>
            </Show>
        </Card>
    }
}

#[component]
fn NextTermCard(
    id: SubscriptionId,
    v: Signal<View>,
    blocked: Signal<Option<String>>,
    blocked_withdraw: Signal<Option<String>>,
) -> impl IntoView {
    let console = use_console();
    let first = v.get_untracked();
    let plan = RwSignal::new(first.plan.id.to_string());
    let billing = RwSignal::new(first.sub.billing.as_str().to_owned());
    let line: FeedbackLine = RwSignal::new(None);
    let schedule = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let plan_id = PlanId::parse(&plan.get_untracked());
        let freq = BillingFrequency::ALL
            .into_iter()
            .find(|b| b.as_str() == billing.get_untracked());
        let command = Command::ScheduleChange {
            subscription: id,
            plan: plan_id,
            billing: freq,
        };
        change(
            console,
            v,
            line,
            command,
            || "Change scheduled for the next term.".into(),
            || {},
        );
    };
    let withdraw = move |_| {
        let command = Command::WithdrawChange { subscription: id };
        change(
            console,
            v,
            line,
            command,
            || "The scheduled change was withdrawn.".into(),
            || {},
        );
    };
    let scheduled = move || {
        v.with(|v| {
            let change = v.sub.scheduled.as_ref()?;
            let plan = change
                .plan
                .as_ref()
                .and_then(|p| v.offer.plan(p))
                .map_or_else(|| v.plan.name.clone(), |p| p.name.clone());
            let billing = change.billing.unwrap_or(v.sub.billing);
            let from = v
                .sub
                .term_end()
                .map(|end| display_date(end + chrono::TimeDelta::seconds(1)));
            Some(format!(
                "From {}: {plan}, billed {}",
                from.unwrap_or_default(),
                billing.label().to_lowercase()
            ))
        })
    };
    view! {
        <Card title="Other actions: next term" testid="next-term-card">
            <p class="hint">"Change the billing frequency or the plan from the next term. The change applies at renewal and can be withdrawn until then."</p>
            <form class="inline-form" on:submit=schedule>
                <label for="next-plan">"Plan"</label>
                <select id="next-plan" data-testid="next-plan" prop:value=move || plan.get() on:change=move |ev| plan.set(event_target_value(&ev)) disabled=move || blocked.with(Option::is_some)>
                    {first.offer.plans.iter().map(|p| view! { <option value=p.id.to_string()>{format!("{} ({}–{} licenses)", p.name, p.min_quantity, p.max_quantity)}</option> }).collect_view()}
                </select>
                <label for="next-billing">"Billing frequency"</label>
                <select id="next-billing" data-testid="next-billing" prop:value=move || billing.get() on:change=move |ev| billing.set(event_target_value(&ev)) disabled=move || blocked.with(Option::is_some)>
                    {BillingFrequency::ALL.into_iter().map(|b| view! { <option value=b.as_str()>{b.label()}</option> }).collect_view()}
                </select>
                <button type="submit" data-testid="schedule-change" disabled=move || blocked.with(Option::is_some)>"Schedule change"</button>
            </form>
            <Show when=move || scheduled().is_some()>
                <p data-testid="scheduled-change"><strong>"Scheduled: "</strong>{move || scheduled().unwrap_or_default()}</p>
                <button type="button" data-testid="withdraw-change" disabled=move || blocked_withdraw.with(Option::is_some) on:click=withdraw>"Withdraw scheduled change"</button>
            </Show>
            <Feedback line=line id="next-term-feedback" />
            <Blocked reason=blocked id="next-term-blocked" />
        </Card>
    }
}

#[component]
fn SubscriptionCharges(id: SubscriptionId) -> impl IntoView {
    let console = use_console();
    let rows = Memo::new(move |_| console.read(|e| charge_rows_html(&e.subscription_charges(id))));
    view! {
        <section class="card" aria-labelledby="charges-title" data-testid="subscription-charges">
            <h2 id="charges-title">"Charges"</h2>
            <Show
                when=move || !rows.with(String::is_empty)
                fallback=|| view! {
                    <p class="empty" data-testid="no-charges">"Nothing has been charged: billing starts when the publisher activates the subscription."</p>
                }
            >
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Posted"</th><th scope="col">"Charge type"</th><th scope="col">"Period"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Amount"</th><th scope="col">"Invoice"</th></tr></thead>
                        <tbody inner_html=move || rows.get()></tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// The subscription's charges as table rows (HTML).
fn charge_rows_html(charges: &[&Charge]) -> String {
    let mut html = String::new();
    for c in charges {
        let _ = write!(
            html,
            "<tr data-testid=\"charge-row\"><td>{}</td><td>{}</td><td>{} – {}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            display(c.posted_at),
            c.charge_type.as_str(),
            display_date(c.period_start),
            display_date(c.period_end),
            c.quantity,
            c.amount,
            escape(c.invoice.as_deref().unwrap_or("Unbilled")),
        );
    }
    html
}

#[component]
fn SubscriptionActivity(id: SubscriptionId) -> impl IntoView {
    let console = use_console();
    let entries = move || {
        console.read(|e| {
            e.activity(&domain::ActivityFilter {
                subscription: Some(id),
                ..Default::default()
            })
            .into_iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="activity-title" data-testid="subscription-activity">
            <h2 id="activity-title">"This subscription's activity"</h2>
            <ActivityTable entries=Signal::derive(entries) testid="subscription-activity-table" />
            <p><a href=format!("/activity?subscription={id}")>"Open in the activity log"</a></p>
        </section>
    }
}
