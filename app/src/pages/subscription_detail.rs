use std::fmt::Write;

use domain::time::{display, display_date};
use domain::{
    Action, ActionState, Applied, BillingFrequency, Charge, Command, Customer, Nickname, Offer,
    Plan, PlanId, ResellerPartnerId, SetupTask, Subscription, SubscriptionId, SubscriptionStatus,
    parse_quantity,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::subscriptions::fresh_link_clicks;
use super::{Missing, customer_param, route_param, subscription_param};
use crate::components::{
    Feedback, FeedbackLine, Notice, Parts, activity_table, feedback_html, target,
};
use crate::console::{Console, use_console};
use crate::html::{self, escape};

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
    /// The publisher's personalized link while a pending subscription's code is valid.
    activation_uri: Option<String>,
    /// The partner's authorized indirect resellers: PartnerID and name.
    resellers: Vec<(String, String)>,
}

impl View {
    fn blocked(&self, action: Action) -> Option<&str> {
        self.actions
            .iter()
            .find(|a| a.action == action)
            .and_then(|a| a.blocked_because.as_deref())
    }
}

fn load(console: Console, id: SubscriptionId) -> Option<View> {
    let actor = console.actor();
    let now = console.now();
    console.read(|e| {
        let d = e.subscription_detail(&actor, now, id).ok()?;
        Some(View {
            refund: e.refund_on_cancel(d.subscription),
            activation_uri: (d.subscription.status == SubscriptionStatus::Pending)
                .then(|| e.valid_activation_uri(id, now))
                .flatten(),
            resellers: e
                .state()
                .partner
                .resellers
                .iter()
                .filter(|r| r.authorized)
                .map(|r| (r.partner_id.to_string(), r.name.clone()))
                .collect(),
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

/// A subscription's detail: its facts and every action the seed lists, each enabled or disabled
/// with the engine's reason.
///
/// The page is written into the document as one piece of HTML when it opens — the title, the
/// facts, the pending subscription's setup, the action cards with their feedback lines, the
/// charges and the activity — and each part is written again only when what it shows changes
/// (`Parts::follow`), with one listener per kind of event for the whole page; only the cancel
/// dialog is a view. Built through views (26 pieces of HTML among elements, text and markers),
/// opening a subscription took 2.3–2.9 times as long as on the hand-written page; written in one
/// piece, 2.0 times (docs/PERFORMANCE.md). Every text from data is escaped; a card's
/// controls are written again only after a change of what they show (a success), so what the user
/// typed stays after a refusal, and the control that was used gets the focus back.
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
        Some(id) => {
            // A memo, so each part borrows the view instead of cloning it at every read.
            let v: Signal<View> = Memo::new(move |_| view_memo.get().expect("exists")).into();
            let page = Detail {
                console,
                v,
                id,
                lines: Card::ALL.map(|_| RwSignal::new(None)),
                link_line: RwSignal::new(None),
                task_line: RwSignal::new(None),
                cancelling: RwSignal::new(false),
            };
            let root = NodeRef::<leptos::html::Div>::new();
            let html = page.html(Parts::new(root));
            view! {
                <div node_ref=root inner_html=html on:submit=move |ev| page.on_submit(ev)
                    on:click=move |ev| page.on_click(ev) on:change=move |ev| page.on_change(ev)></div>
                <Show when=move || page.cancelling.get()>
                    <CancelDialog page=page />
                </Show>
            }
            .into_any()
        }
    };
    view! { <div class="page">{page}</div> }
}

/// The breadcrumbs and the title: the nickname and the status (HTML).
fn title_html(v: &View) -> String {
    let mut html = format!(
        "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><a href=\"/customers\">Customers</a>\
         <span aria-hidden=\"true\"> / </span><a href=\"/customers/{}/subscriptions\">{}</a>\
         <span aria-hidden=\"true\"> / </span><span>Subscription</span></nav>\
         <h1 data-testid=\"subscription-title\">{} ",
        v.customer.id,
        escape(&v.customer.company_name),
        escape(v.sub.nickname.as_str()),
    );
    html::status_badge(&mut html, v.sub.status);
    html.push_str("</h1>");
    html
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

/// The page's action cards, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Card {
    Nickname,
    Quantity,
    AutoRenew,
    Reseller,
    Cancel,
    NextTerm,
}

impl Card {
    const ALL: [Card; 6] = [
        Card::Nickname,
        Card::Quantity,
        Card::AutoRenew,
        Card::Reseller,
        Card::Cancel,
        Card::NextTerm,
    ];

    /// The name its ids start with (`nickname-card`, `nickname-feedback`, `nickname-blocked`).
    fn name(self) -> &'static str {
        match self {
            Card::Nickname => "nickname",
            Card::Quantity => "quantity",
            Card::AutoRenew => "auto-renew",
            Card::Reseller => "reseller",
            Card::Cancel => "cancel",
            Card::NextTerm => "next-term",
        }
    }

    fn named(name: &str) -> Option<Card> {
        Card::ALL.into_iter().find(|card| card.name() == name)
    }

    fn title(self) -> &'static str {
        match self {
            Card::Nickname => "Nickname",
            Card::Quantity => "Quantity",
            Card::AutoRenew => "Auto-renew",
            Card::Reseller => "Indirect reseller",
            Card::Cancel => "Cancel subscription",
            Card::NextTerm => "Other actions: next term",
        }
    }

    fn feedback_id(self) -> String {
        format!("{}-feedback", self.name())
    }

    /// The engine's action whose state enables or blocks the card.
    fn action(self) -> Action {
        match self {
            Card::Nickname => Action::Rename,
            Card::Quantity => Action::ChangeQuantity,
            Card::AutoRenew => Action::SetAutoRenew,
            Card::Reseller => Action::SetReseller,
            Card::Cancel => Action::Cancel,
            Card::NextTerm => Action::ScheduleChange,
        }
    }

    /// The card's heading and controls, enabled or disabled with the engine's reason (HTML).
    /// Every control points at the card's feedback line and at the reason it is blocked.
    fn html(self, v: &View) -> String {
        let sub = &v.sub;
        let name = self.name();
        let blocked = v.blocked(self.action());
        let off = if blocked.is_some() { " disabled" } else { "" };
        let described = format!("aria-describedby=\"{name}-feedback {name}-blocked\"");
        let mut html = format!("<h2>{}</h2>", self.title());
        let h = &mut html;
        let _ = match self {
            Card::Nickname => write!(
                h,
                "<form class=\"inline-form\" data-card=\"{name}\">\
                 <label for=\"nickname-input\">Subscription nickname</label>\
                 <input id=\"nickname-input\" data-testid=\"nickname-input\" type=\"text\" \
                 maxlength=\"200\" value=\"{}\"{off} {described}>\
                 <button type=\"submit\" data-testid=\"nickname-save\"{off}>Save</button></form>",
                escape(sub.nickname.as_str())
            ),
            Card::Quantity => write!(
                h,
                "<p class=\"hint\">Increase or decrease the number of licenses. Changes are \
                 prorated for the rest of the billing period.</p>\
                 <form class=\"inline-form\" data-card=\"{name}\">\
                 <label for=\"quantity-input\">Quantity</label>\
                 <input id=\"quantity-input\" data-testid=\"quantity-input\" type=\"text\" \
                 inputmode=\"numeric\" value=\"{}\"{off} \
                 aria-describedby=\"quantity-bounds quantity-feedback quantity-blocked\">\
                 <button type=\"submit\" data-testid=\"quantity-submit\"{off}>Submit</button></form>\
                 <p class=\"hint\" id=\"quantity-bounds\">{} to {} licenses for {}</p>",
                sub.quantity,
                v.plan.min_quantity,
                v.plan.max_quantity,
                escape(&v.plan.name)
            ),
            Card::AutoRenew => write!(
                h,
                "<label class=\"checkbox\"><input type=\"checkbox\" data-testid=\"auto-renew\"{}{off} \
                 {described}>Renew automatically at term end</label><p class=\"hint\">{}</p>",
                if sub.auto_renew { " checked" } else { "" },
                if sub.auto_renew {
                    "When the term ends, a new term starts and is charged."
                } else {
                    "When the term ends, the subscription expires."
                }
            ),
            Card::Reseller => {
                let _ = write!(
                    h,
                    "<form class=\"inline-form\" data-card=\"{name}\">\
                     <label for=\"reseller-input\">Indirect reseller PartnerID</label>\
                     <input id=\"reseller-input\" data-testid=\"reseller-input\" type=\"text\" \
                     inputmode=\"numeric\" list=\"resellers\" value=\"{}\"{off} {described}>\
                     <datalist id=\"resellers\">",
                    sub.reseller
                        .as_ref()
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                );
                for (id, reseller) in &v.resellers {
                    let _ = write!(
                        h,
                        "<option value=\"{}\">{}</option>",
                        escape(id),
                        escape(reseller)
                    );
                }
                write!(
                    h,
                    "</datalist><button type=\"submit\" data-testid=\"reseller-save\"{off}>Save</button>\
                     <button type=\"button\" data-testid=\"reseller-clear\"{}>Clear</button></form>",
                    if blocked.is_some() || sub.reseller.is_none() {
                        " disabled"
                    } else {
                        ""
                    }
                )
            }
            Card::Cancel => write!(
                h,
                "<p class=\"hint\">You can cancel during the cancellation period, which depends on \
                 the term.</p><button type=\"button\" class=\"button--danger\" \
                 data-testid=\"cancel-open\"{off} aria-describedby=\"cancel-blocked\">\
                 Cancel subscription</button>"
            ),
            Card::NextTerm => {
                let _ = write!(
                    h,
                    "<p class=\"hint\">Change the billing frequency or the plan from the next term. \
                     The change applies at renewal and can be withdrawn until then.</p>\
                     <form class=\"inline-form\" data-card=\"{name}\">\
                     <label for=\"next-plan\">Plan</label>\
                     <select id=\"next-plan\" data-testid=\"next-plan\"{off}>"
                );
                for p in &v.offer.plans {
                    let _ = write!(
                        h,
                        "<option value=\"{}\"{}>{} ({}–{} licenses)</option>",
                        p.id,
                        if p.id == v.plan.id { " selected" } else { "" },
                        escape(&p.name),
                        p.min_quantity,
                        p.max_quantity
                    );
                }
                h.push_str(
                    "</select><label for=\"next-billing\">Billing frequency</label>\
                     <select id=\"next-billing\" data-testid=\"next-billing\"",
                );
                h.push_str(off);
                h.push('>');
                for b in BillingFrequency::ALL {
                    let _ = write!(
                        h,
                        "<option value=\"{}\"{}>{}</option>",
                        b.as_str(),
                        if b == sub.billing { " selected" } else { "" },
                        b.label()
                    );
                }
                let _ = write!(
                    h,
                    "</select><button type=\"submit\" data-testid=\"schedule-change\"{off}>\
                     Schedule change</button></form>"
                );
                match scheduled(v) {
                    Some(text) => write!(
                        h,
                        "<p data-testid=\"scheduled-change\"><strong>Scheduled: </strong>{}</p>\
                         <button type=\"button\" data-testid=\"withdraw-change\"{}>\
                         Withdraw scheduled change</button>",
                        escape(&text),
                        if v.blocked(Action::WithdrawChange).is_some() {
                            " disabled"
                        } else {
                            ""
                        }
                    ),
                    None => Ok(()),
                }
            }
        };
        html::blocked(h, &format!("{name}-blocked"), blocked);
        html
    }
}

/// The change scheduled for the next term, in words.
fn scheduled(v: &View) -> Option<String> {
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
}

/// The page built for one subscription: what it shows, a feedback line per card, and whether the
/// cancel dialog is open. The cards' controls are read from the page when they are used.
#[derive(Clone, Copy)]
struct Detail {
    console: Console,
    v: Signal<View>,
    id: SubscriptionId,
    lines: [FeedbackLine; 6],
    /// The line under the publisher's link and the copy button.
    link_line: FeedbackLine,
    /// The line under the setup tasks.
    task_line: FeedbackLine,
    cancelling: RwSignal<bool>,
}

impl Detail {
    fn line(self, card: Card) -> FeedbackLine {
        self.lines[card as usize]
    }

    /// The whole page as it opens (HTML), each part that changes following its values.
    fn html(self, parts: Parts) -> String {
        let Detail { console, v, id, .. } = self;
        let title = parts.part("title", move || v.with(title_html));
        let facts = parts.part("facts", move || v.with(facts_html));
        let mut html = format!(
            "<div data-part=\"title\">{}</div><section class=\"card\" \
             aria-labelledby=\"facts-title\"><h2 id=\"facts-title\">Subscription details</h2>\
             <dl class=\"facts\" data-part=\"facts\">{}</dl></section>",
            title.get_untracked(),
            facts.get_untracked()
        );
        // The publisher's link changes when a new one is issued; the copy button stays, with
        // the focus.
        let link = parts.part("publisher-link", move || {
            let mut html = String::new();
            v.with(|v| {
                html::publisher_link(&mut html, v.activation_uri.as_deref(), id, "copy-feedback")
            });
            html
        });
        let tasks = parts.part("tasks", move || v.with(tasks_html));
        let copied = parts.feedback("copy-feedback", self.link_line);
        let recorded = parts.feedback("setup-feedback", self.task_line);
        let pending = Memo::new(move |_| v.with(|v| v.sub.status == SubscriptionStatus::Pending));
        // The section comes and goes with the pending status, with its parts as they are then.
        let action_needed = parts.part("action-needed", move || {
            if !pending.get() {
                return String::new();
            }
            untrack(|| {
                action_needed_html(&link.get(), &tasks.get(), &copied.get(), &recorded.get())
            })
        });
        let _ = write!(
            html,
            "<div data-part=\"action-needed\">{}</div><div class=\"cards\">",
            action_needed.get_untracked()
        );
        for card in Card::ALL {
            let name = card.name();
            let controls = parts.part(&format!("card-{name}"), move || v.with(|v| card.html(v)));
            let notice = parts.feedback(&card.feedback_id(), self.line(card));
            let _ = write!(
                html,
                "<section class=\"card\" data-testid=\"{name}-card\" aria-label=\"{}\">\
                 <div data-part=\"card-{name}\">{}</div>{}</section>",
                card.title(),
                controls.get_untracked(),
                feedback_html(&card.feedback_id(), &notice.get_untracked()),
            );
        }
        let charges = parts.part("charges", move || {
            console.read(|e| charges_html(&e.subscription_charges(id)))
        });
        let activity = parts.part("activity", move || {
            let filter = domain::ActivityFilter {
                subscription: Some(id),
                ..Default::default()
            };
            console.read(|e| activity_table::table_html(e.activity(&filter).into_iter().take(12)))
        });
        let _ = write!(
            html,
            "</div><section class=\"card\" aria-labelledby=\"charges-title\" \
             data-testid=\"subscription-charges\"><h2 id=\"charges-title\">Charges</h2>\
             <div data-part=\"charges\">{}</div></section><section class=\"card\" \
             aria-labelledby=\"activity-title\" data-testid=\"subscription-activity\">\
             <h2 id=\"activity-title\">This subscription's activity</h2><div class=\"table-wrap\">\
             <table class=\"data-table\" data-testid=\"subscription-activity-table\" \
             data-part=\"activity\">{}</table></div><p><a href=\"/activity?subscription={id}\">\
             Open in the activity log</a></p></section>",
            charges.get_untracked(),
            activity.get_untracked()
        );
        html
    }

    /// A card's form was submitted.
    fn on_submit(self, ev: leptos::ev::SubmitEvent) {
        ev.prevent_default();
        let card = target(&ev)
            .and_then(|form| form.get_attribute("data-card"))
            .and_then(|name| Card::named(&name));
        match card {
            Some(Card::Nickname) => self.rename(),
            Some(Card::Quantity) => self.change_quantity(),
            Some(Card::Reseller) => self.set_reseller(value_of("reseller-input")),
            Some(Card::NextTerm) => self.schedule(),
            _ => {}
        }
    }

    /// A button was clicked (the forms' own buttons submit them).
    fn on_click(self, ev: leptos::ev::MouseEvent) {
        let button =
            target(&ev).and_then(|e| e.closest("button:not([type=submit])").ok().flatten());
        match button
            .and_then(|b| b.get_attribute("data-testid"))
            .as_deref()
        {
            Some("copy-link") => copy_link(self.console, self.id, self.link_line),
            Some("fresh-link") => fresh_link_clicks(self.console, self.link_line)(ev),
            Some("reseller-clear") => self.set_reseller(String::new()),
            Some("cancel-open") => self.cancelling.set(true),
            Some("withdraw-change") => self.change(
                Card::NextTerm,
                Command::WithdrawChange {
                    subscription: self.id,
                },
                || "The scheduled change was withdrawn.".into(),
            ),
            _ => {}
        }
    }

    /// A checkbox changed: auto-renew, or one of the setup tasks.
    fn on_change(self, ev: leptos::ev::Event) {
        let Some(input) = target(&ev).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(task) = input
            .get_attribute("data-task")
            .and_then(|i| SetupTask::ALL.get(i.parse::<usize>().ok()?).copied())
        {
            return self.record_task(input, task);
        }
        if input.get_attribute("data-testid").as_deref() != Some("auto-renew") {
            return;
        }
        let on = input.checked();
        let v = self.v;
        let command = Command::SetAutoRenew {
            subscription: self.id,
            on,
        };
        let success = move || {
            if on {
                "Auto-renew is on: a new term starts at term end.".to_owned()
            } else {
                format!(
                    "Auto-renew is off: the subscription ends on {}.",
                    v.with_untracked(|v| v.sub.term_end().map(display_date).unwrap_or_default())
                )
            }
        };
        // Refused, the box goes back; changed, the card is written again with it.
        self.change_or(
            Card::AutoRenew,
            command,
            Box::new(success),
            Box::new(move || input.set_checked(!on)),
        );
    }

    /// Records a setup task as done or not done, as its box now says.
    fn record_task(self, input: web_sys::HtmlInputElement, task: SetupTask) {
        let done = input.checked();
        let command = Command::RecordSetupTask {
            subscription: self.id,
            task,
            done,
        };
        let line = self.task_line;
        let focused = focused_testid();
        self.console.submit(command, None, move |result| {
            if let Err(refusal) = result {
                // Refused, the box goes back; recorded, the list is written again.
                input.set_checked(!done);
                line.set(Some(Notice::Error(refusal.message)));
            } else {
                line.set(None);
            }
            if let Some(testid) = focused {
                refocus(testid);
            }
        });
    }

    fn rename(self) {
        match Nickname::parse(&value_of("nickname-input")) {
            Err(e) => self.refuse(Card::Nickname, e),
            Ok(nickname) => self.change(
                Card::Nickname,
                Command::Rename {
                    subscription: self.id,
                    nickname,
                },
                || "Nickname changed.".into(),
            ),
        }
    }

    fn change_quantity(self) {
        let (console, v, id) = (self.console, self.v, self.id);
        let before = v.with_untracked(|v| v.sub.quantity);
        match parse_quantity(&value_of("quantity-input")) {
            Err(e) => self.refuse(Card::Quantity, e),
            Ok(quantity) => self.change(
                Card::Quantity,
                Command::ChangeQuantity {
                    subscription: id,
                    quantity,
                },
                move || {
                    let after = v.with_untracked(|v| v.sub.quantity);
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
            ),
        }
    }

    /// Sets the indirect reseller from `text`, or clears it when `text` is blank.
    fn set_reseller(self, text: String) {
        let reseller = if text.trim().is_empty() {
            None
        } else {
            match ResellerPartnerId::parse(&text) {
                Ok(reseller) => Some(reseller),
                Err(e) => return self.refuse(Card::Reseller, e),
            }
        };
        let v = self.v;
        self.change(
            Card::Reseller,
            Command::SetReseller {
                subscription: self.id,
                reseller,
            },
            move || match v.with_untracked(|v| v.sub.reseller.clone()) {
                Some(r) => format!("Indirect reseller PartnerID set to {r}."),
                None => "Indirect reseller PartnerID cleared.".to_owned(),
            },
        );
    }

    fn schedule(self) {
        let billing = value_of("next-billing");
        let command = Command::ScheduleChange {
            subscription: self.id,
            plan: PlanId::parse(&value_of("next-plan")),
            billing: BillingFrequency::ALL
                .into_iter()
                .find(|b| b.as_str() == billing),
        };
        self.change(Card::NextTerm, command, || {
            "Change scheduled for the next term.".into()
        });
    }

    /// Tells on the card's line why what the user entered was not sent.
    fn refuse(self, card: Card, error: impl std::fmt::Display) {
        self.line(card).set(Some(Notice::Error(error.to_string())));
    }

    /// Sends a change of this subscription with the version the user is looking at, shows progress
    /// on the card's line, then the engine's answer (`success` runs after the page shows the new
    /// values). A card written again after the change keeps the focus on the same control.
    fn change(self, card: Card, command: Command, success: impl FnOnce() -> String + 'static) {
        self.change_or(card, command, Box::new(success), Box::new(|| {}));
    }

    /// `change`, running `refused` when the engine refuses it (boxed: one body for every card).
    fn change_or(
        self,
        card: Card,
        command: Command,
        success: Box<dyn FnOnce() -> String>,
        refused: Box<dyn FnOnce()>,
    ) {
        let line = self.line(card);
        line.set(Some(Notice::Working("Saving…".into())));
        let version = self.v.with_untracked(|v| v.sub.version);
        let focused = focused_testid();
        self.console.submit(command, Some(version), move |result| {
            line.set(Some(match result {
                Ok(_) => Notice::Success(success()),
                Err(refusal) => {
                    refused();
                    Notice::Error(refusal.message)
                }
            }));
            if let Some(testid) = focused {
                refocus(testid);
            }
        });
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// The value of the page's input or select with `id` (empty when there is none).
fn value_of(id: &str) -> String {
    document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The `data-testid` of the focused control.
fn focused_testid() -> Option<String> {
    document()?.active_element()?.get_attribute("data-testid")
}

/// After the page has been written again, puts the focus back on the control with `testid` if
/// it was lost with the old one.
fn refocus(testid: String) {
    set_timeout(
        move || {
            let Some(document) = document() else { return };
            let lost = document
                .active_element()
                .is_none_or(|e| Some(&e) == document.body().as_deref());
            if lost
                && let Ok(Some(control)) =
                    document.query_selector(&format!("[data-testid=\"{testid}\"]"))
                && let Ok(control) = control.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = control.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// What a pending subscription needs: the publisher's setup, with its link (`link`), the copy
/// button, the partner's tasks (`tasks`) and their two feedback lines' notices (HTML).
fn action_needed_html(link: &str, tasks: &str, copied: &str, recorded: &str) -> String {
    format!(
        "<section class=\"card card--attention\" aria-labelledby=\"action-needed-title\" \
         data-testid=\"action-needed\"><h2 id=\"action-needed-title\">Action needed: set up the \
         subscription with the publisher</h2><p>The publisher provides a personalized link and an \
         authorization code that identifies this purchase. Billing starts only after the \
         publisher assigns licenses and confirms the setup.</p><p class=\"actions-row\">\
         <span data-part=\"publisher-link\">{link}</span> <button type=\"button\" \
         data-testid=\"copy-link\" aria-describedby=\"copy-feedback\">Copy activation link\
         </button></p>{}<div data-part=\"tasks\">{tasks}</div>{}</section>",
        feedback_html("copy-feedback", copied),
        feedback_html("setup-feedback", recorded),
    )
}

/// The partner's setup tasks, each ticked with who did it and when (HTML).
fn tasks_html(v: &View) -> String {
    let blocked = v.blocked(Action::RecordSetupTask);
    let mut html = String::from("<h3>Your tasks as the CSP partner</h3><ul class=\"checklist\">");
    for (i, task) in SetupTask::ALL.into_iter().enumerate() {
        let record = v.sub.setup_tasks.iter().find(|r| r.task == task);
        let _ = write!(
            html,
            "<li><label><input type=\"checkbox\" data-task=\"{i}\" data-testid=\"setup-task-{i}\"{}{} \
             aria-describedby=\"setup-feedback setup-blocked\">{}</label>",
            if record.is_some() { " checked" } else { "" },
            if blocked.is_some() { " disabled" } else { "" },
            task.label()
        );
        if let Some(r) = record {
            let _ = write!(
                html,
                "<span class=\"muted\"> — done by {} on {}</span>",
                escape(&r.by),
                display(r.at)
            );
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html::blocked(&mut html, "setup-blocked", blocked);
    html
}

/// Copies the subscription's activation link for the customer to open, and says until when it
/// works.
fn copy_link(console: Console, id: SubscriptionId, line: FeedbackLine) {
    console.submit(Command::ActivationLink { subscription: id }, None, move |result| match result {
        Ok(Applied::Link(link)) => {
            let absolute = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .map_or(link.uri.clone(), |origin| format!("{origin}{}", link.uri));
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&absolute);
            }
            line.set(Some(Notice::Success(format!(
                "Copied. Paste it into a private browser window and sign in with the customer's credentials. It works until {}.",
                display(link.expires_at)
            ))));
        }
        Ok(_) => {}
        Err(e) => line.set(Some(Notice::Error(e.to_string()))),
    });
}

/// The confirmation before cancelling: what happens to the charges, the publisher's steps, and
/// the safe choice first.
#[component]
fn CancelDialog(page: Detail) -> impl IntoView {
    let v = page.v;
    let steps_done = RwSignal::new(false);
    let line = page.line(Card::Cancel);
    // Keyboard users land on the safe choice when the dialog opens.
    let keep_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep_button.get() {
            let _ = button.focus();
        }
    });
    let close = move || page.cancelling.set(false);
    let confirm = move |_| {
        let command = Command::Cancel {
            subscription: page.id,
            steps_confirmed: steps_done.get_untracked(),
        };
        page.change(Card::Cancel, command, move || {
            close();
            "The subscription is cancelled.".into()
        });
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
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="cancel-title" data-testid="cancel-dialog"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
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
                    <button type="button" data-testid="cancel-keep" node_ref=keep_button on:click=move |_| close()>"Keep subscription"</button>
                </div>
                <Feedback line=line id="cancel-dialog-feedback" />
            </div>
        </div>
    }
}

/// The subscription's charges as a table, or why there are none (HTML).
fn charges_html(charges: &[&Charge]) -> String {
    if charges.is_empty() {
        return "<p class=\"empty\" data-testid=\"no-charges\">Nothing has been charged: billing \
                starts when the publisher activates the subscription.</p>"
            .to_owned();
    }
    let mut html = String::from(
        "<div class=\"table-wrap\"><table class=\"data-table\"><thead><tr>\
         <th scope=\"col\">Posted</th><th scope=\"col\">Charge type</th>\
         <th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">Quantity</th>\
         <th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\">Invoice</th></tr></thead>\
         <tbody>",
    );
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
    html.push_str("</tbody></table></div>");
    html
}
