//! The console reads and writes JSON with `domain::json`, the server with serde. These tests hold
//! the two together: every document is written byte for byte as serde writes it and reads back
//! equal, and over damaged documents the reader accepts exactly what serde's reader accepts, with
//! the same result — but for dates and times, which it reads as strict RFC 3339 where serde's
//! reader (chrono's) also takes looser forms.

mod common;

use std::fmt::Debug;

use common::{World, at, t0};
use domain::json::{self, FromJson, ToJson};
use domain::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// `value` is written as serde writes it, and reads back equal.
fn reads_back<T: Serialize + ToJson + FromJson + PartialEq + Debug>(value: &T) {
    let text = serde_json::to_string(value).unwrap();
    assert_eq!(json::write(value), text);
    assert_eq!(&json::read::<T>(&text).unwrap(), value, "{text}");
}

/// Both readers accept `text` with the same value, or both refuse it; or serde's reader takes a
/// loose date and time that ours refuses.
fn same_verdict<T: DeserializeOwned + FromJson + PartialEq + Debug>(text: &str) {
    let serde_read = serde_json::from_str::<T>(text).ok();
    let ours = json::read::<T>(text);
    if let (Err(error), Some(_)) = (&ours, &serde_read) {
        let message = error.to_string();
        assert!(
            message.ends_with("is not a date and time"),
            "{message} on {text}"
        );
        return;
    }
    assert_eq!(
        ours.as_ref().ok(),
        serde_read.as_ref(),
        "the readers disagree on {text}: ours says {ours:?}"
    );
}

/// Every prefix, and every byte replaced by each of a few characters that JSON gives meaning to.
fn damaged_copies(text: &str) -> Vec<String> {
    let mut copies: Vec<String> = (0..text.len())
        .filter(|&end| text.is_char_boundary(end))
        .map(|end| text[..end].to_owned())
        .collect();
    for (i, _) in text.char_indices() {
        for replacement in [
            "x", "\"", "1", ",", "}", "]", " ", "\\", "n", "-", ".", "e", ":",
        ] {
            let mut copy = text.to_owned();
            let len = text[i..].chars().next().unwrap().len_utf8();
            copy.replace_range(i..i + len, replacement);
            copies.push(copy);
        }
    }
    copies
}

fn sub(n: u8) -> SubscriptionId {
    SubscriptionId::parse(&format!("{n:08}-0000-4000-8000-000000000000")).unwrap()
}

/// One command of every kind, with optional parts both present and absent.
fn every_command(world: &World) -> Vec<Command> {
    let offer = &world.engine.state().catalog.offers[0];
    let line = CartLine {
        item: CatalogItemId {
            offer: offer.id.clone(),
            plan: offer.plans[0].id.clone(),
            availability: offer.plans[0].availability.clone(),
        },
        term: Term::P1Y,
        billing: BillingFrequency::Monthly,
        quantity: 12,
        free_trial: false,
        nickname: Some(Nickname::parse("Helpdesk \"EU\" — é😀").unwrap()),
        reseller: Some(ResellerPartnerId::parse("4711002").unwrap()),
    };
    let commands = vec![
        Command::CreateCart {
            customer: world.customer,
            lines: vec![
                line.clone(),
                CartLine {
                    nickname: None,
                    reseller: None,
                    billing: BillingFrequency::OneTime,
                    ..line
                },
            ],
        },
        Command::Checkout {
            customer: world.customer,
            cart: CartId::parse("00000001-0000-4000-8000-00000000000a").unwrap(),
        },
        Command::ActivationLink {
            subscription: sub(1),
        },
        Command::Rename {
            subscription: sub(2),
            nickname: Nickname::parse("Line\\break").unwrap(),
        },
        Command::ChangeQuantity {
            subscription: sub(3),
            quantity: u64::MAX,
        },
        Command::Cancel {
            subscription: sub(4),
            steps_confirmed: true,
        },
        Command::SetAutoRenew {
            subscription: sub(5),
            on: false,
        },
        Command::SetReseller {
            subscription: sub(6),
            reseller: None,
        },
        Command::Resolve {
            token: "abc\u{1}def".to_owned(),
        },
        Command::AssignLicenses {
            subscription: sub(7),
            emails: vec!["a@contoso.example".to_owned(), String::new()],
        },
        Command::Activate {
            subscription: sub(8),
            plan_id: "0001".to_owned(),
            quantity: 3,
        },
        Command::RecordSetupTask {
            subscription: sub(9),
            task: SetupTask::SentUrlToCustomer,
            done: true,
        },
        Command::ScheduleChange {
            subscription: sub(10),
            plan: PlanId::parse("0002"),
            billing: Some(BillingFrequency::Annual),
        },
        Command::ScheduleChange {
            subscription: sub(10),
            plan: None,
            billing: None,
        },
        Command::WithdrawChange {
            subscription: sub(11),
        },
        Command::Suspend {
            subscription: sub(12),
        },
        Command::Reinstate {
            subscription: sub(13),
        },
        Command::SetPolicy {
            policy: Policy {
                cancellation_window: WindowPreset::Current,
                sales_agent_saas_update_restriction: false,
            },
        },
        Command::AdvanceClock,
    ];
    // A new kind of command must be added above: this match stops compiling without it.
    for command in &commands {
        match command {
            Command::CreateCart { .. }
            | Command::Checkout { .. }
            | Command::ActivationLink { .. }
            | Command::Rename { .. }
            | Command::ChangeQuantity { .. }
            | Command::Cancel { .. }
            | Command::SetAutoRenew { .. }
            | Command::SetReseller { .. }
            | Command::Resolve { .. }
            | Command::AssignLicenses { .. }
            | Command::Activate { .. }
            | Command::RecordSetupTask { .. }
            | Command::ScheduleChange { .. }
            | Command::WithdrawChange { .. }
            | Command::Suspend { .. }
            | Command::Reinstate { .. }
            | Command::SetPolicy { .. }
            | Command::AdvanceClock => {}
        }
    }
    commands
}

