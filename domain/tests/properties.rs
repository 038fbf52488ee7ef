//! Properties of the engine that must hold after any sequence of commands and clock advances.
//!
//! Each case generates a small demo partner (4 customers, 14 subscriptions, 2 months of history)
//! and runs a random sequence of commands — purchases, activation links, setup tasks, the
//! publisher's resolve/licenses/activate/suspend/reinstate, every update, policy changes — by
//! random actors (the five partner users, publishers, the clock), with random time advances of an
//! hour to three months. After every step it checks:
//!
//! - nothing is charged before the publisher activates a subscription, or after it ends;
//! - every quantity stays within its plan's bounds;
//! - cancelled and expired subscriptions stay so;
//! - every invoice total is the sum of its lines, all in the invoice's currency;
//! - the activity log is append-only, each successful command records its change, and each
//!   refusal records exactly one entry carrying the error's message;
//! - the saved state loads back equal.
//!
//! A second property runs the same checks over one new subscription's life (quantity changes at
//! the plans' bounds, next-term changes, auto-renew, renewals), where plan changes are frequent.
//!
//! Deterministic tests at the end show that each check does fail on a tampered state, and that
//! the random sequences do reach every command and clock event successfully, so the properties
//! are not vacuous. The last test pins, step by step, a case the properties found.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::TimeDelta;
use domain::demo::{DemoSize, demo_user, generate};
use domain::{
    ActivityEntry, ActivityFilter, Actor, BillingFrequency, CartId, CartLine, CatalogItemId,
    CommandError, CustomerId, CustomerQuery, CustomerSort, Engine, Nickname, Operation, Outcome,
    Plan, PlanId, Policy, ResellerPartnerId, Role, SeededIds, SetupTask, SortDirection, State,
    Subscription, SubscriptionId, SubscriptionQuery, SubscriptionSort, SubscriptionStatus, Term,
    Timestamp, WindowPreset,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// The generated partner's size: small, so a case runs in milliseconds.
const SIZE: DemoSize = DemoSize {
    customers: 4,
    subscriptions: 14,
    history_months: 2,
};

/// How often (in steps) the save/load round trip is checked; it is also checked at the end.
const ROUND_TRIP_EVERY: usize = 8;

fn start() -> Timestamp {
    "2026-11-24T09:30:00Z".parse().expect("a valid time")
}

// ---------------------------------------------------------------------------------------------
// The command model.

/// Who acts. `Natural` is whoever would normally do it (an admin for updates, a buyer for
/// purchases, the offer's publisher for fulfillment); the others are anyone at all.
#[derive(Debug, Clone)]
enum Who {
    Natural(u8),
    User(Role),
    OffersPublisher,
    AnyPublisher(u8),
    System,
}

/// Which subscription: the one the previous command was about (`same`, so that several commands
/// meet on one subscription), or an index into the current list. With `preferred`, only one
/// that suits the command (say, a pending one for activation) when there is one.
#[derive(Debug, Clone, Copy)]
struct Pick {
    same: bool,
    index: usize,
    preferred: bool,
}

/// A quantity relative to a base (the plan minimum when buying, the current quantity when
/// changing), next to a bound of one of the offer's plans, or any number at all.
#[derive(Debug, Clone, Copy)]
enum Qty {
    Delta(i16),
    Bound { plan: usize, max: bool, off: i8 },
    Exactly(u64),
}

impl Qty {
    fn resolve(self, base: u64, plans: &[Plan]) -> u64 {
        match self {
            Qty::Delta(d) => base.saturating_add_signed(i64::from(d)),
            Qty::Bound { plan, max, off } => {
                let plan = &plans[plan % plans.len()];
                let bound = if max {
                    plan.max_quantity
                } else {
                    plan.min_quantity
                };
                u64::from(bound).saturating_add_signed(i64::from(off))
            }
            Qty::Exactly(q) => q,
        }
    }
}

/// A price option: one the plan lists, or any term and billing frequency.
#[derive(Debug, Clone, Copy)]
enum PriceSpec {
    Listed(usize),
    Any(usize, usize),
}

/// One line of a cart.
#[derive(Debug, Clone)]
struct LineSpec {
    offer: usize,
    plan: usize,
    price: PriceSpec,
    quantity: Qty,
    free_trial: bool,
    nickname: Option<String>,
    reseller: Option<usize>,
}

/// Licenses the publisher assigns before activating.
#[derive(Debug, Clone, Copy)]
enum Licenses {
    None,
    Some(u8),
    TooMany,
    NotAnEmail,
}

/// The activation token given to resolve.
#[derive(Debug, Clone, Copy)]
enum Token {
    Issued,
    Malformed,
    Unknown,
}

/// One step of a sequence.
#[derive(Debug, Clone)]
enum Step {
    /// Time moves on; with `tick` the clock is advanced now, otherwise the next command catches up.
    Advance {
        hours: i64,
        tick: bool,
    },
    Buy {
        who: Who,
        customer: usize,
        lines: Vec<LineSpec>,
    },
    CheckoutAgain {
        who: Who,
    },
    Link {
        who: Who,
        pick: Pick,
    },
    SetupTask {
        who: Who,
        pick: Pick,
        task: usize,
        done: bool,
    },
    Resolve {
        who: Who,
        pick: Pick,
        token: Token,
    },
    Activate {
        who: Who,
        pick: Pick,
        licenses: Licenses,
        right_plan: bool,
        right_quantity: bool,
    },
    Rename {
        who: Who,
        pick: Pick,
        nickname: String,
    },
    Quantity {
        who: Who,
        pick: Pick,
        quantity: Qty,
    },
    Cancel {
        who: Who,
        pick: Pick,
        confirmed: bool,
    },
    /// `on: None` turns auto-renew the other way.
    AutoRenew {
        who: Who,
        pick: Pick,
        on: Option<bool>,
    },
    Reseller {
        who: Who,
        pick: Pick,
        reseller: usize,
    },
    /// With `offered`, one of the changes the subscription's offer makes possible; otherwise any
    /// plan and billing frequency.
    Schedule {
        who: Who,
        pick: Pick,
        offered: Option<usize>,
        plan: Option<usize>,
        billing: Option<usize>,
    },
    Withdraw {
        who: Who,
        pick: Pick,
    },
    Suspend {
        who: Who,
        pick: Pick,
    },
    Reinstate {
        who: Who,
        pick: Pick,
    },
    SetPolicy {
        who: Who,
        restriction: bool,
        current_windows: bool,
    },
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        10 => any::<u8>().prop_map(Who::Natural),
        3 => prop::sample::select(Role::ALL.to_vec()).prop_map(Who::User),
        1 => Just(Who::OffersPublisher),
        1 => any::<u8>().prop_map(Who::AnyPublisher),
        1 => Just(Who::System),
    ]
}

