//! Demo data from a deterministic generator: a partner, one user per role, eight ISV offers and
//! customers whose subscriptions went through every part of the lifecycle, built by running the
//! engine's own commands over months of simulated time. The same seed and `now` always give the
//! same state; the same generator scales to any number of customers and subscriptions.

use chrono::TimeDelta;

use crate::catalog::{
    AvailabilityId, BillingFrequency, Catalog, CatalogItemId, Offer, OfferId, Plan, PlanId,
    PriceOption, Term,
};
use crate::customer::{Customer, Relationship};
use crate::engine::{Actor, Engine};
use crate::ids::{CustomerId, SeededIds, UserId};
use crate::money::{Currency, Money};
use crate::nickname::Nickname;
use crate::order::CartLine;
use crate::partner::{Partner, PartnerKind, Reseller, User};
use crate::partner_id::ResellerPartnerId;
use crate::policy::Policy;
use crate::role::Role;
use crate::state::{SCHEMA_VERSION, State};
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// How much demo data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    /// Customers.
    pub customers: usize,
    /// Subscriptions, spread over the customers.
    pub subscriptions: usize,
    /// How many months of history before `now`.
    pub history_months: u32,
}

impl DemoSize {
    /// The console's demo: 25 customers and about three subscriptions each, six months of history.
    pub const DEMO: DemoSize = DemoSize {
        customers: 25,
        subscriptions: 80,
        history_months: 6,
    };
}

/// The seed of the console's demo data.
pub const DEMO_SEED: u64 = 20_260_312;

/// The console's demo data as of `now`, the same every time (the in-browser demo, tests).
pub fn demo_state(now: Timestamp) -> State {
    generate(DEMO_SEED, now, DemoSize::DEMO)
}

/// The demo data with identifiers and activation codes of its own, from `ids` keyed with random
/// bits: what a server starts with, since anyone can make [`demo_state`]'s codes from the
/// published seed.
pub fn demo_state_from(ids: SeededIds, now: Timestamp) -> State {
    generate_from(ids, now, DemoSize::DEMO)
}

/// The demo user with a role (there is one per role).
pub fn demo_user(state: &State, role: Role) -> &User {
    state
        .partner
        .users
        .iter()
        .find(|u| u.role == role)
        .expect("the demo has a user per role")
}

/// A partner grown large, for measuring the console at scale: `customers` customers with the
/// demo's mix of stories, and the first customer (by Microsoft ID) holding `largest` more
/// subscriptions across the catalog, most of them active. Built through the engine's commands
/// like the demo, so every figure and activity entry is one the rules produce.
pub fn scale_state(now: Timestamp, customers: usize, largest: usize) -> State {
    partner_at_scale(
        SeededIds::new(DEMO_SEED),
        now,
        customers,
        customers / 4,
        largest,
    )
}

/// [`scale_state`] from `ids`, with `spread` subscriptions spread over the customers besides the
/// largest customer's `largest` (the server's scale data: 10,000 customers, 95,000 and 5,000).
pub fn partner_at_scale(
    mut ids: SeededIds,
    now: Timestamp,
    customers: usize,
    spread: usize,
    largest: usize,
) -> State {
    let size = DemoSize {
        customers: customers.max(1),
        subscriptions: spread,
        history_months: 2,
    };
    let mut purchases = ids.fork();
    let state = generate_from(ids, now, size);
    let customer = *state
        .customers
        .keys()
        .next()
        .expect("at least one customer");
    let admin = Actor::User(demo_user(&state, Role::AdminAgent).id);
    let mut engine = Engine::new(state);
    let catalog = catalog();
    let items: Vec<(&Offer, &Plan, &PriceOption)> = catalog
        .offers
        .iter()
        .flat_map(|o| {
            o.plans
                .iter()
                .flat_map(move |p| p.prices.iter().map(move |price| (o, p, price)))
        })
        .collect();
    let (mut bought, mut tries) = (0, 0);
    while bought < largest && tries < largest * 3 {
        let (offer, plan, option) = items[tries % items.len()];
        tries += 1;
        let line = CartLine {
            item: CatalogItemId {
                offer: offer.id.clone(),
                plan: plan.id.clone(),
                availability: plan.availability.clone(),
            },
            term: option.term,
            billing: option.billing,
            quantity: u64::from(plan.min_quantity.max(1)) + (tries % 7) as u64,
            free_trial: false,
            nickname: None,
            reseller: None,
        };
        let Ok(order) = engine
            .create_cart(&admin, now, &mut purchases, customer, vec![line])
            .and_then(|cart| engine.checkout(&admin, now, &mut purchases, customer, cart))
        else {
            continue;
        };
        bought += 1;
        let id = order.lines[0].subscription;
        if !bought.is_multiple_of(5) {
            let _ = activate(&mut engine, now, id);
        }
    }
    engine.into_state()
}

