//! Engine benchmark: prints commands applied per second, save and load of a large state, and
//! customer search over 10,000 customers. Run with `cargo bench -p domain --bench engine`.
//! Sizes can be lowered for a quick look: `BENCH_CUSTOMERS=1000 BENCH_SUBSCRIPTIONS=10000`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use domain::demo::{DemoSize, demo_user, generate, scale_state};
use domain::{
    Actor, CustomerId, CustomerQuery, CustomerSort, Engine, Nickname, Role, SortDirection, State,
    SubscriptionQuery, SubscriptionSort, SubscriptionStatus, Timestamp,
};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let customers = env_or("BENCH_CUSTOMERS", 10_000);
    let subscriptions = env_or("BENCH_SUBSCRIPTIONS", 100_000);
    let now: Timestamp = "2026-11-24T09:30:00Z".parse().expect("valid time");
    let size = DemoSize {
        customers,
        subscriptions,
        history_months: 3,
    };

    println!(
        "Marketplace Console engine benchmark ({customers} customers, {subscriptions} subscriptions)"
    );
    println!();
    println!("| measure | result |");
    println!("|---|---|");

    // Generating runs every purchase, activation and change through the engine's commands.
    let started = Instant::now();
    let state = generate(7, now, size);
    let generated = started.elapsed();
    let applied = state.activity.len();
    println!(
        "| generate state through the commands | {} ({applied} activity entries, {} charges, {} invoices) |",
        ms(generated),
        state.charges.len(),
        state.invoices.len()
    );

    // Commands per second: quantity changes and renames by an Admin agent on active subscriptions.
    let admin = Actor::User(demo_user(&state, Role::AdminAgent).id);
    let active: Vec<_> = state
        .subscriptions
        .values()
        .filter(|s| s.status == SubscriptionStatus::Active)
        .map(|s| (s.id, s.quantity))
        .collect();
    let mut engine = Engine::new(state);
    let rounds = 50_000.min(active.len() * 4).max(1);
    let started = Instant::now();
    let mut ok = 0usize;
    for i in 0..rounds {
        let (id, quantity) = active[i % active.len()];
        let at = now + TimeDelta::seconds(i as i64);
        let result = if i % 2 == 0 {
            engine.change_quantity(&admin, at, id, u64::from(quantity) + 1 + (i % 3) as u64)
        } else {
            engine.rename(
                &admin,
                at,
                id,
                Nickname::parse(&format!("Team {i}")).expect("valid"),
            )
        };
        ok += usize::from(result.is_ok());
    }
    let elapsed = started.elapsed();
    println!(
        "| commands applied per second | {:.0} ({rounds} commands, {ok} succeeded, in {}) |",
        rounds as f64 / elapsed.as_secs_f64(),
        ms(elapsed)
    );

    let state = engine.into_state();
    let saves: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            black_box(state.save());
            t.elapsed()
        })
        .collect();
    let text = state.save();
    println!(
        "| save (serialize to JSON), median of 3 | {} |",
        ms(median(saves))
    );
    println!(
        "| saved size | {:.1} MB ({} bytes) |",
        text.len() as f64 / 1e6,
        text.len()
    );
    let loads: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            black_box(State::load(&text).expect("loads"));
            t.elapsed()
        })
        .collect();
    println!(
        "| load (parse and check version), median of 3 | {} |",
        ms(median(loads))
    );
    assert_eq!(State::load(&text).expect("loads"), state, "round trip");

    let engine = Engine::new(state);
    let started = Instant::now();
    black_box(Engine::new(engine.state().clone()));
    println!(
        "| engine start over the loaded state (indexes) | {} |",
        ms(started.elapsed())
    );

    let queries = [
        "contoso",
        "WING",
        "onmicrosoft",
        "zz-no-match",
        "nod publishers 3",
        "",
    ];
    let mut samples = Vec::new();
    let mut matched = 0;
    for text in queries {
        for sort in [CustomerSort::CompanyName, CustomerSort::Subscriptions] {
            let query = CustomerQuery {
                text: text.into(),
                sort,
                direction: SortDirection::Ascending,
                page: 2,
                page_size: 25,
            };
            let t = Instant::now();
            let page = black_box(engine.search_customers(&query));
            samples.push(t.elapsed());
            matched += page.total;
        }
    }
    let n = samples.len();
    println!(
        "| customer search over {customers} customers (search, sort, page), median of {n} | {} ({matched} matches in all) |",
        ms(median(samples))
    );

    let biggest = largest_customer(&engine);
    let t = Instant::now();
    let subs = black_box(
        engine
            .customer_subscriptions(biggest, None)
            .expect("exists"),
    );
    println!(
        "| one customer's subscriptions ({}) | {} |",
        subs.len(),
        ms(t.elapsed())
    );

    // The scale page's customer: 5,000 subscriptions searched, sorted and paged as the
    // Subscriptions list does on each keystroke or sort.
    let scale = Engine::new(scale_state(now, 1_000, 5_000));
    let largest = largest_customer(&scale);
    let mut samples = Vec::new();
    for (text, sort) in [
        ("", SubscriptionSort::Newest),
        ("w", SubscriptionSort::Newest),
        ("", SubscriptionSort::Quantity),
        ("team", SubscriptionSort::Offer),
        ("zz-no-match", SubscriptionSort::Newest),
    ] {
        let query = SubscriptionQuery {
            text: text.into(),
            status: None,
            sort,
            direction: SortDirection::Ascending,
            page: 1,
            page_size: 25,
        };
        for _ in 0..3 {
            let t = Instant::now();
            black_box(scale.search_subscriptions(largest, &query).expect("exists"));
            samples.push(t.elapsed());
        }
    }
    let n = samples.len();
    println!(
        "| subscription search over one customer's {} subscriptions (search, sort, page), median of {n} | {} |",
        scale.subscriptions_of(largest).count(),
        ms(median(samples))
    );
}

/// The customer with the most subscriptions.
fn largest_customer(engine: &Engine) -> CustomerId {
    engine
        .state()
        .customers
        .keys()
        .max_by_key(|c| engine.subscriptions_of(**c).count())
        .copied()
        .expect("customers")
}