fn pick() -> impl Strategy<Value = Pick> {
    (
        prop::bool::weighted(0.4),
        0usize..1000,
        prop::bool::weighted(0.85),
    )
        .prop_map(|(same, index, preferred)| Pick {
            same,
            index,
            preferred,
        })
}

fn qty() -> impl Strategy<Value = Qty> {
    prop_oneof![
        4 => (-3i16..=6).prop_map(Qty::Delta),
        1 => (-1000i16..=1000).prop_map(Qty::Delta),
        2 => (0usize..3, any::<bool>(), -1i8..=1)
            .prop_map(|(plan, max, off)| Qty::Bound { plan, max, off }),
        1 => prop_oneof![
            0u64..=12,
            490u64..=510,
            990u64..=1010,
            4990u64..=5010,
            9990u64..=10_010,
            19_990u64..=20_010,
            Just(u64::from(u32::MAX) + 1),
            any::<u64>(),
        ]
        .prop_map(Qty::Exactly),
    ]
}

/// Nicknames, valid and not: blank, control characters, too long, surrounded by spaces, markup.
fn nickname() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z][A-Za-z0-9 ]{0,15}",
        1 => prop::sample::select(vec![
            String::new(),
            "   ".to_owned(),
            "Finance\tteam".to_owned(),
            "Head\noffice".to_owned(),
            "x".repeat(101),
            "é".repeat(100),
            "  Field engineers  ".to_owned(),
            "<b>Board</b>".to_owned(),
        ]),
    ]
}

fn line() -> impl Strategy<Value = LineSpec> {
    (
        0usize..64,
        0usize..8,
        prop_oneof![
            7 => (0usize..8).prop_map(PriceSpec::Listed),
            1 => (0usize..4, 0usize..3).prop_map(|(t, b)| PriceSpec::Any(t, b)),
        ],
        prop_oneof![6 => (0i16..=5).prop_map(Qty::Delta), 1 => qty()],
        prop::bool::weighted(0.1),
        prop::option::weighted(0.3, nickname()),
        prop::option::weighted(0.15, 0usize..8),
    )
        .prop_map(
            |(offer, plan, price, quantity, free_trial, nickname, reseller)| LineSpec {
                offer,
                plan,
                price,
                quantity,
                free_trial,
                nickname,
                reseller,
            },
        )
}

fn step() -> impl Strategy<Value = Step> {
    let licenses = prop_oneof![
        1 => Just(Licenses::None),
        6 => (1u8..=4).prop_map(Licenses::Some),
        1 => Just(Licenses::TooMany),
        1 => Just(Licenses::NotAnEmail),
    ];
    let token = prop_oneof![
        4 => Just(Token::Issued),
        1 => Just(Token::Malformed),
        1 => Just(Token::Unknown),
    ];
    prop_oneof![
        5 => (
            prop_oneof![1i64..=48, 48i64..=24 * 31, 24 * 31i64..=24 * 92],
            prop::bool::weighted(0.6),
        )
            .prop_map(|(hours, tick)| Step::Advance { hours, tick }),
        3 => (who(), 0usize..16, prop::collection::vec(line(), 1..=2))
            .prop_map(|(who, customer, lines)| Step::Buy { who, customer, lines }),
        1 => who().prop_map(|who| Step::CheckoutAgain { who }),
        2 => (who(), pick()).prop_map(|(who, pick)| Step::Link { who, pick }),
        2 => (who(), pick(), 0usize..3, prop::bool::weighted(0.8))
            .prop_map(|(who, pick, task, done)| Step::SetupTask { who, pick, task, done }),
        2 => (who(), pick(), token).prop_map(|(who, pick, token)| Step::Resolve { who, pick, token }),
        5 => (
            who(),
            pick(),
            licenses,
            prop::bool::weighted(0.9),
            prop::bool::weighted(0.9),
        )
            .prop_map(|(who, pick, licenses, right_plan, right_quantity)| Step::Activate {
                who,
                pick,
                licenses,
                right_plan,
                right_quantity,
            }),
        2 => (who(), pick(), nickname())
            .prop_map(|(who, pick, nickname)| Step::Rename { who, pick, nickname }),
        4 => (who(), pick(), qty())
            .prop_map(|(who, pick, quantity)| Step::Quantity { who, pick, quantity }),
        2 => (who(), pick(), prop::bool::weighted(0.8))
            .prop_map(|(who, pick, confirmed)| Step::Cancel { who, pick, confirmed }),
        2 => (who(), pick(), prop::option::weighted(0.25, any::<bool>()))
            .prop_map(|(who, pick, on)| Step::AutoRenew { who, pick, on }),
        2 => (who(), pick(), 0usize..8)
            .prop_map(|(who, pick, reseller)| Step::Reseller { who, pick, reseller }),
        3 => (
            who(),
            pick(),
            prop::option::weighted(0.7, 0usize..8),
            prop::option::of(0usize..3),
            prop::option::of(0usize..3),
        )
            .prop_map(|(who, pick, offered, plan, billing)| Step::Schedule {
                who,
                pick,
                offered,
                plan,
                billing,
            }),
        2 => (who(), pick()).prop_map(|(who, pick)| Step::Withdraw { who, pick }),
        1 => (who(), pick()).prop_map(|(who, pick)| Step::Suspend { who, pick }),
        1 => (who(), pick()).prop_map(|(who, pick)| Step::Reinstate { who, pick }),
        1 => (who(), any::<bool>(), prop::bool::weighted(0.3)).prop_map(
            |(who, restriction, current_windows)| Step::SetPolicy {
                who,
                restriction,
                current_windows,
            }
        ),
    ]
}

fn case() -> impl Strategy<Value = (u64, Vec<Step>)> {
    (any::<u64>(), prop::collection::vec(step(), 1..=40))
}

