//! Writes the scale data set (10,000 customers, the first with 5,000 more subscriptions) as the
//! JSON the hand-written comparison page under `bench/vanilla/` renders: `customers.json` and
//! `subscriptions.json`, with the same columns and text the console's tables show.
//!
//! Usage: cargo run --release -p domain --example scale_json -- <out-dir> [customers] [largest]

use domain::demo::demo_user;
use domain::demo::scale_state;
use domain::time::{display, display_date};
use domain::{
    ActivityFilter, Actor, BillingFrequency, Engine, Outcome, Role, SetupTask, SubscriptionStatus,
};
use serde_json::{Value, json};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().expect("an output directory"));
    let customers: usize = args.next().map_or(10_000, |n| n.parse().expect("a number"));
    let largest: usize = args.next().map_or(5_000, |n| n.parse().expect("a number"));
    let now = "2026-11-24T09:30:00Z".parse().expect("a time");
    let engine = Engine::new(scale_state(now, customers, largest));
    let state = engine.state();
    let admin = Actor::User(demo_user(state, Role::GlobalAdmin).id);
    // The partner's authorized indirect resellers, offered by the detail page's reseller box.
    let resellers: Vec<Value> = state
        .partner
        .resellers
        .iter()
        .filter(|r| r.authorized)
        .map(|r| json!([r.partner_id.to_string(), r.name]))
        .collect();

    let customer_rows: Vec<Value> = state
        .customers
        .values()
        .map(|c| {
            json!({
                "id": c.id.to_string(),
                "companyName": c.company_name,
                "domain": c.primary_domain,
                "relationship": c.relationship.label(),
                "tags": c.tags,
                "subscriptions": engine.subscriptions_of(c.id).count(),
            })
        })
        .collect();
    let subscription_rows: Vec<Value> = state
        .subscriptions
        .values()
        .map(|s| {
            let (offer, plan) = engine.offer_and_plan(s);
            // What the detail page shows besides the row: the actions with the reasons they are
            // blocked, the charges, and the latest activity.
            let detail = engine.subscription_detail(&admin, now, s.id).expect("visible");
            let actions: Vec<Value> = detail
                .actions
                .iter()
                .map(|a| json!({ "action": format!("{:?}", a.action), "blocked": a.blocked_because }))
                .collect();
            let charges: Vec<Value> = engine
                .subscription_charges(s.id)
                .iter()
                .map(|c| {
                    json!({
                        "posted": display(c.posted_at),
                        "type": c.charge_type.as_str(),
                        "period": format!("{} – {}", display_date(c.period_start), display_date(c.period_end)),
                        "quantity": c.quantity,
                        "amount": c.amount.to_string(),
                        "invoice": c.invoice.clone().unwrap_or_else(|| "Unbilled".into()),
                    })
                })
                .collect();
            let filter = ActivityFilter {
                subscription: Some(s.id),
                ..Default::default()
            };
            let activity: Vec<Value> = engine
                .activity(&filter)
                .into_iter()
                .take(12)
                .map(|e| {
                    json!({
                        "when": display(e.at),
                        "who": match e.actor.role {
                            Some(r) => format!("{} ({})", e.actor.name, r.label()),
                            None => e.actor.name.clone(),
                        },
                        "operation": e.operation.label(),
                        "change": match (&e.old, &e.new) {
                            (Some(o), Some(n)) if !o.is_empty() => format!("{o} → {n}"),
                            (_, Some(n)) => n.clone(),
                            _ => String::new(),
                        },
                        "result": match &e.outcome {
                            Outcome::Succeeded => "Done".to_owned(),
                            Outcome::Denied { message, .. } => format!("Refused: {message}"),
                        },
                    })
                })
                .collect();
            json!({
                "actions": actions,
                "charges": charges,
                "activity": activity,
                "cancellableUntil": detail.cancellation_allowed_until.map(display),
                "id": s.id.to_string(),
                "customer": s.customer.to_string(),
                "nickname": s.nickname.as_str(),
                "offer": offer.name,
                "plan": plan.name,
                "publisher": offer.publisher_name,
                "quantity": s.quantity,
                "status": s.status.label(),
                "statusKey": s.status.as_str(),
                "statusOrder": s.status as u8,
                "pending": s.status == SubscriptionStatus::Pending,
                "publisherLink": engine.valid_activation_uri(s.id, now),
                "termAndBilling": s.term_and_billing(),
                "renewsOrEnds": s.renews_or_ends(),
                "termEnd": s.term_end().map(|t| t.timestamp()),
                "created": s.created_at.timestamp_millis(),
                "reseller": state.partner.reseller_label(s.reseller.as_ref()),
                "autoRenew": s.auto_renew,
                "unitPrice": s.unit_price.to_string(),
                "pricePer": s.billing.period_word(),
                // The rest of what the detail page shows: its facts, the setup tasks of a pending
                // subscription and the choices of its forms.
                "started": s.activated_at.map(display_date),
                "orderId": s.order_id.to_string(),
                "item": s.item.to_string(),
                "tasks": SetupTask::ALL.map(|t| json!({
                    "label": t.label(),
                    "done": s.setup_tasks.iter().any(|r| r.task == t),
                })),
                "planId": plan.id.to_string(),
                "minQuantity": plan.min_quantity,
                "maxQuantity": plan.max_quantity,
                "plans": offer.plans.iter().map(|p| json!([p.id.to_string(), format!("{} ({}–{} licenses)", p.name, p.min_quantity, p.max_quantity)])).collect::<Vec<_>>(),
                "billingKey": s.billing.as_str(),
                "billings": BillingFrequency::ALL.map(|b| json!([b.as_str(), b.label()])),
                "resellerId": s.reseller.as_ref().map(|r| r.to_string()).unwrap_or_default(),
                "resellers": resellers,
            })
        })
        .collect();
    std::fs::create_dir_all(&out).expect("the output directory can be made");
    for (name, rows) in [
        ("customers.json", customer_rows),
        ("subscriptions.json", subscription_rows),
    ] {
        let path = out.join(name);
        std::fs::write(&path, serde_json::to_vec(&rows).expect("JSON")).expect("written");
        println!("{} rows -> {}", rows.len(), path.display());
    }
}
