//! The permission table of DOMAIN.md §1, role by role and command by command.
//!
//! Every partner-side command and billing query is run by every role against a demo fixture in
//! which the command would otherwise succeed, and the outcome is compared with one table,
//! [`expected`]: either success or the exact typed denial. A single broken rule fails with a
//! message naming the role and the command. The publisher side (resolve, licenses, activate,
//! suspend, reinstate) is checked the same way against partner users, other publishers and the
//! clock, and partner commands are checked against publishers and the clock.

use domain::demo::{demo_state, demo_user};
use domain::{
    Action, Actor, BillingFrequency, CartLine, CommandError, CustomerId, Denied, Engine, Nickname,
    Operation, Outcome, PlanId, Policy, ResellerPartnerId, Role, SeededIds, SetupTask,
    SubscriptionId, SubscriptionStatus, Timestamp, UserId,
};

/// The moment every case runs at: the demo's "now".
fn now() -> Timestamp {
    "2026-11-24T09:30:00Z".parse().expect("a valid time")
}

/// A partner-side command or billing query, with input that is valid for the fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    /// `create_cart` then `checkout`.
    Purchase,
    ActivationLink,
    RecordSetupTask,
    Rename,
    ChangeQuantity,
    Cancel,
    SetAutoRenew,
    SetReseller,
    ScheduleChange,
    WithdrawChange,
    /// Toggles the Sales-agent restriction.
    SetPolicy,
    Invoices,
    InvoiceLines,
    UnbilledCharges,
    Reconciliation,
}

impl Command {
    const ALL: [Command; 15] = [
        Command::Purchase,
        Command::ActivationLink,
        Command::RecordSetupTask,
        Command::Rename,
        Command::ChangeQuantity,
        Command::Cancel,
        Command::SetAutoRenew,
        Command::SetReseller,
        Command::ScheduleChange,
        Command::WithdrawChange,
        Command::SetPolicy,
        Command::Invoices,
        Command::InvoiceLines,
        Command::UnbilledCharges,
        Command::Reconciliation,
    ];

    /// The operation a command records in the activity log; `None` for read-only queries.
    fn operation(self) -> Option<Operation> {
        Some(match self {
            Command::Purchase => Operation::CreateCart,
            Command::ActivationLink => Operation::GetActivationLink,
            Command::RecordSetupTask => Operation::RecordSetupTask,
            Command::Rename => Operation::Rename,
            Command::ChangeQuantity => Operation::ChangeQuantity,
            Command::Cancel => Operation::Cancel,
            Command::SetAutoRenew => Operation::SetAutoRenew,
            Command::SetReseller => Operation::SetReseller,
            Command::ScheduleChange => Operation::ScheduleChange,
            Command::WithdrawChange => Operation::WithdrawChange,
            Command::SetPolicy => Operation::ChangePolicy,
            Command::Invoices
            | Command::InvoiceLines
            | Command::UnbilledCharges
            | Command::Reconciliation => return None,
        })
    }
}

/// What a command should do for an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// It succeeds.
    Allowed,
    /// `Denied::SalesAgentRestriction`.
    SalesAgentRestriction,
    /// `Denied::Role` naming the actor's role.
    RoleDenied,
}

/// DOMAIN.md §1 as a table: what each role may do, with the Sales-agent restriction on or off.
fn expected(role: Role, command: Command, restriction_on: bool) -> Expect {
    use Command as C;
    use Role as R;
    let purchase = matches!(role, R::GlobalAdmin | R::AdminAgent | R::SalesAgent);
    let billing = matches!(role, R::GlobalAdmin | R::AdminAgent | R::BillingAdmin);
    let allowed_if = |yes: bool| {
        if yes {
            Expect::Allowed
        } else {
            Expect::RoleDenied
        }
    };
    match command {
        C::ActivationLink => Expect::Allowed,
        C::Purchase | C::RecordSetupTask => allowed_if(purchase),
        C::Rename
        | C::ChangeQuantity
        | C::Cancel
        | C::SetAutoRenew
        | C::SetReseller
        | C::ScheduleChange
        | C::WithdrawChange => match role {
            R::GlobalAdmin | R::AdminAgent => Expect::Allowed,
            R::SalesAgent if restriction_on => Expect::SalesAgentRestriction,
            R::SalesAgent => Expect::Allowed,
            R::HelpdeskAgent | R::BillingAdmin => Expect::RoleDenied,
        },
        C::SetPolicy => allowed_if(role == R::GlobalAdmin),
        C::Invoices | C::InvoiceLines | C::UnbilledCharges | C::Reconciliation => {
            allowed_if(billing)
        }
    }
}