/// One new subscription's life: bought and activated, then quantity changes, next-term changes,
/// auto-renew and months of time, all by the natural actors on that one subscription.
fn one_subscription_case() -> impl Strategy<Value = (u64, Vec<Step>)> {
    // Always the subscription bought first, whatever its status.
    let same = Pick {
        same: true,
        index: 0,
        preferred: false,
    };
    let natural = Who::Natural(0);
    let life = prop_oneof![
        3 => (prop::option::weighted(0.8, 0usize..8), prop::option::of(0usize..3))
            .prop_map(move |(offered, plan)| Step::Schedule {
                who: Who::Natural(0),
                pick: same,
                offered,
                plan,
                billing: None,
            }),
        // Quantities just inside and just outside a bound of one of the offer's plans are the
        // interesting ones here.
        4 => prop_oneof![
            4 => (0usize..2, any::<bool>(), prop::sample::select(vec![-1i8, 1]))
                .prop_map(|(plan, max, off)| Qty::Bound { plan, max, off }),
            1 => qty(),
        ]
        .prop_map(move |quantity| Step::Quantity {
            who: Who::Natural(0),
            pick: same,
            quantity,
        }),
        1 => Just(Step::Withdraw {
            who: Who::Natural(0),
            pick: same,
        }),
        1 => Just(Step::AutoRenew {
            who: Who::Natural(0),
            pick: same,
            on: None,
        }),
        3 => (24i64..=24 * 40, any::<bool>())
            .prop_map(|(hours, tick)| Step::Advance { hours, tick }),
    ];
    // Plan changes need an offer with several plans.
    let several_plans: Vec<usize> = domain::demo::catalog()
        .offers
        .iter()
        .enumerate()
        .filter(|(_, o)| o.plans.len() > 1)
        .map(|(i, _)| i)
        .collect();
    (
        any::<u64>(),
        line(),
        prop::sample::select(several_plans),
        prop::collection::vec(life, 4..=20),
    )
        .prop_map(move |(seed, mut line, offer, life)| {
            line.offer = offer;
            line.price = PriceSpec::Listed(0);
            line.free_trial = false;
            line.reseller = None;
            let mut steps = vec![
                Step::Buy {
                    who: natural.clone(),
                    customer: 0,
                    lines: vec![line],
                },
                Step::Activate {
                    who: natural.clone(),
                    pick: same,
                    licenses: Licenses::Some(1),
                    right_plan: true,
                    right_quantity: true,
                },
            ];
            steps.extend(life);
            (seed, steps)
        })
}

// ---------------------------------------------------------------------------------------------
// The invariants. Each says what is wrong, or nothing.

