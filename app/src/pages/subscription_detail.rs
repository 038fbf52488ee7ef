use domain::time::{display, display_date};
use domain::{
    Action, Applied, BillingFrequency, Command, Nickname, PlanId, ResellerPartnerId, Restricted,
    SetupTask, SubscriptionId, SubscriptionRead, SubscriptionStatus, SubscriptionView, UpdateError,
    parse_quantity,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Missing, customer_param, not_found, route_param, subscription_param};
use crate::components::{
    ActionCard, ActivityTable, Blocked, Feedback, FeedbackLine, Gate, Notice, PageTitle,
    PublisherLink, StatusBadge,
};
use crate::source::{LoadStatus, Source, SourceKind, fetch, use_source};

/// A subscription's detail: its facts and every action the seed lists, each usable or blocked
/// with the engine's reason. The subscription is read for the signed-in user, and read again
/// when someone changes it; what the user is typing is never replaced by that.
#[component]
pub fn SubscriptionDetailPage() -> impl IntoView {
    let customer = customer_param();
    let id = subscription_param();
    let raw = route_param("subscription_id");
    let detail = fetch(move || {
        Some(SubscriptionRead {
            customer: customer.get()?,
            subscription: id.get()?,
        })
    });
    let missing = move || customer.get().is_none() || id.get().is_none() || not_found(&detail);
    // The page is built once per subscription; its parts follow the answers.
    let shown = Memo::new(move |_| detail.with(|d| d.map(|d| d.subscription.id)));
    view! {
        <div class="page">
            <Show when=move || !missing() fallback=move || view! { <Missing what="Subscription" id=raw.get() /> }>
                <LoadStatus fetched=detail what="the subscription" />
                {move || shown.get().map(|id| {
                    let v = Memo::new(move |last: Option<&SubscriptionView>| {
                        detail.get().or_else(|| last.cloned()).expect("shown only once read")
                    });
                    view! { <Detail v=v id=id /> }
                })}
            </Show>
        </div>
    }
}

/// A value the user may be typing, over the value the page shows: while the user has typed
/// something, that stays, whatever the page reads meanwhile.
#[derive(Clone, Copy)]
struct Draft {
    /// What the user typed, since their last change was made.
    typed: RwSignal<Option<String>>,
    /// The value shown when they started typing.
    seen: RwSignal<String>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            typed: RwSignal::new(None),
            seen: RwSignal::new(String::new()),
        }
    }

    /// What the control shows: what was typed, or else `current`.
    fn value(self, current: String) -> String {
        self.typed.get().unwrap_or(current)
    }

    /// The user typed `text` over `current`.
    fn input(self, text: String, current: String) {
        if self.typed.get_untracked().is_none() {
            self.seen.set(current);
        }
        self.typed.set(Some(text));
    }

    /// The user's change was made: the control shows the page's value again.
    fn done(self) {
        self.typed.set(None);
    }

    /// The value changed under what the user is typing: the new value, to show beside it.
    fn changed_meanwhile(self, current: String) -> Option<String> {
        let typed = self.typed.get()?;
        (self.seen.get() != current && typed != current).then_some(current)
    }
}

/// Says that the value changed while the user was typing, by whom, and what it is now.
#[component]
fn Meanwhile(
    /// The new value, when it changed under what the user typed.
    #[prop(into)]
    changed: Signal<Option<String>>,
    /// Who changed the subscription last.
    #[prop(into)]
    by: Signal<String>,
) -> impl IntoView {
    move || {
        changed.get().map(|now| {
            view! {
                <p class="banner banner--warning" role="status" data-testid="changed-meanwhile">
                    {format!("{} changed this subscription meanwhile: this is now \u{201c}{now}\u{201d}. What you typed is kept; save it to replace that.", by.get())}
                </p>
            }
        })
    }
}