fn entries(world: &World) -> Vec<Entry> {
    let actors = [
        world.admin(),
        Actor::Publisher("contoso".to_owned()),
        Actor::System,
    ];
    every_command(world)
        .into_iter()
        .enumerate()
        .map(|(i, command)| Entry {
            at: t0() + chrono::TimeDelta::milliseconds(i as i64 * 1_234),
            actor: actors[i % actors.len()].clone(),
            command,
            seed: u64::MAX - i as u64,
        })
        .collect()
}

#[test]
fn every_entry_is_written_as_serde_writes_it_and_reads_back_equal() {
    let world = World::new();
    for entry in entries(&world) {
        reads_back(&entry);
    }
}

#[test]
fn every_answer_is_written_as_serde_writes_it_and_reads_back_equal() {
    let mut world = World::new();
    let id = world.buy_annual(t0(), 5);
    let state = world.engine.state();
    let answers = [
        Applied::Cart(CartId::parse("00000001-0000-4000-8000-00000000000a").unwrap()),
        Applied::Order(state.orders[0].clone()),
        Applied::Link(ActivationLink {
            uri: "https://publisher.example/landing?token=abc".to_owned(),
            code: "abc".to_owned(),
            expires_at: at("2026-03-13T14:05:00.123Z"),
            refreshed: true,
        }),
        Applied::Resolved(ResolvedPurchase {
            subscription: id,
            subscription_name: "Helpdesk".to_owned(),
            customer_name: "Contoso".to_owned(),
            customer_domain: "contoso.example".to_owned(),
            offer_id: "DZH318Z0BXWC".to_owned(),
            offer_name: "Contoso Sign".to_owned(),
            plan_id: "0001".to_owned(),
            plan_name: "Standard".to_owned(),
            quantity: 5,
            licenses: vec!["a@contoso.example".to_owned()],
        }),
        Applied::Clock(ClockReport {
            renewed: vec![id],
            expired: vec![],
            converted: vec![sub(3)],
            cycle_charges: 7,
            windows_closed: vec![id],
            invoices: vec!["INV-2026-03-USD".to_owned()],
        }),
        Applied::Done,
    ];
    for answer in &answers {
        reads_back(answer);
    }
}

#[test]
fn the_demo_and_a_large_state_are_written_as_serde_writes_them_and_read_back_equal() {
    let demo = domain::demo::demo_state(at("2026-11-24T09:30:00Z"));
    let large = domain::demo::scale_state(at("2026-11-24T09:30:00Z"), 300, 500);
    for state in [demo, large] {
        assert_eq!(state.save(), serde_json::to_string(&state).unwrap());
        assert_eq!(State::load(&state.save()).unwrap(), state);
    }
}

#[test]
fn strings_are_escaped_as_serde_escapes_them() {
    let text: String = (0u8..0x80)
        .map(char::from)
        .chain("é😀\u{2028}".chars())
        .collect();
    assert_eq!(json::write(&text), serde_json::to_string(&text).unwrap());
    assert_eq!(json::read::<String>(&json::write(&text)).unwrap(), text);
}

#[test]
fn damaged_entries_are_accepted_and_refused_as_serde_does() {
    let world = World::new();
    for entry in entries(&world) {
        let text = serde_json::to_string(&entry).unwrap();
        for copy in damaged_copies(&text) {
            same_verdict::<Entry>(&copy);
        }
    }
}

#[test]
fn damaged_subscriptions_and_answers_are_accepted_and_refused_as_serde_does() {
    let mut world = World::new();
    let id = world.buy_annual(t0(), 5);
    world.activate(id, t0());
    let subscription = serde_json::to_string(world.sub(id)).unwrap();
    for copy in damaged_copies(&subscription) {
        same_verdict::<Subscription>(&copy);
    }
    let order = serde_json::to_string(&Applied::Order(world.engine.state().orders[0].clone()));
    for copy in damaged_copies(&order.unwrap()) {
        same_verdict::<Applied>(&copy);
    }
}

#[test]
fn a_damaged_state_names_the_field_that_is_wrong() {
    let demo = domain::demo::demo_state(at("2026-11-24T09:30:00Z"));
    let text = demo.save().replacen("\"quantity\":", "\"quantity\":-", 1);
    let Err(LoadError::Damaged(message)) = State::load(&text) else {
        panic!("a negative quantity must not load");
    };
    assert!(
        message.starts_with("subscriptions.") && message.contains(".quantity: `-"),
        "{message}"
    );
    assert!(
        message.ends_with("is not a whole number in the range of u32"),
        "{message}"
    );
}