/// Nothing is charged before activation (and a never-activated subscription has no charge).
fn check_no_charge_before_activation(state: &State) -> Result<(), String> {
    for charge in &state.charges {
        let Some(sub) = state.subscriptions.get(&charge.subscription) else {
            return Err(format!("charge {} names no subscription", charge.seq));
        };
        match sub.activated_at {
            None => {
                return Err(format!(
                    "charge {} ({:?}) on subscription {}, which was never activated",
                    charge.seq, charge.charge_type, sub.id
                ));
            }
            Some(at) if at > charge.posted_at => {
                return Err(format!(
                    "charge {} posted {} before subscription {} was activated at {at}",
                    charge.seq, charge.posted_at, sub.id
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Nothing is charged after a subscription ended.
fn check_no_charge_after_end(state: &State) -> Result<(), String> {
    for charge in &state.charges {
        let sub = &state.subscriptions[&charge.subscription];
        if let Some(ended) = sub.ended_at
            && charge.posted_at > ended
        {
            return Err(format!(
                "charge {} ({:?}) posted {} on subscription {}, which ended {ended}",
                charge.seq, charge.charge_type, charge.posted_at, sub.id
            ));
        }
    }
    Ok(())
}

/// Every quantity is within its plan's bounds.
fn check_quantities(state: &State) -> Result<(), String> {
    for sub in state.subscriptions.values() {
        let Some((_, plan)) = state.catalog.item(&sub.item) else {
            return Err(format!("subscription {} names no catalog item", sub.id));
        };
        if !plan.allows_quantity(u64::from(sub.quantity)) {
            return Err(format!(
                "subscription {} ({:?}) has {} licenses on {} ({}..={})",
                sub.id, sub.status, sub.quantity, plan.name, plan.min_quantity, plan.max_quantity
            ));
        }
    }
    Ok(())
}

/// Cancelled and expired subscriptions never change status again. `seen` remembers the statuses
/// of the previous check.
fn check_terminal(
    state: &State,
    seen: &mut BTreeMap<SubscriptionId, SubscriptionStatus>,
) -> Result<(), String> {
    for (id, before) in seen.iter() {
        let Some(sub) = state.subscriptions.get(id) else {
            return Err(format!("subscription {id} disappeared"));
        };
        if before.is_terminal() && sub.status != *before {
            return Err(format!(
                "subscription {id} went from {before:?} to {:?}",
                sub.status
            ));
        }
    }
    *seen = state
        .subscriptions
        .values()
        .map(|s| (s.id, s.status))
        .collect();
    Ok(())
}

/// Every invoice total is the sum of its lines, every line in the invoice's currency and marked
/// with the invoice's number.
fn check_invoices(state: &State) -> Result<(), String> {
    for invoice in &state.invoices {
        let mut sum = 0i64;
        for &seq in &invoice.lines {
            let Some(charge) = state.charges.get(seq as usize) else {
                return Err(format!("{} lists a missing line {seq}", invoice.number));
            };
            if charge.amount.currency != invoice.currency {
                return Err(format!(
                    "{} ({:?}) has line {seq} in {:?}",
                    invoice.number, invoice.currency, charge.amount.currency
                ));
            }
            if charge.invoice.as_deref() != Some(invoice.number.as_str()) {
                return Err(format!(
                    "{} lists line {seq}, which is marked {:?}",
                    invoice.number, charge.invoice
                ));
            }
            sum += charge.amount.minor;
        }
        if invoice.total.currency != invoice.currency || invoice.total.minor != sum {
            return Err(format!(
                "{} totals {:?} but its lines add up to {sum}",
                invoice.number, invoice.total
            ));
        }
    }
    Ok(())
}

/// The saved state loads back equal.
fn check_round_trip(state: &State) -> Result<(), String> {
    match State::load(&state.save()) {
        Ok(loaded) if loaded == *state => Ok(()),
        Ok(_) => Err("the saved state loads back different".into()),
        Err(e) => Err(format!("the saved state does not load: {e}")),
    }
}

/// The operations the clock records (and only the clock).
const CLOCK_OPERATIONS: [Operation; 4] = [
    Operation::Renew,
    Operation::Expire,
    Operation::ConvertTrial,
    Operation::CloseInvoice,
];

/// What one command call added to the log: the clock's entries first (time-based events applied
/// before the command), then the command's own — `ok_entries` on success, one refusal carrying
/// the error's message on failure.
fn check_call_entries<T>(
    entries: &[ActivityEntry],
    operation: Operation,
    now: Timestamp,
    result: &Result<T, CommandError>,
    ok_entries: impl FnOnce(&T) -> usize,
) -> Result<(), String> {
    let split = entries
        .iter()
        .position(|e| !CLOCK_OPERATIONS.contains(&e.operation))
        .unwrap_or(entries.len());
    let (clock, own) = entries.split_at(split);
    check_clock_entries(clock, now)?;
    if let Some(e) = own.iter().find(|e| e.operation != operation) {
        return Err(format!("{operation:?} also logged {e:?}"));
    }
    match result {
        Ok(value) => {
            let expected = ok_entries(value);
            if own.len() != expected || own.iter().any(|e| e.outcome != Outcome::Succeeded) {
                return Err(format!(
                    "{operation:?} succeeded and should log {expected} success(es), but logged {own:?}"
                ));
            }
        }
        Err(error) => {
            let denied = Outcome::Denied {
                message: error.to_string(),
                code: error.code(),
            };
            if own.len() != 1 || own[0].outcome != denied {
                return Err(format!(
                    "{operation:?} failed with {error:?} and should log one {denied:?}, but logged {own:?}"
                ));
            }
        }
    }
    if let Some(e) = own.iter().find(|e| e.at != now) {
        return Err(format!("{operation:?} logged at {} instead of {now}", e.at));
    }
    Ok(())
}

/// Entries of time-based events: the clock's, successful, no later than now.
fn check_clock_entries(entries: &[ActivityEntry], now: Timestamp) -> Result<(), String> {
    for e in entries {
        if !CLOCK_OPERATIONS.contains(&e.operation)
            || e.actor.name != "System"
            || e.outcome != Outcome::Succeeded
            || e.at > now
        {
            return Err(format!("unexpected entry while time moved to {now}: {e:?}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Running a sequence.

/// The side of the product a command belongs to: who would normally do it.
#[derive(Debug, Clone, Copy)]
enum Side {
    View,
    Purchase,
    Update,
    Policy,
    Publisher,
}

/// How many times each command succeeded and failed.
type Stats = BTreeMap<&'static str, (usize, usize)>;

/// One sequence being run: the engine, the time, and what the checks remember between steps.
struct Run {
    engine: Engine,
    now: Timestamp,
    ids: SeededIds,
    last_cart: Option<(CustomerId, CartId, Actor)>,
    /// The subscription the last command was about.
    last_sub: Cell<Option<SubscriptionId>>,
    statuses: BTreeMap<SubscriptionId, SubscriptionStatus>,
    activated: BTreeMap<SubscriptionId, Timestamp>,
    log: Vec<ActivityEntry>,
    stats: Stats,
}

impl Run {
    fn new(seed: u64) -> Self {
        let state = generate(seed, start(), SIZE);
        let mut run = Run {
            log: state.activity.clone(),
            engine: Engine::new(state),
            now: start(),
            ids: SeededIds::new(seed ^ 0x5EED),
            last_cart: None,
            last_sub: Cell::new(None),
            statuses: BTreeMap::new(),
            activated: BTreeMap::new(),
            stats: Stats::new(),
        };
        let state = run.engine.state().clone();
        check_terminal(&state, &mut run.statuses).expect("the first check remembers");
        run
    }

    fn user(&self, role: Role) -> Actor {
        Actor::User(demo_user(self.engine.state(), role).id)
    }

    fn publishers(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .engine
            .state()
            .catalog
            .offers
            .iter()
            .map(|o| o.publisher_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    fn publisher_of(&self, id: Option<SubscriptionId>) -> Actor {
        let publisher = match id.and_then(|id| self.engine.subscription(id).ok()) {
            Some(sub) => self.engine.offer_and_plan(sub).0.publisher_id.clone(),
            None => self.publishers()[0].clone(),
        };
        Actor::Publisher(publisher)
    }

    fn actor(&self, who: &Who, side: Side, sub: Option<SubscriptionId>) -> Actor {
        let n = |k: u8, len: usize| usize::from(k) % len;
        match who {
            Who::Natural(k) => match side {
                Side::View => self.user(Role::ALL[n(*k, 5)]),
                Side::Purchase => {
                    self.user([Role::GlobalAdmin, Role::AdminAgent, Role::SalesAgent][n(*k, 3)])
                }
                Side::Update => self.user([Role::GlobalAdmin, Role::AdminAgent][n(*k, 2)]),
                Side::Policy => self.user(Role::GlobalAdmin),
                Side::Publisher => self.publisher_of(sub),
            },
            Who::User(role) => self.user(*role),
            Who::OffersPublisher => self.publisher_of(sub),
            Who::AnyPublisher(k) => {
                let all = self.publishers();
                Actor::Publisher(all[n(*k, all.len())].clone())
            }
            Who::System => Actor::System,
        }
    }

    /// A subscription, preferably one in `statuses`.
    fn choose(&self, pick: Pick, statuses: &[SubscriptionStatus]) -> Option<SubscriptionId> {
        self.choose_where(pick, |s| statuses.contains(&s.status))
    }

    /// A subscription, preferably one for which `prefer` holds.
    fn choose_where(
        &self,
        pick: Pick,
        prefer: impl Fn(&Subscription) -> bool,
    ) -> Option<SubscriptionId> {
        let last = self.last_sub.get();
        let last =
            last.filter(|id| !pick.preferred || prefer(&self.engine.state().subscriptions[id]));
        if pick.same
            && let Some(id) = last
        {
            return Some(id);
        }
        let all: Vec<_> = self.engine.state().subscriptions.values().collect();
        let preferred: Vec<_> = all.iter().filter(|s| prefer(s)).copied().collect();
        let list = if pick.preferred && !preferred.is_empty() {
            preferred
        } else {
            all
        };
        let id = (!list.is_empty()).then(|| list[pick.index % list.len()].id);
        self.last_sub.set(id.or(self.last_sub.get()));
        id
    }

    /// Calls one engine command at the current time and checks what it logged; gives back the
    /// command's answer, or `None` when it was refused.
    fn call<T>(
        &mut self,
        name: &'static str,
        operation: Operation,
        ok_entries: impl FnOnce(&T) -> usize,
        command: impl FnOnce(&mut Engine, Timestamp, &mut SeededIds) -> Result<T, CommandError>,
    ) -> Result<Option<T>, String> {
        let before = self.engine.state().activity.len();
        let result = command(&mut self.engine, self.now, &mut self.ids);
        let entries = &self.engine.state().activity[before..];
        check_call_entries(entries, operation, self.now, &result, ok_entries)
            .map_err(|e| format!("{name}: {e}"))?;
        let counts = self.stats.entry(name).or_default();
        if result.is_ok() {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        Ok(result.ok())
    }

    fn cart_line(&self, spec: &LineSpec) -> CartLine {
        let state = self.engine.state();
        let offer = &state.catalog.offers[spec.offer % state.catalog.offers.len()];
        let plan = &offer.plans[spec.plan % offer.plans.len()];
        let (term, billing) = match spec.price {
            PriceSpec::Listed(i) => {
                let p = plan.prices[i % plan.prices.len()];
                (p.term, p.billing)
            }
            PriceSpec::Any(t, b) => (Term::ALL[t % 4], BillingFrequency::ALL[b % 3]),
        };
        CartLine {
            item: CatalogItemId {
                offer: offer.id.clone(),
                plan: plan.id.clone(),
                availability: plan.availability.clone(),
            },
            term,
            billing,
            quantity: spec
                .quantity
                .resolve(u64::from(plan.min_quantity), &offer.plans),
            free_trial: spec.free_trial,
            nickname: spec
                .nickname
                .as_deref()
                .and_then(|n| Nickname::parse(n).ok()),
            reseller: spec.reseller.and_then(|r| self.reseller(r)),
        }
    }

    /// The partner's resellers (authorized or not), then unknown PartnerIDs, then none.
    fn reseller(&self, index: usize) -> Option<ResellerPartnerId> {
        let mut ids: Vec<ResellerPartnerId> = self
            .engine
            .state()
            .partner
            .resellers
            .iter()
            .map(|r| r.partner_id.clone())
            .collect();
        ids.extend(
            ["99999", "1234567890", "4711003"]
                .iter()
                .map(|t| ResellerPartnerId::parse(t).expect("valid")),
        );
        ids.get(index % (ids.len() + 1)).cloned()
    }

    /// Advances the clock to now and checks it only applied time-based events.
    fn tick(&mut self) -> Result<(), String> {
        let before = self.engine.state().activity.len();
        let invoices_before = self.engine.state().invoices.len();
        let report = self.engine.advance_clock(self.now);
        let state = self.engine.state();
        check_clock_entries(&state.activity[before..], self.now)?;
        let closed: Vec<String> = state.invoices[invoices_before..]
            .iter()
            .map(|i| i.number.clone())
            .collect();
        if closed != report.invoices {
            return Err(format!(
                "the clock reports invoices {:?} but closed {closed:?}",
                report.invoices
            ));
        }
        if state.clock != self.now {
            return Err(format!(
                "the clock is at {} after advancing to {}",
                state.clock, self.now
            ));
        }
        Ok(())
    }

    fn step(&mut self, step: &Step) -> Result<(), String> {
        use SubscriptionStatus::{Active, Pending, Suspended};
        match step {
            Step::Advance { hours, tick } => {
                self.now += TimeDelta::hours(*hours);
                if *tick {
                    self.tick()?;
                }
            }
            Step::Buy {
                who,
                customer,
                lines,
            } => {
                let customers: Vec<CustomerId> =
                    self.engine.state().customers.keys().copied().collect();
                let customer = customers[customer % customers.len()];
                let lines: Vec<CartLine> = lines.iter().map(|l| self.cart_line(l)).collect();
                let actor = self.actor(who, Side::Purchase, None);
                let cart = self.call(
                    "create_cart",
                    Operation::CreateCart,
                    |_| 1,
                    |e, now, ids| e.create_cart(&actor, now, ids, customer, lines),
                )?;
                if let Some(cart) = cart {
                    self.last_cart = Some((customer, cart, actor.clone()));
                    let order = self.call(
                        "checkout",
                        Operation::Purchase,
                        |order: &domain::Order| order.lines.len(),
                        |e, now, ids| e.checkout(&actor, now, ids, customer, cart),
                    )?;
                    if let Some(line) = order.and_then(|o| o.lines.first().cloned()) {
                        self.last_sub.set(Some(line.subscription));
                    }
                }
            }
            Step::CheckoutAgain { who } => {
                if let Some((customer, cart, buyer)) = self.last_cart.clone() {
                    let actor = match who {
                        Who::Natural(_) => buyer,
                        other => self.actor(other, Side::Purchase, None),
                    };
                    self.call(
                        "checkout again",
                        Operation::Purchase,
                        |order: &domain::Order| order.lines.len(),
                        |e, now, ids| e.checkout(&actor, now, ids, customer, cart),
                    )?;
                }
            }
            Step::Link { who, pick } => {
                let Some(id) = self.choose(*pick, &[Pending]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::View, Some(id));
                self.call(
                    "activation_link",
                    Operation::GetActivationLink,
                    |link: &domain::ActivationLink| usize::from(link.refreshed),
                    |e, now, ids| e.activation_link(&actor, now, ids, id),
                )?;
            }
            Step::SetupTask {
                who,
                pick,
                task,
                done,
            } => {
                let Some(id) = self.choose(*pick, &[Pending]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Purchase, Some(id));
                let task = SetupTask::ALL[task % 3];
                self.call(
                    "record_setup_task",
                    Operation::RecordSetupTask,
                    |_| 1,
                    |e, now, _| e.record_setup_task(&actor, now, id, task, *done),
                )?;
            }
            Step::Resolve { who, pick, token } => {
                let Some(id) = self.choose(*pick, &[Pending]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Publisher, Some(id));
                let issued = self.engine.state().subscriptions[&id]
                    .activation
                    .as_ref()
                    .map_or_else(|| "Z".repeat(40), |a| a.code.clone());
                let token = match token {
                    Token::Issued => issued,
                    Token::Malformed => "not a token".to_owned(),
                    Token::Unknown => "0".repeat(40),
                };
                self.call(
                    "resolve",
                    Operation::ResolvePurchase,
                    |_| 0,
                    |e, now, _| e.resolve(&actor, now, &token),
                )?;
            }
            Step::Activate {
                who,
                pick,
                licenses,
                right_plan,
                right_quantity,
            } => {
                let Some(id) = self.choose(*pick, &[Pending]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Publisher, Some(id));
                let sub = self.engine.state().subscriptions[&id].clone();
                let domain_name = self.engine.state().customers[&sub.customer]
                    .primary_domain
                    .clone();
                let emails = |n: u32| -> Vec<String> {
                    (0..n).map(|i| format!("user{i}@{domain_name}")).collect()
                };
                let emails = match licenses {
                    Licenses::None => Vec::new(),
                    Licenses::Some(n) => emails(u32::from(*n).min(sub.quantity)),
                    Licenses::TooMany => emails(sub.quantity.min(60) + 1),
                    Licenses::NotAnEmail => vec!["not-an-email".to_owned()],
                };
                if !emails.is_empty() {
                    self.call(
                        "assign_licenses",
                        Operation::AssignLicenses,
                        |_| 1,
                        |e, now, _| e.assign_licenses(&actor, now, id, &emails),
                    )?;
                }
                let plan = if *right_plan {
                    sub.item.plan.to_string()
                } else {
                    "9999".to_owned()
                };
                let quantity = if *right_quantity {
                    sub.quantity
                } else {
                    sub.quantity + 1
                };
                self.call(
                    "activate",
                    Operation::Activate,
                    |_| 1,
                    |e, now, _| e.activate(&actor, now, id, &plan, quantity),
                )?;
            }
            Step::Rename {
                who,
                pick,
                nickname,
            } => {
                let (Some(id), Ok(nickname)) =
                    (self.choose(*pick, &[Active]), Nickname::parse(nickname))
                else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                self.call(
                    "rename",
                    Operation::Rename,
                    |_| 1,
                    |e, now, _| e.rename(&actor, now, id, nickname),
                )?;
            }
            Step::Quantity {
                who,
                pick,
                quantity,
            } => {
                let Some(id) = self.choose(*pick, &[Active]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                let sub = &self.engine.state().subscriptions[&id];
                let plans = &self.engine.offer_and_plan(sub).0.plans;
                let quantity = quantity.resolve(u64::from(sub.quantity), plans);
                self.call(
                    "change_quantity",
                    Operation::ChangeQuantity,
                    |_| 1,
                    |e, now, _| e.change_quantity(&actor, now, id, quantity),
                )?;
            }
            Step::Cancel {
                who,
                pick,
                confirmed,
            } => {
                let now = self.now;
                let engine = &self.engine;
                let Some(id) = self.choose_where(*pick, |s| {
                    s.status == Pending
                        || (s.status == Active
                            && engine
                                .cancellation_allowed_until(s)
                                .is_some_and(|until| until >= now))
                }) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                self.call(
                    "cancel",
                    Operation::Cancel,
                    |_| 1,
                    |e, now, _| e.cancel(&actor, now, id, *confirmed),
                )?;
            }
            Step::AutoRenew { who, pick, on } => {
                let Some(id) = self.choose(*pick, &[Active]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                let on = on.unwrap_or(!self.engine.state().subscriptions[&id].auto_renew);
                self.call(
                    "set_auto_renew",
                    Operation::SetAutoRenew,
                    |_| 1,
                    |e, now, _| e.set_auto_renew(&actor, now, id, on),
                )?;
            }
            Step::Reseller {
                who,
                pick,
                reseller,
            } => {
                let Some(id) = self.choose(*pick, &[Active]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                let reseller = self.reseller(*reseller);
                self.call(
                    "set_reseller",
                    Operation::SetReseller,
                    |_| 1,
                    |e, now, _| e.set_reseller(&actor, now, id, reseller),
                )?;
            }
            Step::Schedule {
                who,
                pick,
                offered,
                plan,
                billing,
            } => {
                let Some(id) = self.choose_where(*pick, |s| s.status == Active && s.auto_renew)
                else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                let sub = &self.engine.state().subscriptions[&id];
                let offer = self.engine.offer_and_plan(sub).0;
                let possible = schedulable(&self.engine, sub);
                let (plan, billing) = match offered {
                    Some(i) if !possible.is_empty() => possible[i % possible.len()].clone(),
                    _ => (
                        plan.map(|p| offer.plans[p % offer.plans.len()].id.clone()),
                        billing.map(|b| BillingFrequency::ALL[b]),
                    ),
                };
                self.call(
                    "schedule_change",
                    Operation::ScheduleChange,
                    |_| 1,
                    |e, now, _| e.schedule_change(&actor, now, id, plan, billing),
                )?;
            }
            Step::Withdraw { who, pick } => {
                let Some(id) =
                    self.choose_where(*pick, |s| s.status == Active && s.scheduled.is_some())
                else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Update, Some(id));
                self.call(
                    "withdraw_change",
                    Operation::WithdrawChange,
                    |_| 1,
                    |e, now, _| e.withdraw_change(&actor, now, id),
                )?;
            }
            Step::Suspend { who, pick } => {
                let Some(id) = self.choose(*pick, &[Active]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Publisher, Some(id));
                self.call(
                    "suspend",
                    Operation::Suspend,
                    |_| 1,
                    |e, now, _| e.suspend(&actor, now, id),
                )?;
            }
            Step::Reinstate { who, pick } => {
                let Some(id) = self.choose(*pick, &[Suspended]) else {
                    return Ok(());
                };
                let actor = self.actor(who, Side::Publisher, Some(id));
                self.call(
                    "reinstate",
                    Operation::Reinstate,
                    |_| 1,
                    |e, now, _| e.reinstate(&actor, now, id),
                )?;
            }
            Step::SetPolicy {
                who,
                restriction,
                current_windows,
            } => {
                let actor = self.actor(who, Side::Policy, None);
                let policy = Policy {
                    cancellation_window: if *current_windows {
                        WindowPreset::Current
                    } else {
                        WindowPreset::Seed
                    },
                    sales_agent_saas_update_restriction: *restriction,
                };
                self.call(
                    "set_policy",
                    Operation::ChangePolicy,
                    |_| 1,
                    |e, now, _| e.set_policy(&actor, now, policy),
                )?;
            }
        }
        Ok(())
    }

    /// Every invariant over the state after a step.
    fn check_state(&mut self, round_trip: bool) -> Result<(), String> {
        let state = self.engine.state();
        check_no_charge_before_activation(state)?;
        check_no_charge_after_end(state)?;
        check_quantities(state)?;
        check_terminal(state, &mut self.statuses)?;
        check_invoices(state)?;
        // Activation happens once: its time never changes afterwards.
        for sub in state.subscriptions.values() {
            match (self.activated.get(&sub.id), sub.activated_at) {
                (Some(before), now) if now != Some(*before) => {
                    return Err(format!(
                        "subscription {} was activated at {before}, now {now:?}",
                        sub.id
                    ));
                }
                (None, Some(at)) => {
                    self.activated.insert(sub.id, at);
                }
                _ => {}
            }
        }
        // The log is append-only and numbered by position.
        let log = &state.activity;
        if log.len() < self.log.len() || log[..self.log.len()] != self.log[..] {
            return Err("the activity log changed an earlier entry".into());
        }
        if let Some(e) = log.iter().enumerate().find(|(i, e)| e.seq != *i as u64) {
            return Err(format!("activity entry {} has seq {}", e.0, e.1.seq));
        }
        self.log.extend_from_slice(&log[self.log.len()..]);
        if round_trip {
            check_round_trip(state)?;
            check_indexes(&self.engine)?;
        }
        Ok(())
    }
}

/// The engine's derived indexes, kept up to date command by command, answer exactly as those of
/// an engine built afresh over the same state.
fn check_indexes(live: &Engine) -> Result<(), String> {
    let fresh = Engine::new(live.state().clone());
    for sort in [
        CustomerSort::CompanyName,
        CustomerSort::PrimaryDomain,
        CustomerSort::Subscriptions,
    ] {
        for direction in [SortDirection::Ascending, SortDirection::Descending] {
            for text in ["", "o", "ON"] {
                let query = CustomerQuery {
                    text: text.into(),
                    sort,
                    direction,
                    page: 1,
                    page_size: 1000,
                };
                if live.search_customers(&query) != fresh.search_customers(&query) {
                    return Err(format!("the customer search differs for {query:?}"));
                }
            }
        }
    }
    for &customer in live.state().customers.keys() {
        let query = SubscriptionQuery {
            text: String::new(),
            status: None,
            sort: SubscriptionSort::Newest,
            direction: SortDirection::Ascending,
            page: 1,
            page_size: 1000,
        };
        if live.search_subscriptions(customer, &query)
            != fresh.search_subscriptions(customer, &query)
        {
            return Err(format!("customer {customer}'s subscriptions differ"));
        }
    }
    for &id in live.state().subscriptions.keys() {
        if live.subscription_charges(id) != fresh.subscription_charges(id) {
            return Err(format!("subscription {id}'s charges differ"));
        }
        let filter = ActivityFilter {
            subscription: Some(id),
            ..Default::default()
        };
        if live.activity(&filter) != fresh.activity(&filter) {
            return Err(format!("subscription {id}'s activity differs"));
        }
    }
    Ok(())
}

/// The next-term changes the offer makes possible for a subscription: another plan or billing
/// frequency of its term that its current quantity fits.
fn schedulable(
    engine: &Engine,
    sub: &Subscription,
) -> Vec<(Option<PlanId>, Option<BillingFrequency>)> {
    let (offer, current) = engine.offer_and_plan(sub);
    let mut options = Vec::new();
    for plan in offer
        .plans
        .iter()
        .filter(|p| p.allows_quantity(u64::from(sub.quantity)))
    {
        for price in plan.prices.iter().filter(|p| p.term == sub.term) {
            let plan_change = (plan.id != current.id).then(|| plan.id.clone());
            let billing_change = (price.billing != sub.billing).then_some(price.billing);
            if plan_change.is_some() || billing_change.is_some() {
                options.push((plan_change, billing_change));
            }
        }
    }
    options
}

/// Runs one sequence, checking every invariant after every step; the slower save/load round trip
/// every `round_trip_every` steps, at the start and at the end (never with `None`).
fn run_case(seed: u64, steps: &[Step], round_trip_every: Option<usize>) -> Result<Stats, String> {
    let mut run = Run::new(seed);
    run.check_state(round_trip_every.is_some())
        .map_err(|e| format!("the generated state already breaks a rule: {e}"))?;
    let (log_start, ledger_start) = (run.log.len(), run.engine.state().charges.len());
    for (i, step) in steps.iter().enumerate() {
        run.step(step)
            .and_then(|()| run.check_state(round_trip_every.is_some_and(|n| (i + 1) % n == 0)))
            .map_err(|e| format!("after step {i} ({step:?}) at {}: {e}", run.now))?;
    }
    run.check_state(round_trip_every.is_some())
        .map_err(|e| format!("at the end, at {}: {e}", run.now))?;
    // What time did during the run, for the coverage test.
    let state = run.engine.state();
    for e in &state.activity[log_start..] {
        let name = match e.operation {
            Operation::Renew => "clock: renew",
            Operation::Expire => "clock: expire",
            Operation::ConvertTrial => "clock: convert trial",
            Operation::CloseInvoice => "clock: close invoice",
            _ => continue,
        };
        run.stats.entry(name).or_default().0 += 1;
    }
    for c in &state.charges[ledger_start..] {
        if c.charge_type == domain::ChargeType::Convert {
            run.stats
                .entry("clock: scheduled plan change")
                .or_default()
                .0 += 1;
        }
    }
    Ok(run.stats)
}

/// `cases` cases (a few seconds in a debug build), unless `PROPTEST_CASES` asks for a deeper
/// search. No regression files are written: a failure prints its shrunk sequence.
fn config(cases: u32) -> Config {
    let default = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            cases
        },
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..default
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn every_invariant_holds_after_any_sequence_of_commands_and_clock_advances(
        (seed, steps) in case()
    ) {
        let outcome = run_case(seed, &steps, Some(ROUND_TRIP_EVERY));
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}

proptest! {
    // One subscription's life is cheap to run (no save/load round trip: the property above checks
    // that), so it gets more cases.
    #![proptest_config(config(512))]

    #[test]
    fn every_invariant_holds_through_one_subscriptions_changes_and_renewals(
        (seed, steps) in one_subscription_case()
    ) {
        let outcome = run_case(seed, &steps, None);
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}

// ---------------------------------------------------------------------------------------------
// The checks themselves can fail, and the sequences reach every command.

fn small_state() -> State {
    generate(7, start(), SIZE)
}

#[test]
fn the_generated_state_passes_every_check() {
    let state = small_state();
    assert_eq!(check_no_charge_before_activation(&state), Ok(()));
    assert_eq!(check_no_charge_after_end(&state), Ok(()));
    assert_eq!(check_quantities(&state), Ok(()));
    assert_eq!(check_invoices(&state), Ok(()));
    assert_eq!(check_round_trip(&state), Ok(()));
    assert!(!state.invoices.is_empty() && !state.charges.is_empty());
}

#[test]
fn the_invoice_check_notices_a_total_that_is_not_the_sum_of_its_lines() {
    let mut state = small_state();
    state.invoices[0].total.minor += 1;
    let failure = check_invoices(&state).expect_err("a tampered total");
    assert!(failure.contains(&state.invoices[0].number), "{failure}");
}

#[test]
fn the_invoice_check_notices_a_line_in_another_currency() {
    let mut state = small_state();
    let seq = state.invoices[0].lines[0] as usize;
    let charge = &mut state.charges[seq];
    charge.amount.currency = match charge.amount.currency {
        domain::Currency::USD => domain::Currency::EUR,
        domain::Currency::EUR => domain::Currency::USD,
    };
    assert!(check_invoices(&state).is_err());
}

#[test]
fn the_charge_check_notices_a_charge_on_a_subscription_never_activated() {
    let mut state = small_state();
    let id = state.charges[0].subscription;
    state
        .subscriptions
        .get_mut(&id)
        .expect("exists")
        .activated_at = None;
    let failure = check_no_charge_before_activation(&state).expect_err("tampered");
    assert!(failure.contains("never activated"), "{failure}");
}

#[test]
fn the_charge_check_notices_a_charge_posted_before_activation() {
    let mut state = small_state();
    let charge = state.charges[0].clone();
    state
        .subscriptions
        .get_mut(&charge.subscription)
        .expect("exists")
        .activated_at = Some(charge.posted_at + TimeDelta::seconds(1));
    assert!(check_no_charge_before_activation(&state).is_err());
}

#[test]
fn the_charge_check_notices_a_charge_after_the_subscription_ended() {
    let mut state = small_state();
    let charge = state.charges[0].clone();
    state
        .subscriptions
        .get_mut(&charge.subscription)
        .expect("exists")
        .ended_at = Some(charge.posted_at - TimeDelta::seconds(1));
    assert!(check_no_charge_after_end(&state).is_err());
}

#[test]
fn the_quantity_check_notices_a_quantity_outside_the_plan() {
    let mut state = small_state();
    let id = *state.subscriptions.keys().next().expect("a subscription");
    let (_, plan) = state
        .catalog
        .item(&state.subscriptions[&id].item)
        .expect("in the catalog");
    let too_many = plan.max_quantity + 1;
    state.subscriptions.get_mut(&id).expect("exists").quantity = too_many;
    assert!(check_quantities(&state).is_err());
}

#[test]
fn the_terminal_check_notices_a_cancelled_subscription_coming_back() {
    let mut state = small_state();
    let mut seen = BTreeMap::new();
    check_terminal(&state, &mut seen).expect("the first check remembers");
    let cancelled = state
        .subscriptions
        .values_mut()
        .find(|s| s.status == SubscriptionStatus::Cancelled)
        .expect("the generated state has a cancelled subscription");
    cancelled.status = SubscriptionStatus::Active;
    assert!(check_terminal(&state, &mut seen).is_err());
}

#[test]
fn the_activity_check_notices_a_missing_a_doubled_or_a_wrong_entry() {
    let mut engine = Engine::new(small_state());
    let now = start();
    let helpdesk = Actor::User(demo_user(engine.state(), Role::HelpdeskAgent).id);
    let id = *engine.state().subscriptions.keys().next().expect("a sub");
    let before = engine.state().activity.len();
    let result = engine.set_auto_renew(&helpdesk, now, id, false);
    let entries = engine.state().activity[before..].to_vec();
    let check = |result: &Result<(), CommandError>, entries: &[ActivityEntry]| {
        check_call_entries(entries, Operation::SetAutoRenew, now, result, |_| 1)
    };
    assert_eq!(check(&result, &entries), Ok(()), "the real refusal");
    assert!(
        check(&result, &[]).is_err(),
        "a refusal that logged nothing"
    );
    assert!(
        check(&result, &[entries.clone(), entries.clone()].concat()).is_err(),
        "a refusal logged twice"
    );
    assert!(
        check(&Ok(()), &entries).is_err(),
        "a success logged as a refusal"
    );
    let other = Err(CommandError::Denied(domain::Denied::SalesAgentRestriction));
    assert!(
        check(&other, &entries).is_err(),
        "a refusal with another message"
    );
    assert!(
        check_call_entries(&entries, Operation::Rename, now, &result, |_| 1).is_err(),
        "an entry of another operation"
    );
}

#[test]
fn the_random_sequences_reach_every_command_successfully() {
    // Properties over sequences that always fail early would prove nothing: sample sequences the
    // way the property test does and require every command to succeed somewhere.
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut total = Stats::new();
    for _ in 0..32 {
        let (seed, steps) = strategy.new_tree(&mut runner).expect("a case").current();
        let Ok(stats) = run_case(seed, &steps, Some(ROUND_TRIP_EVERY)) else {
            // A broken invariant is the property test's to report; here only coverage counts.
            continue;
        };
        for (name, (ok, err)) in stats {
            let t = total.entry(name).or_default();
            t.0 += ok;
            t.1 += err;
        }
    }
    let names = [
        "create_cart",
        "checkout",
        "activation_link",
        "record_setup_task",
        "resolve",
        "assign_licenses",
        "activate",
        "rename",
        "change_quantity",
        "cancel",
        "set_auto_renew",
        "set_reseller",
        "schedule_change",
        "withdraw_change",
        "suspend",
        "reinstate",
        "set_policy",
        "clock: renew",
        "clock: expire",
        "clock: convert trial",
        "clock: close invoice",
        "clock: scheduled plan change",
    ];
    let never: Vec<_> = names
        .iter()
        .filter(|n| total.get(*n).is_none_or(|(ok, _)| *ok == 0))
        .collect();
    assert!(never.is_empty(), "never succeeded: {never:?}\n{total:#?}");
    let refused: usize = total.values().map(|(_, err)| err).sum();
    assert!(refused > 0, "no command was ever refused: {total:#?}");
}

#[test]
fn a_quantity_lowered_after_scheduling_a_plan_change_still_fits_the_plan_after_renewal() {
    // Contoso Sign: Standard allows 1–500 licenses, Business Pro 5–1000. Schedule Business Pro
    // for the next term at 5 licenses, then lower the quantity to 2 (fine on Standard) and let
    // the term renew: the subscription must not end up on Business Pro with 2 licenses.
    let mut engine = Engine::new(small_state());
    let mut ids = SeededIds::new(1);
    let now = start();
    let admin = Actor::User(demo_user(engine.state(), Role::AdminAgent).id);
    let customer = *engine.state().customers.keys().next().expect("a customer");
    let offer = engine.state().catalog.offers[0].clone();
    let (standard, pro) = (&offer.plans[0], &offer.plans[1]);
    assert!(
        standard.allows_quantity(2) && !pro.allows_quantity(2),
        "the catalog changed"
    );
    let line = CartLine {
        item: CatalogItemId {
            offer: offer.id.clone(),
            plan: standard.id.clone(),
            availability: standard.availability.clone(),
        },
        term: Term::P1M,
        billing: BillingFrequency::Monthly,
        quantity: 5,
        free_trial: false,
        nickname: None,
        reseller: None,
    };
    let cart = engine
        .create_cart(&admin, now, &mut ids, customer, vec![line])
        .expect("a cart");
    let order = engine
        .checkout(&admin, now, &mut ids, customer, cart)
        .expect("an order");
    let id = order.lines[0].subscription;
    let publisher = Actor::Publisher(offer.publisher_id.clone());
    engine
        .assign_licenses(&publisher, now, id, &["a@contoso.example".to_owned()])
        .expect("licenses");
    engine
        .activate(&publisher, now, id, standard.id.as_str(), 5)
        .expect("activated");
    engine
        .schedule_change(&admin, now, id, Some(pro.id.clone()), None)
        .expect("5 licenses fit Business Pro");
    let lowered = engine.change_quantity(&admin, now, id, 2);
    engine.advance_clock(now + TimeDelta::days(40));
    let sub = engine.subscription(id).expect("exists");
    assert_eq!(
        check_quantities(engine.state()),
        Ok(()),
        "lowering to 2 gave {lowered:?}; after renewal the subscription is on plan {} with {} licenses",
        sub.item.plan,
        sub.quantity
    );
}