/// A partner with `size` customers and subscriptions, as of `now`, from `seed`.
pub fn generate(seed: u64, now: Timestamp, size: DemoSize) -> State {
    generate_from(SeededIds::new(seed), now, size)
}

/// A partner with `size` customers and subscriptions, as of `now`, from `ids`.
pub fn generate_from(mut ids: SeededIds, now: Timestamp, size: DemoSize) -> State {
    let start = now - TimeDelta::days(30 * i64::from(size.history_months.max(1)));
    let customers: BTreeMap<CustomerId, Customer> = (0..size.customers)
        .map(|i| {
            let c = customer(i, &mut ids);
            (c.id, c)
        })
        .collect();
    let state = State {
        schema_version: SCHEMA_VERSION,
        partner: partner(&mut ids),
        policy: Policy::default(),
        catalog: catalog(),
        customers,
        subscriptions: BTreeMap::new(),
        carts: BTreeMap::new(),
        orders: Vec::new(),
        charges: Vec::new(),
        invoices: Vec::new(),
        activity: Vec::new(),
        clock: start,
    };
    let customer_ids: Vec<CustomerId> = state.customers.keys().copied().collect();
    let admin = Actor::User(demo_user(&state, Role::AdminAgent).id);
    let sales = Actor::User(demo_user(&state, Role::SalesAgent).id);
    let mut engine = Engine::new(state);

    let mut events: Vec<Event> = (0..size.subscriptions)
        .flat_map(|i| story(i, &mut ids, now, start, &customer_ids))
        .collect();
    crate::sorting::sort_by_key(&mut events, |e| e.at);

    let mut bought: Vec<Option<crate::ids::SubscriptionId>> = vec![None; size.subscriptions];
    for event in events {
        let at = event.at;
        let sub = bought[event.story];
        // A step that the rules refuse (say, a second copy of a one-per-customer offer) simply
        // leaves that story where it is: the demo only ever shows what the engine allowed.
        let _ = match (event.step, sub) {
            (Step::Buy(line, customer), None) => {
                let who = if event.story % 4 == 1 { &sales } else { &admin };
                engine
                    .create_cart(who, at, &mut ids, customer, vec![line])
                    .and_then(|cart| engine.checkout(who, at, &mut ids, customer, cart))
                    .map(|order| bought[event.story] = Some(order.lines[0].subscription))
            }
            (Step::Activate, Some(id)) => activate(&mut engine, at, id),
            (Step::Quantity(q), Some(id)) => engine.change_quantity(&admin, at, id, q),
            (Step::AutoRenewOff, Some(id)) => engine.set_auto_renew(&admin, at, id, false),
            (Step::Cancel, Some(id)) => engine.cancel(&admin, at, id, true),
            (Step::Suspend, Some(id)) => {
                let publisher = publisher_of(&engine, id);
                engine.suspend(&publisher, at, id)
            }
            (Step::ScheduleAnnual, Some(id)) => {
                engine.schedule_change(&admin, at, id, None, Some(BillingFrequency::Annual))
            }
            (Step::Rename(name), Some(id)) => {
                engine.rename(&admin, at, id, Nickname::parse(name).expect("valid"))
            }
            (Step::SetupTask, Some(id)) => engine.record_setup_task(
                &sales,
                at,
                id,
                crate::subscription::SetupTask::OpenedLink,
                true,
            ),
            _ => Ok(()),
        };
    }
    engine.advance_clock(now);
    engine.into_state()
}

fn publisher_of(engine: &Engine, id: crate::ids::SubscriptionId) -> Actor {
    let sub = engine.subscription(id).expect("bought");
    Actor::Publisher(engine.offer_and_plan(sub).0.publisher_id.clone())
}

