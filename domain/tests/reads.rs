//! What each role may read: every page's read, asked by every role of the demo partner, is
//! answered or refused as DOMAIN.md §1 says, and no answer carries a secret or billing data the
//! role may not see.

use domain::demo::{demo_state, demo_user};
use domain::*;
use serde_json::Value;

fn now() -> Timestamp {
    "2026-11-24T09:30:00Z".parse().expect("a valid time")
}

const ROLES: [Role; 5] = [
    Role::GlobalAdmin,
    Role::AdminAgent,
    Role::SalesAgent,
    Role::HelpdeskAgent,
    Role::BillingAdmin,
];

/// One read of each kind with input the demo data answers, by name, as JSON (or the refusal).
fn every_read(engine: &Engine, actor: &Actor) -> Vec<(&'static str, Result<Value, CommandError>)> {
    fn ask<R: Read>(
        engine: &Engine,
        actor: &Actor,
        read: R,
    ) -> (&'static str, Result<Value, CommandError>) {
        let answer = read
            .answer(engine, actor, now())
            .map(|a| serde_json::to_value(a).expect("answers are JSON"));
        (R::NAME, answer)
    }
    let state = engine.state();
    let pending = state
        .subscriptions
        .values()
        .find(|s| s.status == SubscriptionStatus::Pending)
        .expect("the demo has a pending subscription");
    // An active subscription with charges: its detail is where a charge would reach a role.
    let charged = state
        .subscriptions
        .values()
        .find(|s| {
            s.status == SubscriptionStatus::Active && !engine.subscription_charges(s.id).is_empty()
        })
        .expect("the demo has a charged active subscription");
    let invoice = state.invoices[0].number.clone();
    let order = state.orders[0].clone();
    vec![
        ask(engine, actor, CustomerQuery::default()),
        ask(
            engine,
            actor,
            SubscriptionsRead {
                customer: pending.customer,
                query: SubscriptionQuery {
                    text: String::new(),
                    status: None,
                    sort: SubscriptionSort::Newest,
                    direction: SortDirection::Ascending,
                    page: 1,
                    page_size: 100,
                },
            },
        ),
        ask(
            engine,
            actor,
            SubscriptionRead {
                customer: pending.customer,
                subscription: pending.id,
            },
        ),
        ask(
            engine,
            actor,
            SubscriptionRead {
                customer: charged.customer,
                subscription: charged.id,
            },
        ),
        ask(
            engine,
            actor,
            PurchaseRead {
                customer: pending.customer,
            },
        ),
        ask(
            engine,
            actor,
            OrderRead {
                customer: order.customer,
                order: order.id.clone(),
            },
        ),
        ask(engine, actor, BillingRead::default()),
        ask(
            engine,
            actor,
            InvoiceRead {
                number: invoice.clone(),
                page: 1,
            },
        ),
        ask(
            engine,
            actor,
            RenewalsRead {
                days: 90,
                closing_page: 1,
                ends_page: 1,
            },
        ),
        ask(
            engine,
            actor,
            ActivityRead {
                filter: ActivityFilter::default(),
                page: 1,
                page_size: 100_000,
            },
        ),
        ask(engine, actor, ActivityExport::default()),
        ask(engine, actor, CustomersExport {}),
        ask(
            engine,
            actor,
            SubscriptionsExport {
                customer: pending.customer,
            },
        ),
        ask(engine, actor, ReconciliationExport { number: invoice }),
        ask(engine, actor, SettingsRead {}),
        ask(engine, actor, MeRead {}),
    ]
}

/// Whether a role may have the answer of a read.
fn allowed(role: Role, read: &str) -> bool {
    let billing = matches!(
        role,
        Role::GlobalAdmin | Role::AdminAgent | Role::BillingAdmin
    );
    match read {
        "billing" | "invoice" | "reconciliation.csv" => billing,
        _ => true,
    }
}

#[test]
fn every_read_is_answered_or_refused_as_the_role_table_says() {
    let state = demo_state(now());
    let engine = Engine::new(state.clone());
    for role in ROLES {
        let actor = Actor::User(demo_user(&state, role).id);
        for (read, answer) in every_read(&engine, &actor) {
            match (allowed(role, read), answer) {
                (true, Ok(_)) => {}
                (false, Err(CommandError::Denied(Denied::Role { .. }))) => {}
                (expected, got) => panic!(
                    "{role:?} reading {read}: expected {}, got {got:?}",
                    if expected {
                        "an answer"
                    } else {
                        "a role denial"
                    }
                ),
            }
        }
    }
}