/// The detail of one subscription, following its answers.
#[component]
fn Detail(v: Memo<SubscriptionView>, id: SubscriptionId) -> impl IntoView {
    let source = use_source();
    let page = Page { source, v, id };
    let pending =
        Memo::new(move |_| v.with(|v| v.subscription.status == SubscriptionStatus::Pending));
    view! {
        <Title v=v />
        // A refusal of the user's role that blocks several actions, told once; each blocked
        // control points here.
        {move || v.with(|v| v.note.clone()).map(|note| view! {
            <p class="banner banner--warning" role="note" id="role-note" data-testid="role-note">
                <strong>"Partner Center's note: "</strong>{note}
            </p>
        })}
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">"Subscription details"</h2>
            <Facts v=v />
        </section>
        <Show when=move || pending.get()>
            <ActionNeeded page=page />
        </Show>
        <div class="cards">
            <NicknameCard page=page />
            <QuantityCard page=page />
            <AutoRenewCard page=page />
            <ResellerCard page=page />
            <CancelCard page=page />
            <NextTermCard page=page />
        </div>
        <section class="card" aria-labelledby="charges-title" data-testid="subscription-charges">
            <h2 id="charges-title">"Charges"</h2>
            <Charges v=v />
        </section>
        <section class="card" aria-labelledby="activity-title" data-testid="subscription-activity">
            <h2 id="activity-title">"This subscription's activity"</h2>
            <ActivityTable entries=Signal::derive(move || v.with(|v| v.activity.clone())) testid="subscription-activity-table" />
            <p><a href=format!("/activity?subscription={id}")>"Open in the activity log"</a></p>
        </section>
    }
}

/// What the page's parts share: the source, the answer shown and the subscription.
#[derive(Clone, Copy)]
struct Page {
    source: Source,
    v: Memo<SubscriptionView>,
    id: SubscriptionId,
}

impl Page {
    /// The gate of a card: why its action is blocked, from the answer.
    fn gate(self, name: &'static str, action: Action) -> Gate {
        let v = self.v;
        Gate::new(
            name,
            Signal::derive(move || v.with(|v| v.blocked_because(action).map(str::to_owned))),
        )
    }

    /// Who changed the subscription last: the change the source was told of, or else its
    /// activity's latest entry.
    fn last_changed_by(self) -> Signal<String> {
        let (v, source, id) = (self.v, self.source, self.id);
        Signal::derive(move || {
            let told = source
                .last_change()
                .filter(|c| c.subscription.is_none_or(|s| s == id))
                .map(|c| c.by);
            told.unwrap_or_else(|| {
                v.with(|v| {
                    v.activity
                        .first()
                        .map_or_else(|| "Someone".to_owned(), |e| e.actor.name.clone())
                })
            })
        })
    }

    /// Sends a change of this subscription with the version the user is looking at, shows
    /// progress on the card's line, then the engine's answer: `success` makes the message from
    /// the subscription as it is after the change; `after` runs with whether it was made.
    fn change(
        self,
        line: FeedbackLine,
        command: Command,
        success: impl FnOnce(&SubscriptionView) -> String + 'static,
        after: impl FnOnce(bool) + 'static,
    ) {
        line.set(Some(Notice::Working("Saving…".into())));
        let version = self.v.with_untracked(|v| v.subscription.version);
        let read = SubscriptionRead {
            customer: self.v.with_untracked(|v| v.customer.id),
            subscription: self.id,
        };
        let source = self.source;
        spawn_local(async move {
            match source.submit(command, Some(version)).await {
                Ok(_) => {
                    let message = match source.read(read).await {
                        Ok(now) => success(&now),
                        Err(_) => "Saved.".to_owned(),
                    };
                    line.set(Some(Notice::Success(message)));
                    after(true);
                }
                Err(refusal) => {
                    line.set(Some(Notice::Error(refusal.message)));
                    after(false);
                }
            }
        });
    }
}