/// The demo engine and, for every command, a target on which it would succeed.
#[derive(Clone)]
struct Fixture {
    engine: Engine,
    /// A customer and a cart line they may buy.
    customer: CustomerId,
    line: CartLine,
    /// An active subscription, auto-renewing, inside its cancellation window, with a next-term
    /// change already scheduled (so withdrawing succeeds) and another one that can be scheduled.
    active: SubscriptionId,
    schedule: (Option<PlanId>, Option<BillingFrequency>),
    new_quantity: u64,
    reseller: ResellerPartnerId,
    /// A pending subscription whose first setup task is not done yet.
    pending: SubscriptionId,
    /// A pending subscription whose activation code has expired: fetching its link issues a new
    /// code, a change every role may make.
    stale: SubscriptionId,
    /// A closed invoice.
    invoice: String,
}

fn user(engine: &Engine, role: Role) -> Actor {
    Actor::User(demo_user(engine.state(), role).id)
}

/// The next-term changes an active subscription could take: another plan or another billing
/// frequency of the same term that the current quantity fits.
fn schedulable(
    engine: &Engine,
    id: SubscriptionId,
) -> Vec<(Option<PlanId>, Option<BillingFrequency>)> {
    let sub = engine.subscription(id).expect("exists");
    let (offer, current) = engine.offer_and_plan(sub);
    let mut options = Vec::new();
    for plan in &offer.plans {
        if !plan.allows_quantity(u64::from(sub.quantity)) {
            continue;
        }
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

fn fixture() -> Fixture {
    let now = now();
    let mut engine = Engine::new(demo_state(now));
    let admin = user(&engine, Role::GlobalAdmin);
    let state = engine.state();

    let active = state
        .subscriptions
        .values()
        .filter(|s| s.status == SubscriptionStatus::Active && s.auto_renew)
        .filter(|s| s.scheduled.is_none())
        .filter(|s| {
            engine
                .cancellation_allowed_until(s)
                .is_some_and(|until| until > now)
        })
        .find(|s| schedulable(&engine, s.id).len() >= 2)
        .expect("the demo has an active subscription inside its cancellation window")
        .clone();
    let options = schedulable(&engine, active.id);
    let plan = engine.offer_and_plan(&active).1;
    let new_quantity = if plan.allows_quantity(u64::from(active.quantity) + 1) {
        u64::from(active.quantity) + 1
    } else {
        u64::from(active.quantity) - 1
    };
    let reseller = state
        .partner
        .resellers
        .iter()
        .find(|r| r.authorized && Some(&r.partner_id) != active.reseller.as_ref())
        .expect("the demo partner has authorized resellers")
        .partner_id
        .clone();
    let pending = state
        .subscriptions
        .values()
        .find(|s| s.status == SubscriptionStatus::Pending && s.setup_tasks.is_empty())
        .expect("the demo has a pending subscription")
        .id;
    let stale = state
        .subscriptions
        .values()
        .filter(|s| s.status == SubscriptionStatus::Pending)
        .find(|s| s.activation.as_ref().is_some_and(|a| a.expires_at <= now))
        .expect("the demo has a pending subscription whose link expired")
        .id;
    let invoice = state
        .invoices
        .last()
        .expect("the demo has closed invoices")
        .number
        .clone();
    let customer = active.customer;
    let offer = state
        .catalog
        .offers
        .iter()
        .find(|o| !o.one_per_customer && o.unavailable_in.is_empty())
        .expect("the demo catalog has an offer anyone may buy");
    let plan = &offer.plans[0];
    let price = plan.prices[0];
    let line = CartLine {
        item: domain::CatalogItemId {
            offer: offer.id.clone(),
            plan: plan.id.clone(),
            availability: plan.availability.clone(),
        },
        term: price.term,
        billing: price.billing,
        quantity: u64::from(plan.min_quantity),
        free_trial: false,
        nickname: None,
        reseller: None,
    };

    // Schedule one change now so that withdrawing has something to withdraw; the matrix then
    // schedules the other one, which replaces it.
    let (plan_change, billing_change) = options[0].clone();
    engine
        .schedule_change(&admin, now, active.id, plan_change, billing_change)
        .expect("a Global admin schedules a next-term change");

    Fixture {
        engine,
        customer,
        line,
        active: active.id,
        schedule: options[1].clone(),
        new_quantity,
        reseller,
        pending,
        stale,
        invoice,
    }
}

/// Runs one command by `actor` on the fixture's engine, reducing any answer to success or the
/// refusal.
fn run(
    fx: &Fixture,
    engine: &mut Engine,
    actor: &Actor,
    command: Command,
) -> Result<(), CommandError> {
    let now = now();
    let mut ids = SeededIds::new(7);
    match command {
        Command::Purchase => {
            let cart =
                engine.create_cart(actor, now, &mut ids, fx.customer, vec![fx.line.clone()])?;
            let order = engine.checkout(actor, now, &mut ids, fx.customer, cart)?;
            assert_eq!(order.lines.len(), 1, "one line, one subscription");
            Ok(())
        }
        Command::ActivationLink => engine
            .activation_link(actor, now, &mut ids, fx.stale)
            .map(|link| assert!(link.refreshed, "the old code had expired")),
        Command::RecordSetupTask => {
            engine.record_setup_task(actor, now, fx.pending, SetupTask::OpenedLink, true)
        }
        Command::Rename => engine.rename(
            actor,
            now,
            fx.active,
            Nickname::parse("Renamed by the role matrix").expect("valid"),
        ),
        Command::ChangeQuantity => engine.change_quantity(actor, now, fx.active, fx.new_quantity),
        Command::Cancel => engine.cancel(actor, now, fx.active, true),
        Command::SetAutoRenew => engine.set_auto_renew(actor, now, fx.active, false),
        Command::SetReseller => {
            engine.set_reseller(actor, now, fx.active, Some(fx.reseller.clone()))
        }
        Command::ScheduleChange => {
            let (plan, billing) = fx.schedule.clone();
            engine.schedule_change(actor, now, fx.active, plan, billing)
        }
        Command::WithdrawChange => engine.withdraw_change(actor, now, fx.active),
        Command::SetPolicy => {
            let mut policy = engine.state().policy;
            policy.sales_agent_saas_update_restriction =
                !policy.sales_agent_saas_update_restriction;
            engine.set_policy(actor, now, policy)
        }
        Command::Invoices => engine.invoices(actor).map(drop).map_err(Into::into),
        Command::InvoiceLines => engine.invoice_lines(actor, &fx.invoice).map(drop),
        Command::UnbilledCharges => engine.unbilled_charges(actor).map(drop).map_err(Into::into),
        Command::Reconciliation => engine.reconciliation(actor, &fx.invoice).map(drop),
    }
}

/// Runs one case on a fresh copy of the fixture and says what is wrong with its outcome, if
/// anything: the result, and what it left in the state and the activity log.
fn check_case(fx: &Fixture, role: Role, command: Command, expect: Expect) -> Result<(), String> {
    let mut engine = fx.engine.clone();
    let actor = user(&engine, role);
    let before = engine.state().clone();
    let result = run(fx, &mut engine, &actor, command);
    let case = format!("{} × {command:?}", role.label());
    let mut after = engine.state().clone();
    let entries = after.activity.split_off(before.activity.len());
    match (expect, &result) {
        (Expect::Allowed, Ok(())) => {
            if let Some(operation) = command.operation() {
                let own: Vec<_> = entries
                    .iter()
                    .filter(|e| e.operation == operation)
                    .collect();
                if own.len() != 1 || own[0].outcome != Outcome::Succeeded {
                    return Err(format!(
                        "{case}: allowed, but the log has {own:?} for {operation:?}"
                    ));
                }
            }
            Ok(())
        }
        (
            Expect::SalesAgentRestriction,
            Err(CommandError::Denied(Denied::SalesAgentRestriction)),
        )
        | (Expect::RoleDenied, Err(CommandError::Denied(Denied::Role { .. }))) => {
            if let Err(CommandError::Denied(Denied::Role { role: named, .. })) = &result
                && *named != role
            {
                return Err(format!("{case}: the denial names the role {named:?}"));
            }
            let error = result.as_ref().expect_err("denied");
            if after != before {
                return Err(format!("{case}: denied, but the state changed"));
            }
            if command.operation().is_some() {
                let denied = Outcome::Denied {
                    message: error.to_string(),
                    code: error.code(),
                };
                if entries.len() != 1 || entries[0].outcome != denied {
                    return Err(format!(
                        "{case}: denied, but the log has {entries:?} instead of one {denied:?}"
                    ));
                }
            } else if !entries.is_empty() {
                return Err(format!("{case}: a query wrote to the log: {entries:?}"));
            }
            Ok(())
        }
        (expect, result) => Err(format!("{case}: expected {expect:?}, got {result:?}")),
    }
}

/// Runs the whole matrix on a fixture and returns every mismatch.
fn matrix_failures(fx: &Fixture, restriction_on: bool) -> Vec<String> {
    assert_eq!(
        fx.engine.state().policy.sales_agent_saas_update_restriction,
        restriction_on,
        "the fixture's policy"
    );
    let mut failures = Vec::new();
    for role in Role::ALL {
        for command in Command::ALL {
            let expect = expected(role, command, restriction_on);
            if let Err(failure) = check_case(fx, role, command, expect) {
                failures.push(failure);
            }
        }
    }
    failures
}

#[test]
fn every_role_gets_exactly_the_permissions_of_the_domain_table() {
    let fx = fixture();
    let failures = matrix_failures(&fx, true);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn with_the_restriction_turned_off_by_a_global_admin_sales_agents_may_update() {
    let mut fx = fixture();
    let admin = user(&fx.engine, Role::GlobalAdmin);
    let policy = Policy {
        sales_agent_saas_update_restriction: false,
        ..fx.engine.state().policy
    };
    fx.engine
        .set_policy(&admin, now(), policy)
        .expect("a Global admin changes policy");
    let failures = matrix_failures(&fx, false);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sales_agent_updates_are_denied_with_the_seed_note() {
    let fx = fixture();
    let mut engine = fx.engine.clone();
    let sales = user(&engine, Role::SalesAgent);
    let err = engine
        .change_quantity(&sales, now(), fx.active, fx.new_quantity)
        .expect_err("the restriction is on by default");
    assert_eq!(err, CommandError::Denied(Denied::SalesAgentRestriction));
    let message = err.to_string();
    assert!(message.contains("Sales agent"), "{message}");
    assert!(message.contains("Admin agent"), "{message}");
    assert!(message.contains("can still buy"), "{message}");
}

#[test]
fn only_a_global_admin_may_turn_the_sales_agent_restriction_off() {
    let fx = fixture();
    for role in Role::ALL {
        let mut engine = fx.engine.clone();
        let actor = user(&engine, role);
        let policy = Policy {
            sales_agent_saas_update_restriction: false,
            ..engine.state().policy
        };
        let result = engine.set_policy(&actor, now(), policy);
        let flag = engine.state().policy.sales_agent_saas_update_restriction;
        if role == Role::GlobalAdmin {
            assert_eq!(result, Ok(()), "{}", role.label());
            assert!(!flag, "{}: the flag is off afterwards", role.label());
        } else {
            assert!(
                matches!(result, Err(CommandError::Denied(Denied::Role { role: r, .. })) if r == role),
                "{}: {result:?}",
                role.label()
            );
            assert!(flag, "{}: the flag stays on", role.label());
        }
    }
}

#[test]
fn the_detail_page_offers_each_role_exactly_the_actions_its_commands_allow() {
    let fx = fixture();
    let pairs = [
        (Action::Rename, Command::Rename, fx.active),
        (Action::ChangeQuantity, Command::ChangeQuantity, fx.active),
        (Action::Cancel, Command::Cancel, fx.active),
        (Action::SetAutoRenew, Command::SetAutoRenew, fx.active),
        (Action::SetReseller, Command::SetReseller, fx.active),
        (Action::ScheduleChange, Command::ScheduleChange, fx.active),
        (Action::WithdrawChange, Command::WithdrawChange, fx.active),
        (
            Action::CopyActivationLink,
            Command::ActivationLink,
            fx.stale,
        ),
        (
            Action::RecordSetupTask,
            Command::RecordSetupTask,
            fx.pending,
        ),
    ];
    let mut failures = Vec::new();
    for role in Role::ALL {
        let actor = user(&fx.engine, role);
        for (action, command, id) in pairs {
            let detail = fx
                .engine
                .subscription_detail(&actor, now(), id)
                .expect("every role may view a subscription");
            let expect = expected(role, command, true);
            let offered = detail.allows(action);
            if offered != (expect == Expect::Allowed) {
                failures.push(format!(
                    "{} × {action:?}: offered {offered}, expected {expect:?}",
                    role.label()
                ));
            }
            if expect == Expect::SalesAgentRestriction {
                // The seed's note is the page's, once; the action points to it.
                let reason = detail.blocked_because(action).unwrap_or_default();
                let note = detail.note.clone().unwrap_or_default();
                if Some(reason) != Denied::SalesAgentRestriction.pointer()
                    || note != Denied::SalesAgentRestriction.to_string()
                {
                    failures.push(format!(
                        "{} × {action:?}: blocked because {reason:?} with the note {note:?}, not pointing to the seed's note",
                        role.label()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn publishers_and_the_clock_are_refused_every_partner_command() {
    let fx = fixture();
    let publisher = {
        let sub = fx.engine.subscription(fx.active).expect("exists");
        fx.engine.offer_and_plan(sub).0.publisher_id.clone()
    };
    let outsiders = [
        Actor::Publisher(publisher),
        Actor::Publisher("no-such-publisher".into()),
        Actor::System,
    ];
    let mut failures = Vec::new();
    for actor in &outsiders {
        for command in Command::ALL {
            let mut engine = fx.engine.clone();
            let before = engine.state().clone();
            let result = run(&fx, &mut engine, actor, command);
            let refused = matches!(
                result,
                Err(CommandError::Denied(Denied::NotAPartnerUser { .. }))
            );
            let mut after = engine.state().clone();
            after.activity.truncate(before.activity.len());
            if !refused {
                failures.push(format!("{actor:?} × {command:?}: got {result:?}"));
            } else if after != before {
                failures.push(format!(
                    "{actor:?} × {command:?}: refused, but the state changed"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_user_id_that_is_not_one_of_the_partners_users_is_refused() {
    let fx = fixture();
    let stranger = Actor::User(UserId::generate(&mut SeededIds::new(99)));
    let mut failures = Vec::new();
    for command in Command::ALL {
        let mut engine = fx.engine.clone();
        let result = run(&fx, &mut engine, &stranger, command);
        if result != Err(CommandError::Denied(Denied::UnknownUser)) {
            failures.push(format!("stranger × {command:?}: got {result:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A publisher-side command of the SaaS fulfillment API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PublisherCommand {
    Resolve,
    AssignLicenses,
    Activate,
    Suspend,
    Reinstate,
}

impl PublisherCommand {
    const ALL: [PublisherCommand; 5] = [
        PublisherCommand::Resolve,
        PublisherCommand::AssignLicenses,
        PublisherCommand::Activate,
        PublisherCommand::Suspend,
        PublisherCommand::Reinstate,
    ];
}

/// The publisher of a subscription's offer.
fn publisher_of(engine: &Engine, id: SubscriptionId) -> Actor {
    let sub = engine.subscription(id).expect("exists");
    Actor::Publisher(engine.offer_and_plan(sub).0.publisher_id.clone())
}

/// A publisher other than the one of the subscription's offer.
fn another_publisher(engine: &Engine, id: SubscriptionId) -> Actor {
    let Actor::Publisher(own) = publisher_of(engine, id) else {
        unreachable!("publisher_of gives a publisher")
    };
    let other = engine
        .state()
        .catalog
        .offers
        .iter()
        .map(|o| o.publisher_id.clone())
        .find(|p| *p != own)
        .expect("the demo catalog has several publishers");
    Actor::Publisher(other)
}

/// Prepares the engine for a publisher command and runs it by `actor`.
fn run_publisher(
    fx: &Fixture,
    engine: &mut Engine,
    actor: &Actor,
    command: PublisherCommand,
) -> Result<(), CommandError> {
    let now = now();
    let mut ids = SeededIds::new(11);
    let pending = fx.pending;
    let right = publisher_of(engine, pending);
    let emails = vec!["admin@example.com".to_owned()];
    match command {
        PublisherCommand::Resolve => {
            let admin = user(engine, Role::AdminAgent);
            let link = engine
                .activation_link(&admin, now, &mut ids, pending)
                .expect("a live link");
            engine.resolve(actor, now, &link.code).map(drop)
        }
        PublisherCommand::AssignLicenses => engine.assign_licenses(actor, now, pending, &emails),
        PublisherCommand::Activate => {
            engine
                .assign_licenses(&right, now, pending, &emails)
                .expect("the right publisher assigns licenses");
            let sub = engine.subscription(pending).expect("exists").clone();
            engine.activate(actor, now, pending, sub.item.plan.as_str(), sub.quantity)
        }
        PublisherCommand::Suspend => engine.suspend(actor, now, fx.active),
        PublisherCommand::Reinstate => {
            let right = publisher_of(engine, fx.active);
            engine
                .suspend(&right, now, fx.active)
                .expect("the right publisher suspends");
            engine.reinstate(actor, now, fx.active)
        }
    }
}

#[test]
fn only_the_offers_own_publisher_may_resolve_license_activate_suspend_and_reinstate() {
    let fx = fixture();
    let mut failures = Vec::new();
    for command in PublisherCommand::ALL {
        let target = match command {
            PublisherCommand::Suspend | PublisherCommand::Reinstate => fx.active,
            _ => fx.pending,
        };
        let right = publisher_of(&fx.engine, target);
        let mut actors: Vec<(String, Actor, bool)> = Role::ALL
            .iter()
            .map(|&role| (role.label().to_owned(), user(&fx.engine, role), false))
            .collect();
        actors.push((
            "another publisher".into(),
            another_publisher(&fx.engine, target),
            false,
        ));
        actors.push((
            "an unknown publisher".into(),
            Actor::Publisher("no-such-publisher".into()),
            false,
        ));
        actors.push(("System".into(), Actor::System, false));
        actors.push(("the offer's publisher".into(), right, true));
        for (who, actor, allowed) in actors {
            let mut engine = fx.engine.clone();
            let result = run_publisher(&fx, &mut engine, &actor, command);
            let ok = if allowed {
                result.is_ok()
            } else {
                result == Err(CommandError::Denied(Denied::OtherPublisher))
            };
            if !ok {
                failures.push(format!("{who} × {command:?}: got {result:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_matrix_check_itself_fails_when_a_rule_is_wrong() {
    // A table that wrongly lets a Helpdesk agent rename must be caught, or the matrix proves
    // nothing.
    let fx = fixture();
    let failure = check_case(&fx, Role::HelpdeskAgent, Command::Rename, Expect::Allowed)
        .expect_err("a Helpdesk agent may not rename");
    assert!(failure.contains("Helpdesk agent × Rename"), "{failure}");
    let failure = check_case(&fx, Role::AdminAgent, Command::Cancel, Expect::RoleDenied)
        .expect_err("an Admin agent may cancel");
    assert!(failure.contains("Admin agent × Cancel"), "{failure}");
}