/// The publisher's side of setup: assign licenses on the customer's domain, then activate.
fn activate(
    engine: &mut Engine,
    at: Timestamp,
    id: crate::ids::SubscriptionId,
) -> Result<(), crate::error::CommandError> {
    let sub = engine.subscription(id)?.clone();
    let domain = engine.customer(sub.customer)?.primary_domain.clone();
    let publisher = publisher_of(engine, id);
    let names = ["admin", "it", "finance", "ops", "sales", "support"];
    let emails: Vec<String> = names
        .iter()
        .take(sub.quantity.min(6) as usize)
        .map(|n| format!("{n}@{domain}"))
        .collect();
    engine.assign_licenses(&publisher, at, id, &emails)?;
    engine.activate(&publisher, at, id, sub.item.plan.as_str(), sub.quantity)
}

#[derive(Debug, Clone)]
enum Step {
    Buy(CartLine, CustomerId),
    Activate,
    Quantity(u64),
    AutoRenewOff,
    Cancel,
    Suspend,
    ScheduleAnnual,
    Rename(&'static str),
    SetupTask,
}

#[derive(Debug, Clone)]
struct Event {
    at: Timestamp,
    story: usize,
    step: Step,
}

/// The events of subscription `i`: what kind of story it tells depends on `i`, so every kind
/// appears as soon as there are as many subscriptions as kinds.
fn story(
    i: usize,
    ids: &mut SeededIds,
    now: Timestamp,
    start: Timestamp,
    customers: &[CustomerId],
) -> Vec<Event> {
    let history_hours = (now - start).num_hours().max(24 * 40);
    let hours = |h: i64| TimeDelta::hours(h);
    let random_past =
        |ids: &mut SeededIds| start + hours(ids.below((history_hours - 24 * 35) as u64) as i64);
    let customer = customers[(i * 7 + ids.below(3) as usize) % customers.len()];
    let catalog = catalog();
    let offer = &catalog.offers[(i + i / 14) % catalog.offers.len()];
    let plan = &offer.plans[i % offer.plans.len()];
    let kind = i % 14;
    // Kinds 3 and 13 are inside their cancellation window: a monthly and an annual term.
    let wants_annual = matches!(kind, 1 | 4 | 10 | 13);
    let option = plan
        .prices
        .iter()
        .find(|p| (p.term != Term::P1M) == wants_annual)
        .unwrap_or(&plan.prices[0]);
    let quantity = u64::from(plan.min_quantity.max(1)) + ids.below(12);
    let quantity = quantity.min(u64::from(plan.max_quantity));
    let resellers = ["4711002", "5533018", "90210771"];
    let line = CartLine {
        item: CatalogItemId {
            offer: offer.id.clone(),
            plan: plan.id.clone(),
            availability: plan.availability.clone(),
        },
        term: option.term,
        billing: option.billing,
        quantity,
        free_trial: kind == 8 && plan.free_trial,
        nickname: None,
        reseller: (kind == 1 || i.is_multiple_of(5))
            .then(|| ResellerPartnerId::parse(resellers[i % 3]).expect("valid")),
    };
    let (bought, mut steps): (Timestamp, Vec<(Timestamp, Step)>) = match kind {
        // Pending with a live activation link.
        2 => (now - hours(1 + ids.below(20) as i64), vec![]),
        // Pending whose link has expired.
        11 => {
            let b = now - hours(60 + ids.below(40) as i64);
            (b, vec![(b + hours(2), Step::SetupTask)])
        }
        // Cancelled before activation.
        12 => {
            let b = random_past(ids);
            (b, vec![(b + hours(3), Step::Cancel)])
        }
        // Active, monthly term inside its 24-hour window.
        3 => {
            let b = now - hours(30);
            (
                b,
                vec![(now - hours(2 + ids.below(15) as i64), Step::Activate)],
            )
        }
        // Active, annual term inside its 14-day window.
        13 => {
            let b = now - hours(24 * 6);
            (b, vec![(b + hours(5), Step::Activate)])
        }
        // Free trial activated ten days ago.
        8 => {
            let b = now - hours(24 * 10 + 4);
            (b, vec![(b + hours(3), Step::Activate)])
        }
        _ => {
            let b = random_past(ids);
            let a = b + hours(1 + ids.below(30) as i64);
            let mut steps = vec![(a, Step::Activate)];
            let later = |ids: &mut SeededIds, after: Timestamp| {
                let room = (now - after).num_hours().max(2);
                after + hours(1 + ids.below(room as u64 - 1) as i64)
            };
            match kind {
                4 => steps.push((later(ids, a), Step::AutoRenewOff)),
                5 => steps.push((a + hours(4), Step::Cancel)),
                6 => steps.push((a + hours(20), Step::AutoRenewOff)),
                7 => steps.push((now - hours(24 * 3), Step::Suspend)),
                9 => {
                    let up = later(ids, a);
                    steps.push((up, Step::Quantity(quantity + 5)));
                    steps.push((later(ids, up), Step::Quantity(quantity + 2)));
                }
                10 => steps.push((later(ids, a), Step::ScheduleAnnual)),
                0 => steps.push((later(ids, a), Step::Rename(NICKNAMES[i % NICKNAMES.len()]))),
                _ => {}
            }
            (b, steps)
        }
    };
    steps.insert(0, (bought, Step::Buy(line, customer)));
    steps
        .into_iter()
        .filter(|(at, _)| *at < now)
        .map(|(at, step)| Event { at, story: i, step })
        .collect()
}

const NICKNAMES: [&str; 6] = [
    "Finance team",
    "Head office",
    "Field engineers",
    "Support desk",
    "EMEA sales",
    "Board members",
];

fn partner(ids: &mut SeededIds) -> Partner {
    let users = [
        ("Megan Bowen", "megan.bowen", Role::GlobalAdmin),
        ("Adele Vance", "adele.vance", Role::AdminAgent),
        ("Lee Gu", "lee.gu", Role::SalesAgent),
        ("Diego Siciliani", "diego.siciliani", Role::HelpdeskAgent),
        ("Isaiah Langer", "isaiah.langer", Role::BillingAdmin),
    ]
    .into_iter()
    .map(|(name, mail, role)| User {
        id: UserId::generate(ids),
        name: name.into(),
        email: format!("{mail}@relecloud-partners.example"),
        role,
    })
    .collect();
    let resellers = [
        ("4711002", "Bellows College IT Services", true),
        ("5533018", "Coho Winery Systems", true),
        ("90210771", "Lamna Healthcare Solutions", true),
        ("1234567", "Trey Research Consulting", false),
    ]
    .into_iter()
    .map(|(id, name, authorized)| Reseller {
        partner_id: ResellerPartnerId::parse(id).expect("valid"),
        name: name.into(),
        authorized,
    })
    .collect();
    Partner {
        name: "Relecloud Partners".into(),
        partner_id: "6123456".into(),
        kind: PartnerKind::IndirectProvider,
        resellers,
        users,
    }
}

const COMPANIES: [(&str, &str, &str); 25] = [
    ("Contoso Ltd", "contoso", "US"),
    ("Fabrikam Inc", "fabrikam", "US"),
    ("Northwind Traders", "northwindtraders", "GB"),
    ("Adventure Works Cycles", "adventureworks", "US"),
    ("Alpine Ski House", "alpineskihouse", "AT"),
    ("Blue Yonder Airlines", "blueyonderairlines", "US"),
    ("City Power & Light", "citypowerlight", "CA"),
    ("Coho Vineyard", "cohovineyard", "FR"),
    ("Consolidated Messenger", "consolidatedmessenger", "US"),
    ("Datum Corporation", "adatum", "DE"),
    ("Fourth Coffee", "fourthcoffee", "NL"),
    ("Graphic Design Institute", "graphicdesigninstitute", "GB"),
    ("Humongous Insurance", "humongousinsurance", "US"),
    ("Litware Inc", "litwareinc", "IE"),
    ("Lucerne Publishing", "lucernepublishing", "CH"),
    ("Margie's Travel", "margiestravel", "AU"),
    ("Munson's Pickles and Preserves", "munsonspickles", "US"),
    ("Nod Publishers", "nodpublishers", "DE"),
    ("Proseware Inc", "proseware", "SE"),
    ("Southridge Video", "southridgevideo", "ES"),
    ("Tailspin Toys", "tailspintoys", "US"),
    ("Trey Research", "treyresearch", "FR"),
    ("Wingtip Toys", "wingtiptoys", "IT"),
    ("Woodgrove Bank", "woodgrovebank", "GB"),
    ("World Wide Importers", "wideworldimporters", "JP"),
];

const TAGS: [&[&str]; 5] = [
    &["Enterprise"],
    &["SMB"],
    &["Enterprise", "Priority"],
    &[],
    &["Education"],
];

fn customer(i: usize, ids: &mut SeededIds) -> Customer {
    let (name, domain, country) = COMPANIES[i % COMPANIES.len()];
    let round = i / COMPANIES.len();
    let (company_name, primary_domain) = if round == 0 {
        (name.to_owned(), format!("{domain}.onmicrosoft.com"))
    } else {
        (
            format!("{name} {}", round + 1),
            format!("{domain}{}.onmicrosoft.com", round + 1),
        )
    };
    Customer {
        id: CustomerId::generate(ids),
        company_name,
        primary_domain,
        country: country.into(),
        relationship: if i % 3 == 2 {
            Relationship::IndirectReseller
        } else {
            Relationship::Reseller
        },
        tags: TAGS[i % TAGS.len()]
            .iter()
            .map(|t| (*t).to_owned())
            .collect(),
    }
}

/// `(term, billing, cents)` triples for one plan's prices.
type Prices<'a> = &'a [(Term, BillingFrequency, i64)];

#[allow(clippy::too_many_arguments)]
fn plan(
    id: &str,
    name: &str,
    availability: &str,
    (min_quantity, max_quantity): (u32, u32),
    free_trial: bool,
    currency: Currency,
    prices: Prices<'_>,
) -> Plan {
    Plan {
        id: PlanId::parse(id).expect("valid plan id"),
        name: name.into(),
        availability: AvailabilityId::parse(availability).expect("valid availability id"),
        min_quantity,
        max_quantity,
        free_trial,
        prices: prices
            .iter()
            .map(|&(term, billing, cents)| PriceOption {
                term,
                billing,
                unit_price: Money::new(cents, currency),
            })
            .collect(),
    }
}

/// The eight ISV SaaS offers of the demo catalog.
pub fn catalog() -> Catalog {
    use BillingFrequency::{Annual, Monthly, OneTime};
    use Currency::{EUR, USD};
    use Term::{P1M, P1Y, P3Y};
    let offer = |id: &str,
                 name: &str,
                 publisher: (&str, &str),
                 category: &str,
                 description: &str,
                 steps: Option<&str>,
                 plans: Vec<Plan>| Offer {
        id: OfferId::parse(id).expect("valid offer id"),
        name: name.into(),
        publisher_id: publisher.0.into(),
        publisher_name: publisher.1.into(),
        description: description.into(),
        category: category.into(),
        landing_url: format!("/publisher/{}/landing", publisher.0),
        steps_before_cancel: steps.map(Into::into),
        one_per_customer: false,
        unavailable_in: Vec::new(),
        plans,
    };
    let mut offers = vec![
        offer(
            "DZH318Z0BXWC",
            "Contoso Sign",
            ("contoso-esign", "Contoso E-Signature Ltd"),
            "Productivity",
            "Legally binding e-signatures inside Outlook, Teams and SharePoint.",
            Some(
                "Export or archive the signed documents in Contoso Sign (Settings → Export) — they are deleted 30 days after cancellation.",
            ),
            vec![
                plan(
                    "0001",
                    "Standard",
                    "DZH318Z0BMJX",
                    (1, 500),
                    true,
                    USD,
                    &[
                        (P1M, Monthly, 1200),
                        (P1Y, Monthly, 1000),
                        (P1Y, Annual, 11_400),
                    ],
                ),
                plan(
                    "0002",
                    "Business Pro",
                    "DZH318Z0BMJY",
                    (5, 1000),
                    false,
                    USD,
                    &[
                        (P1M, Monthly, 2500),
                        (P1Y, Monthly, 2100),
                        (P1Y, Annual, 24_000),
                    ],
                ),
            ],
        ),
        offer(
            "FBK7BACKUP01",
            "Fabrikam Backup for Microsoft 365",
            ("fabrikam-dp", "Fabrikam Data Protection"),
            "Security",
            "Daily backup and point-in-time restore of Exchange, OneDrive and Teams.",
            Some(
                "Stop the backup jobs and download the last restore point in the Fabrikam portal.",
            ),
            vec![
                plan(
                    "0001",
                    "Essentials",
                    "FBK7BKESS001",
                    (10, 5000),
                    false,
                    USD,
                    &[
                        (P1M, Monthly, 300),
                        (P1Y, Monthly, 250),
                        (P1Y, Annual, 2800),
                    ],
                ),
                plan(
                    "0002",
                    "Unlimited retention",
                    "FBK7BKUNL001",
                    (10, 5000),
                    false,
                    USD,
                    &[(P1Y, Monthly, 450), (P1Y, Annual, 5100)],
                ),
            ],
        ),
        offer(
            "NWHELPDESK01",
            "Northwind Helpdesk",
            ("northwind-sw", "Northwind Traders Software"),
            "IT & management tools",
            "Ticketing and a self-service portal for internal IT teams.",
            None,
            vec![
                plan(
                    "0001",
                    "Agent",
                    "NWHDAGENT001",
                    (1, 250),
                    true,
                    EUR,
                    &[
                        (P1M, Monthly, 1900),
                        (P1Y, Monthly, 1600),
                        (P1Y, Annual, 18_000),
                    ],
                ),
                plan(
                    "0002",
                    "Agent Plus",
                    "NWHDAGPLS001",
                    (1, 250),
                    false,
                    EUR,
                    &[(P1M, Monthly, 2900), (P1Y, Monthly, 2500)],
                ),
            ],
        ),
        offer(
            "TWANALYTIC01",
            "Tailwind Analytics",
            ("tailwind-insights", "Tailwind Insights GmbH"),
            "Analytics",
            "Usage and adoption dashboards for Microsoft 365 workloads.",
            None,
            vec![plan(
                "0001",
                "Team",
                "TWANTEAM0001",
                (3, 300),
                true,
                EUR,
                &[
                    (P1M, Monthly, 800),
                    (P1Y, Monthly, 700),
                    (P1Y, Annual, 7800),
                ],
            )],
        ),
        offer(
            "ADIDGUARD001",
            "Adatum Identity Guard",
            ("adatum-security", "Adatum Security Inc"),
            "Security",
            "Risk-based sign-in protection and privileged access reviews.",
            Some("Remove the Adatum conditional-access policies from the customer's tenant."),
            vec![plan(
                "0001",
                "Enterprise",
                "ADIDENT00001",
                (25, 10_000),
                false,
                USD,
                &[
                    (P1Y, Annual, 4800),
                    (P1Y, Monthly, 420),
                    (P3Y, OneTime, 13_500),
                ],
            )],
        ),
        offer(
            "LWPLANNER001",
            "Litware Project Planner",
            ("litware", "Litware Inc."),
            "Productivity",
            "Gantt charts and resource planning on top of Microsoft Planner.",
            None,
            vec![
                plan(
                    "0001",
                    "Basic",
                    "LWPLBASIC001",
                    (1, 100),
                    true,
                    USD,
                    &[(P1M, Monthly, 700), (P1Y, Monthly, 600)],
                ),
                plan(
                    "0002",
                    "Premium",
                    "LWPLPREM0001",
                    (1, 1000),
                    false,
                    USD,
                    &[
                        (P1M, Monthly, 1500),
                        (P1Y, Monthly, 1300),
                        (P1Y, Annual, 15_000),
                    ],
                ),
            ],
        ),
        offer(
            "PWLEARNING01",
            "Proseware Learning",
            ("proseware-edu", "Proseware Education BV"),
            "Education",
            "Courses and compliance training delivered in Microsoft Teams.",
            None,
            vec![plan(
                "0001",
                "Learner",
                "PWLRNLRN0001",
                (10, 20_000),
                false,
                EUR,
                &[
                    (P1M, Monthly, 400),
                    (P1Y, Monthly, 350),
                    (P1Y, Annual, 4000),
                ],
            )],
        ),
        offer(
            "WWTRANSLATE1",
            "Wide World Translator",
            ("wideworld-labs", "Wide World Importers Labs"),
            "AI + machine learning",
            "Real-time translation of Teams meetings and chats.",
            None,
            vec![
                plan(
                    "0001",
                    "Starter",
                    "WWTRSTART001",
                    (1, 50),
                    true,
                    USD,
                    &[(P1M, Monthly, 900), (P1Y, Monthly, 800)],
                ),
                plan(
                    "0002",
                    "Business",
                    "WWTRBUSI0001",
                    (5, 2000),
                    false,
                    USD,
                    &[
                        (P1M, Monthly, 1700),
                        (P1Y, Monthly, 1500),
                        (P1Y, Annual, 17_000),
                    ],
                ),
            ],
        ),
    ];
    offers[1].one_per_customer = true;
    offers[4].unavailable_in = vec!["CN".into(), "RU".into()];
    Catalog { offers }
}