/// The breadcrumbs and the title: the nickname and the status.
#[component]
fn Title(v: Memo<SubscriptionView>) -> impl IntoView {
    let customer = move || v.with(|v| (v.customer.id, v.customer.company_name.clone()));
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/customers">"Customers"</a>
            <span aria-hidden="true">" / "</span>
            <a href=move || format!("/customers/{}/subscriptions", customer().0)>{move || customer().1}</a>
            <span aria-hidden="true">" / "</span>
            <span>"Subscription"</span>
        </nav>
        <PageTitle title=Signal::derive(move || format!("{} · {}", v.with(|v| v.subscription.nickname.to_string()), customer().1)) />
        <h1 data-testid="subscription-title">
            {move || v.with(|v| v.subscription.nickname.to_string())} " "
            {move || { let status = v.with(|v| v.subscription.status); view! { <StatusBadge status=status /> } }}
        </h1>
    }
}

/// The subscription's facts, each a term and its value.
#[component]
fn Facts(v: Memo<SubscriptionView>) -> impl IntoView {
    let facts = move || {
        v.with(|v| {
            let sub = &v.subscription;
            let window = match (
                sub.status,
                v.cancellation_allowed_until,
                &v.cancellation_time_left,
            ) {
                (SubscriptionStatus::Pending, ..) => {
                    "Any time before activation (nothing is billed yet)".to_owned()
                }
                (_, Some(until), Some(left)) => format!("{} ({left} left)", display(until)),
                (_, Some(until), None) => format!("{} (closed)", display(until)),
                _ => "—".to_owned(),
            };
            [
                ("Offer", "offer", v.offer.name.clone()),
                ("Plan", "plan", v.plan.name.clone()),
                ("Publisher", "publisher", v.offer.publisher_name.clone()),
                ("Quantity", "quantity", format!("{} licenses", sub.quantity)),
                ("Term and billing", "term", sub.term_and_billing()),
                ("Price", "price", sub.billing.price_words(sub.unit_price)),
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
            ]
        })
    };
    view! {
        <dl class="facts">
            <For each=facts key=|fact| fact.clone() let:fact>
                <div class="fact"><dt>{fact.0}</dt><dd data-testid=format!("fact-{}", fact.1)>{fact.2}</dd></div>
            </For>
        </dl>
    }
}