#[test]
fn a_publisher_or_the_clock_reads_nothing_of_the_partner() {
    let engine = Engine::new(demo_state(now()));
    for actor in [Actor::Publisher("contoso-esign".into()), Actor::System] {
        for (read, answer) in every_read(&engine, &actor) {
            assert!(
                matches!(answer, Err(CommandError::Denied(_))),
                "{actor:?} reading {read} got {answer:?}"
            );
        }
    }
}

/// Every string of a JSON value with the key it is under, except the values of `skip` keys.
fn strings<'a>(value: &'a Value, key: &'a str, skip: &str, out: &mut Vec<(&'a str, &'a str)>) {
    match value {
        Value::String(s) => out.push((key, s)),
        Value::Array(items) => items.iter().for_each(|v| strings(v, key, skip, out)),
        Value::Object(members) => {
            for (k, v) in members {
                if k != skip {
                    strings(v, k, skip, out);
                }
            }
        }
        _ => {}
    }
}

/// Every key of a JSON value.
fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        Value::Object(members) => {
            for (k, v) in members {
                out.push(k.clone());
                keys(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_answer_carries_an_activation_code_except_a_valid_link_of_a_pending_subscription() {
    let state = demo_state(now());
    let engine = Engine::new(state.clone());
    let codes: Vec<&str> = state
        .subscriptions
        .values()
        .filter_map(|s| s.activation.as_ref())
        .map(|a| a.code.as_str())
        .collect();
    assert!(!codes.is_empty(), "the demo has activation codes");
    for role in ROLES {
        let actor = Actor::User(demo_user(&state, role).id);
        for (read, answer) in every_read(&engine, &actor) {
            let Ok(answer) = answer else { continue };
            let mut found = Vec::new();
            strings(&answer, "", "activationUri", &mut found);
            for (key, text) in found {
                assert!(
                    !codes.iter().any(|code| text.contains(code)),
                    "{role:?} reading {read} received an activation code under {key:?}"
                );
            }
        }
    }
}

#[test]
fn sales_and_helpdesk_agents_receive_no_charge_and_no_invoice() {
    let state = demo_state(now());
    let engine = Engine::new(state.clone());
    let invoices: Vec<&str> = state.invoices.iter().map(|i| i.number.as_str()).collect();
    assert!(!state.charges.is_empty() && !invoices.is_empty());
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let actor = Actor::User(demo_user(&state, role).id);
        for (read, answer) in every_read(&engine, &actor) {
            let Ok(answer) = answer else { continue };
            let mut names = Vec::new();
            keys(&answer, &mut names);
            assert!(
                !names.iter().any(|k| k == "chargeType"),
                "{role:?} reading {read} received a charge"
            );
            // What a renewal costs and what a cancellation refunds are billing figures too
            // (the Sales agent's restriction is on in the demo, so they may not cancel).
            for amount in ["renewalCharge", "refund"] {
                let mut values = Vec::new();
                values_of(&answer, amount, &mut values);
                assert!(
                    values.iter().all(|v| v.is_null()),
                    "{role:?} reading {read} received {amount}"
                );
            }
            let mut found = Vec::new();
            strings(&answer, "", "", &mut found);
            for (key, text) in found {
                assert!(
                    !invoices.iter().any(|n| text.contains(n)),
                    "{role:?} reading {read} received invoice {text:?} under {key:?}"
                );
            }
        }
    }
}

/// Every value under `key` in a JSON value.
fn values_of<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| values_of(v, key, out)),
        Value::Object(members) => {
            for (k, v) in members {
                if k == key {
                    out.push(v);
                }
                values_of(v, key, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_detail_page_tells_a_role_without_billing_why_it_sees_no_charges() {
    let state = demo_state(now());
    let engine = Engine::new(state.clone());
    let active = state
        .subscriptions
        .values()
        .find(|s| s.status == SubscriptionStatus::Active)
        .unwrap();
    let read = SubscriptionRead {
        customer: active.customer,
        subscription: active.id,
    };
    let helpdesk = Actor::User(demo_user(&state, Role::HelpdeskAgent).id);
    let admin = Actor::User(demo_user(&state, Role::AdminAgent).id);
    match read.answer(&engine, &helpdesk, now()).unwrap().charges {
        Restricted::Hidden(why) => assert!(why.contains("billing"), "{why}"),
        shown => panic!("a Helpdesk agent saw {shown:?}"),
    }
    let charges = read.answer(&engine, &admin, now()).unwrap().charges;
    assert!(charges.shown().is_some_and(|c| !c.is_empty()));
}

#[test]
fn a_subscription_is_found_only_under_its_own_customer() {
    let state = demo_state(now());
    let engine = Engine::new(state.clone());
    let admin = Actor::User(demo_user(&state, Role::GlobalAdmin).id);
    let sub = state.subscriptions.values().next().unwrap();
    let other = state
        .customers
        .keys()
        .find(|c| **c != sub.customer)
        .unwrap();
    let read = SubscriptionRead {
        customer: *other,
        subscription: sub.id,
    };
    assert!(matches!(
        read.answer(&engine, &admin, now()),
        Err(CommandError::NotFound(_))
    ));
}

#[test]
fn every_read_answer_reads_back_equal_from_its_json() {
    let state = demo_state(now());
    let engine = Engine::new(state.clone());
    let admin = Actor::User(demo_user(&state, Role::GlobalAdmin).id);
    fn round_trip<R: Read + std::fmt::Debug>(engine: &Engine, actor: &Actor, read: R)
    where
        R::Answer: std::fmt::Debug,
    {
        let text = serde_json::to_string(&read).unwrap();
        let back: R = serde_json::from_str(&text).unwrap();
        assert_eq!(back, read, "{} as {text}", R::NAME);
        let answer = read.answer(engine, actor, now()).unwrap();
        let text = serde_json::to_string(&answer).unwrap();
        let back: R::Answer = serde_json::from_str(&text).unwrap();
        assert_eq!(back, answer, "the answer of {}", R::NAME);
    }
    let sub = state.subscriptions.values().next().unwrap();
    round_trip(&engine, &admin, CustomerQuery::default());
    round_trip(
        &engine,
        &admin,
        SubscriptionRead {
            customer: sub.customer,
            subscription: sub.id,
        },
    );
    round_trip(&engine, &admin, BillingRead::default());
    round_trip(
        &engine,
        &admin,
        RenewalsRead {
            days: 60,
            closing_page: 1,
            ends_page: 1,
        },
    );
    round_trip(
        &engine,
        &admin,
        ActivityRead {
            filter: ActivityFilter {
                operation: Some(Operation::Rename),
                ..ActivityFilter::default()
            },
            page: 1,
            page_size: 50,
        },
    );
}

#[test]
fn the_long_lists_of_a_partner_at_scale_come_a_page_at_a_time_and_the_pages_cover_them() {
    let state = domain::demo::scale_state(now(), 300, 400);
    let engine = Engine::new(state.clone());
    let admin = Actor::User(demo_user(&state, Role::AdminAgent).id);
    let renewals = |page| {
        RenewalsRead {
            days: 90,
            closing_page: page,
            ends_page: page,
        }
        .answer(&engine, &admin, now())
        .unwrap()
    };
    let first = renewals(1).term_ends;
    assert!(first.total > LIST_PAGE, "{} term ends", first.total);
    assert_eq!(first.rows.len(), LIST_PAGE);
    let mut seen: Vec<SubscriptionId> = Vec::new();
    for page in 1..=first.page_count {
        let ends = renewals(page).term_ends;
        assert_eq!(ends.page, page);
        seen.extend(ends.rows.iter().map(|t| t.subscription));
    }
    assert_eq!(seen.len(), first.total, "every term end once");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), first.total, "no term end twice");
    assert_eq!(
        renewals(first.page_count + 5).term_ends.page,
        first.page_count
    );

    let billing = BillingRead { unbilled_page: 1 }
        .answer(&engine, &admin, now())
        .unwrap();
    let unbilled = engine.unbilled_charges(&admin).unwrap();
    assert_eq!(billing.unbilled.lines.total, unbilled.len());
    assert!(billing.unbilled.lines.rows.len() <= LIST_PAGE);
    let usd: i64 = unbilled
        .iter()
        .filter(|c| c.amount.currency == Currency::USD)
        .map(|c| c.amount.minor)
        .sum();
    assert!(
        billing
            .unbilled
            .totals
            .iter()
            .any(|t| t.currency == Currency::USD && t.minor == usd),
        "the total is of every unbilled charge, not the page's"
    );

    let log = ActivityRead {
        filter: ActivityFilter::default(),
        page: 1,
        page_size: 100,
    }
    .answer(&engine, &admin, now())
    .unwrap();
    assert!(
        log.customers.len() <= 100,
        "the customer filter offers the page's customers, not all {}",
        state.customers.len()
    );
}