/// What a pending subscription needs: the publisher's setup, with its link, the copy button and
/// the partner's tasks.
#[component]
fn ActionNeeded(page: Page) -> impl IntoView {
    let Page { source, v, id } = page;
    let link_line: FeedbackLine = RwSignal::new(None);
    let uri = Memo::new(move |_| v.with(|v| v.activation_uri.clone()));
    let copy = move |_| {
        spawn_local(async move {
            let result = source
                .submit(Command::ActivationLink { subscription: id }, None)
                .await;
            link_line.set(Some(match result {
                Ok(Applied::Link(link)) => {
                    let shared = source.shareable_link(&link.uri);
                    if let Some(w) = web_sys::window() {
                        let _ = w.navigator().clipboard().write_text(&shared);
                    }
                    let until = display(link.expires_at);
                    Notice::Success(match source.kind() {
                        SourceKind::Server => format!(
                            "Copied. Paste it into a private browser window and sign in with the customer's credentials. It works until {until}."
                        ),
                        SourceKind::InBrowser => format!(
                            "Copied. This console keeps its data in this browser only, so open the link here: a private window or another browser cannot see the purchase. It works until {until}."
                        ),
                    })
                }
                Ok(_) => Notice::Error("The server did not answer with a link.".into()),
                Err(refusal) => Notice::Error(refusal.message),
            }));
        });
    };
    let gate = page.gate("setup", Action::RecordSetupTask);
    let task_line = gate.line;
    let tasks = SetupTask::ALL
        .into_iter()
        .enumerate()
        .map(|(i, task)| {
            let record = move || {
                v.with(|v| {
                    v.subscription
                        .setup_tasks
                        .iter()
                        .find(|r| r.task == task)
                        .cloned()
                })
            };
            let toggle = move |ev: leptos::ev::MouseEvent| {
                if !gate.open() {
                    ev.prevent_default();
                    return;
                }
                let done = event_target_checked(&ev);
                let input: web_sys::HtmlInputElement = event_target(&ev);
                let command = Command::RecordSetupTask {
                    subscription: id,
                    task,
                    done,
                };
                spawn_local(async move {
                    let result = source.submit(command, None).await;
                    if result.is_err() {
                        // Refused, the box goes back.
                        input.set_checked(!done);
                    }
                    task_line.set(result.err().map(|r| Notice::Error(r.message)));
                });
            };
            view! {
                <li>
                    <label>
                        <input type="checkbox" data-testid=format!("setup-task-{i}")
                            prop:checked=move || record().is_some()
                            aria-disabled=gate.aria_disabled()
                            aria-describedby="setup-feedback setup-blocked"
                            on:click=toggle />
                        {task.label()}
                    </label>
                    {move || record().map(|r| view! { <span class="muted">{format!(" — done by {} on {}", r.by, display(r.at))}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card card--attention" aria-labelledby="action-needed-title" data-testid="action-needed">
            <h2 id="action-needed-title">"Action needed: set up the subscription with the publisher"</h2>
            <p>"The publisher provides a personalized link and an authorization code that identifies this purchase. Billing starts only after the publisher assigns licenses and confirms the setup."</p>
            <p class="actions-row">
                {move || view! { <PublisherLink subscription=id uri=uri.get() line=link_line feedback="copy-feedback" /> }}
                " "
                <button type="button" data-testid="copy-link" aria-describedby="copy-feedback" on:click=copy>"Copy activation link"</button>
            </p>
            <Feedback line=link_line id="copy-feedback" />
            <h3>"Your tasks as the CSP partner"</h3>
            <ul class="checklist">{tasks}</ul>
            <Blocked reason=gate.reason id="setup-blocked" />
            <Feedback line=task_line id="setup-feedback" />
        </section>
    }
}

#[component]
fn NicknameCard(page: Page) -> impl IntoView {
    let v = page.v;
    let gate = page.gate("nickname", Action::Rename);
    let draft = Draft::new();
    let current = move || v.with(|v| v.subscription.nickname.to_string());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !gate.open() {
            return;
        }
        let typed = draft.value(current());
        match Nickname::parse(&typed) {
            Err(e) => gate.line.set(Some(Notice::Error(e.to_string()))),
            Ok(nickname) => page.change(
                gate.line,
                Command::Rename {
                    subscription: page.id,
                    nickname,
                },
                |_| "Nickname changed.".into(),
                move |made| {
                    if made {
                        draft.done();
                    }
                },
            ),
        }
    };
    view! {
        <ActionCard name="nickname" title="Nickname" gate=gate>
            <form class="inline-form" on:submit=save>
                <label for="nickname-input">"Subscription nickname"</label>
                <input id="nickname-input" data-testid="nickname-input" type="text"
                    prop:value=move || draft.value(current())
                    on:input=move |ev| draft.input(event_target_value(&ev), current())
                    readonly=move || gate.reason.with(Option::is_some)
                    aria-disabled=gate.aria_disabled() aria-invalid=gate.aria_invalid() aria-describedby=gate.described_by() />
                <button type="submit" data-testid="nickname-save" aria-disabled=gate.aria_disabled() aria-describedby=gate.described_by()>"Save"</button>
            </form>
            <Meanwhile changed=Signal::derive(move || draft.changed_meanwhile(current())) by=page.last_changed_by() />
        </ActionCard>
    }
}

#[component]
fn QuantityCard(page: Page) -> impl IntoView {
    let v = page.v;
    let gate = page.gate("quantity", Action::ChangeQuantity);
    let draft = Draft::new();
    let current = move || v.with(|v| v.subscription.quantity.to_string());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !gate.open() {
            return;
        }
        let before = v.with_untracked(|v| v.subscription.quantity);
        match parse_quantity(&draft.value(current())) {
            Err(e) => gate.line.set(Some(Notice::Error(e.to_string()))),
            Ok(quantity) => page.change(
                gate.line,
                Command::ChangeQuantity {
                    subscription: page.id,
                    quantity,
                },
                move |now| {
                    let after = now.subscription.quantity;
                    let charge = now.charges.shown().and_then(|c| c.last()).map(|c| c.amount);
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
                move |made| {
                    if made {
                        draft.done();
                    }
                },
            ),
        }
    };
    view! {
        <ActionCard name="quantity" title="Quantity" gate=gate>
            <p class="hint">"Increase or decrease the number of licenses. Changes are prorated for the rest of the billing period."</p>
            <form class="inline-form" on:submit=save>
                <label for="quantity-input">"Quantity"</label>
                <input id="quantity-input" data-testid="quantity-input" type="text" inputmode="numeric"
                    prop:value=move || draft.value(current())
                    on:input=move |ev| draft.input(event_target_value(&ev), current())
                    readonly=move || gate.reason.with(Option::is_some)
                    aria-disabled=gate.aria_disabled() aria-invalid=gate.aria_invalid()
                    aria-describedby="quantity-bounds quantity-feedback quantity-blocked" />
                <button type="submit" data-testid="quantity-submit" aria-disabled=gate.aria_disabled() aria-describedby=gate.described_by()>"Submit"</button>
            </form>
            <p class="hint" id="quantity-bounds">
                {move || v.with(|v| format!("{} to {} licenses for {}", v.plan.min_quantity, v.plan.max_quantity, v.plan.name))}
            </p>
            <Meanwhile changed=Signal::derive(move || draft.changed_meanwhile(current())) by=page.last_changed_by() />
        </ActionCard>
    }
}

#[component]
fn AutoRenewCard(page: Page) -> impl IntoView {
    let v = page.v;
    let gate = page.gate("auto-renew", Action::SetAutoRenew);
    let on = move || v.with(|v| v.subscription.auto_renew);
    let toggle = move |ev: leptos::ev::MouseEvent| {
        if !gate.open() {
            ev.prevent_default();
            return;
        }
        let on = event_target_checked(&ev);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let command = Command::SetAutoRenew {
            subscription: page.id,
            on,
        };
        page.change(
            gate.line,
            command,
            move |now| {
                if on {
                    "Auto-renew is on: a new term starts at term end.".to_owned()
                } else {
                    format!(
                        "Auto-renew is off: the subscription ends on {}.",
                        now.subscription
                            .term_end()
                            .map(display_date)
                            .unwrap_or_default()
                    )
                }
            },
            // Refused, the box shows the subscription's value again.
            move |made| {
                if !made {
                    input.set_checked(!on);
                }
            },
        );
    };
    view! {
        <ActionCard name="auto-renew" title="Auto-renew" gate=gate>
            <label class="checkbox">
                <input type="checkbox" data-testid="auto-renew" prop:checked=on on:click=toggle
                    aria-disabled=gate.aria_disabled() aria-describedby=gate.described_by() />
                "Renew automatically at term end"
            </label>
            <p class="hint">{move || if on() {
                "When the term ends, a new term starts and is charged."
            } else {
                "When the term ends, the subscription expires."
            }}</p>
        </ActionCard>
    }
}

#[component]
fn ResellerCard(page: Page) -> impl IntoView {
    let v = page.v;
    let gate = page.gate("reseller", Action::SetReseller);
    let draft = Draft::new();
    let current = move || {
        v.with(|v| {
            v.subscription
                .reseller
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
    };
    // Sets the reseller from `text`, or clears it when `text` is blank.
    let set = move |text: String| {
        if !gate.open() {
            return;
        }
        let reseller = if text.trim().is_empty() {
            None
        } else {
            match ResellerPartnerId::parse(&text) {
                Ok(reseller) => Some(reseller),
                Err(e) => return gate.line.set(Some(Notice::Error(e.to_string()))),
            }
        };
        page.change(
            gate.line,
            Command::SetReseller {
                subscription: page.id,
                reseller,
            },
            |now| match &now.subscription.reseller {
                Some(r) => format!("Indirect reseller PartnerID set to {r}."),
                None => "Indirect reseller PartnerID cleared.".to_owned(),
            },
            move |made| {
                if made {
                    draft.done();
                }
            },
        );
    };
    let options = move || {
        v.with(|v| v.resellers.clone())
            .into_iter()
            .map(|r| view! { <option value=r.partner_id>{r.name}</option> })
            .collect_view()
    };
    let none_on_record = move || v.with(|v| v.subscription.reseller.is_none());
    view! {
        <ActionCard name="reseller" title="Indirect reseller" gate=gate>
            <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); set(draft.value(current())) }>
                <label for="reseller-input">"Indirect reseller PartnerID"</label>
                <input id="reseller-input" data-testid="reseller-input" type="text" inputmode="numeric" list="resellers"
                    prop:value=move || draft.value(current())
                    on:input=move |ev| draft.input(event_target_value(&ev), current())
                    readonly=move || gate.reason.with(Option::is_some)
                    aria-disabled=gate.aria_disabled() aria-invalid=gate.aria_invalid() aria-describedby=gate.described_by() />
                <datalist id="resellers">{options}</datalist>
                <button type="submit" data-testid="reseller-save" aria-disabled=gate.aria_disabled() aria-describedby=gate.described_by()>"Save"</button>
                <button type="button" data-testid="reseller-clear" disabled=none_on_record
                    aria-disabled=gate.aria_disabled() aria-describedby=gate.described_by()
                    on:click=move |_| set(String::new())>"Clear"</button>
            </form>
            <Meanwhile changed=Signal::derive(move || draft.changed_meanwhile(current())) by=page.last_changed_by() />
        </ActionCard>
    }
}

#[component]
fn CancelCard(page: Page) -> impl IntoView {
    let gate = page.gate("cancel", Action::Cancel);
    let cancelling = RwSignal::new(false);
    // When the dialog closes (Esc, Keep, or done), the focus returns to the button that opened it.
    let opener = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |was_open: Option<bool>| {
        let open = cancelling.get();
        if was_open == Some(true)
            && !open
            && let Some(button) = opener.get_untracked()
        {
            let _ = button.focus();
        }
        open
    });
    view! {
        <ActionCard name="cancel" title="Cancel subscription" gate=gate>
            <p class="hint">"You can cancel during the cancellation period, which depends on the term."</p>
            <button type="button" class="button--danger" data-testid="cancel-open" node_ref=opener
                aria-disabled=gate.aria_disabled() aria-describedby="cancel-blocked cancel-feedback"
                on:click=move |_| if gate.open() { cancelling.set(true) }>"Cancel subscription"</button>
        </ActionCard>
        <Show when=move || cancelling.get()>
            <CancelDialog page=page line=gate.line open=cancelling />
        </Show>
    }
}

/// The confirmation before cancelling: what happens to the charges, the publisher's steps, and
/// the safe choice first.
#[component]
fn CancelDialog(page: Page, line: FeedbackLine, open: RwSignal<bool>) -> impl IntoView {
    let v = page.v;
    let steps_done = RwSignal::new(false);
    // Keyboard users land on the safe choice when the dialog opens.
    let keep_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep_button.get() {
            let _ = button.focus();
        }
    });
    let close = move || open.set(false);
    // The publisher's steps come first: until they are confirmed, Cancel says so beside it.
    let unconfirmed = Signal::derive(move || {
        v.with(|v| v.offer.steps_before_cancel.clone())
            .filter(|_| !steps_done.get())
            .map(|steps| UpdateError::PublisherStepsNotConfirmed { steps }.to_string())
    });
    let confirm = move |_| {
        if let Some(reason) = unconfirmed.get_untracked() {
            line.set(Some(Notice::Error(reason)));
            return;
        }
        let command = Command::Cancel {
            subscription: page.id,
            steps_confirmed: steps_done.get_untracked(),
        };
        page.change(
            line,
            command,
            |_| "The subscription is cancelled.".into(),
            move |made| {
                if made {
                    close();
                }
            },
        );
    };
    let consequence = move || {
        v.with(|v| match (v.subscription.status, v.refund) {
            (SubscriptionStatus::Pending, _) => {
                "It is cancelled now. Nothing has been billed, so there is nothing to refund."
                    .to_owned()
            }
            (_, Some(refund)) => format!(
                "It ends now and the current term's charges are refunded in full ({refund})."
            ),
            (_, None) => {
                "It ends now and the current term's charges are refunded in full.".to_owned()
            }
        })
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="cancel-title" data-testid="cancel-dialog"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                <h2 id="cancel-title">{move || format!("Cancel {}?", v.with(|v| v.subscription.nickname.to_string()))}</h2>
                <p>{consequence}</p>
                {move || v.with(|v| v.offer.steps_before_cancel.clone()).map(|steps| view! {
                    <div class="publisher-steps">
                        <h3>"The publisher asks you to do this first"</h3>
                        <p>{steps}</p>
                        <label class="checkbox">
                            <input type="checkbox" data-testid="steps-confirmed" prop:checked=move || steps_done.get() on:change=move |ev| { steps_done.set(event_target_checked(&ev)); line.set(None); } />
                            "I completed the publisher's steps"
                        </label>
                    </div>
                })}
                <div class="dialog__buttons">
                    <button type="button" class="button--danger" data-testid="cancel-confirm"
                        aria-disabled=move || unconfirmed.with(Option::is_some).then_some("true")
                        aria-describedby="cancel-steps-blocked cancel-dialog-feedback" on:click=confirm>"Cancel subscription"</button>
                    <button type="button" data-testid="cancel-keep" node_ref=keep_button on:click=move |_| close()>"Keep subscription"</button>
                </div>
                <Blocked reason=unconfirmed id="cancel-steps-blocked" />
                <Feedback line=line id="cancel-dialog-feedback" />
            </div>
        </div>
    }
}

#[component]
fn NextTermCard(page: Page) -> impl IntoView {
    let v = page.v;
    let gate = page.gate("next-term", Action::ScheduleChange);
    let withdraw_blocked = move || v.with(|v| v.blocked_because(Action::WithdrawChange).is_some());
    let plan = RwSignal::new(v.with_untracked(|v| v.plan.id.to_string()));
    let billing = RwSignal::new(v.with_untracked(|v| v.subscription.billing.as_str().to_owned()));
    let schedule = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !gate.open() {
            return;
        }
        let chosen = billing.get_untracked();
        let command = Command::ScheduleChange {
            subscription: page.id,
            plan: PlanId::parse(&plan.get_untracked()),
            billing: BillingFrequency::ALL
                .into_iter()
                .find(|b| b.as_str() == chosen),
        };
        page.change(
            gate.line,
            command,
            |_| "Change scheduled for the next term.".into(),
            |_| {},
        );
    };
    let withdraw = move |_| {
        let command = Command::WithdrawChange {
            subscription: page.id,
        };
        page.change(
            gate.line,
            command,
            |_| "The scheduled change was withdrawn.".into(),
            |_| {},
        );
    };
    let plans = move || {
        v.with(|v| v.offer.plans.clone())
            .into_iter()
            .map(|p| {
                let label = format!(
                    "{} ({}–{} licenses)",
                    p.name, p.min_quantity, p.max_quantity
                );
                view! { <option value=p.id.to_string()>{label}</option> }
            })
            .collect_view()
    };
    // Only what the chosen plan offers for the subscription's term (no annual or one-time
    // billing on a one-month term); the choice moves to an offered one when the plan changes.
    let offered = Memo::new(move |_| {
        let chosen = plan.get();
        v.with(|v| {
            v.offer
                .plans
                .iter()
                .find(|p| p.id.as_str() == chosen)
                .map(|p| p.billing_for(v.subscription.term))
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        let offered = offered.get();
        if let Some(first) = offered.first()
            && !offered
                .iter()
                .any(|b| b.as_str() == billing.get_untracked())
        {
            billing.set(first.as_str().to_owned());
        }
    });
    // "Change scheduled for the next term" no longer holds once the subscription has ended (or
    // was suspended): there is no next term to change.
    Effect::new(move |_| {
        let ended = v.with(|v| v.subscription.status != SubscriptionStatus::Active);
        if ended
            && gate
                .line
                .with_untracked(|l| matches!(l, Some(Notice::Success(_))))
        {
            gate.line.set(None);
        }
    });
    let frequencies = move || {
        offered
            .get()
            .into_iter()
            .map(|b| view! { <option value=b.as_str()>{b.label()}</option> })
            .collect_view()
    };
    view! {
        <ActionCard name="next-term" title="Other actions: next term" gate=gate>
            <p class="hint">"Change the billing frequency or the plan from the next term. The change applies at renewal and can be withdrawn until then."</p>
            <form class="inline-form" on:submit=schedule>
                <label for="next-plan">"Plan"</label>
                <select id="next-plan" data-testid="next-plan" prop:value=move || plan.get()
                    on:change=move |ev| plan.set(event_target_value(&ev))
                    disabled=move || gate.reason.with(Option::is_some)>{plans}</select>
                <label for="next-billing">"Billing frequency"</label>
                <select id="next-billing" data-testid="next-billing" prop:value=move || billing.get()
                    on:change=move |ev| billing.set(event_target_value(&ev))
                    disabled=move || gate.reason.with(Option::is_some)>{frequencies}</select>
                <button type="submit" data-testid="schedule-change" aria-disabled=gate.aria_disabled() aria-describedby=gate.described_by()>"Schedule change"</button>
            </form>
            {move || v.with(scheduled).map(|text| view! {
                <p data-testid="scheduled-change"><strong>"Scheduled: "</strong>{text}</p>
                <button type="button" data-testid="withdraw-change" disabled=withdraw_blocked on:click=withdraw>"Withdraw scheduled change"</button>
            })}
        </ActionCard>
    }
}

/// The change scheduled for the next term, in words.
fn scheduled(v: &SubscriptionView) -> Option<String> {
    let sub = &v.subscription;
    let change = sub.scheduled.as_ref()?;
    let plan = change
        .plan
        .as_ref()
        .and_then(|p| v.offer.plan(p))
        .map_or_else(|| v.plan.name.clone(), |p| p.name.clone());
    let billing = change.billing.unwrap_or(sub.billing);
    let from = sub
        .term_end()
        .map(|end| display_date(end + chrono::TimeDelta::seconds(1)));
    Some(format!(
        "From {}: {plan}, billed {}",
        from.unwrap_or_default(),
        billing.label().to_lowercase()
    ))
}

/// The subscription's charges as a table, or why there are none, or why the role sees none.
#[component]
fn Charges(v: Memo<SubscriptionView>) -> impl IntoView {
    move || {
        match v.with(|v| v.charges.clone()) {
        Restricted::Hidden(why) => view! { <p class="empty" data-testid="charges-hidden">{why}</p> }.into_any(),
        Restricted::Shown(charges) if charges.is_empty() => view! {
            <p class="empty" data-testid="no-charges">"Nothing has been charged: billing starts when the publisher activates the subscription."</p>
        }.into_any(),
        Restricted::Shown(charges) => view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"Posted"</th><th scope="col">"Charge type"</th><th scope="col">"Period"</th>
                        <th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Amount"</th><th scope="col">"Invoice"</th>
                    </tr></thead>
                    <tbody>
                        {charges.into_iter().map(|c| view! {
                            <tr data-testid="charge-row">
                                <td>{display(c.posted_at)}</td>
                                <td>{c.charge_type.label()}</td>
                                <td>{format!("{} – {}", display_date(c.period_start), display_date(c.period_end))}</td>
                                <td class="num">{c.quantity}</td>
                                <td class="num">{c.amount.to_string()}</td>
                                <td>{c.invoice.unwrap_or_else(|| "Unbilled".to_owned())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any(),
    }
    }
}
