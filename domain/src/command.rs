//! Commands as data. Every change is one [`Entry`]: who, when, the command's input and the random
//! bits of the identifiers and codes it makes. Applying an entry to the engine is deterministic, so a server can
//! journal entries and rebuild its state by replaying them, and a console can keep a replica of a
//! server's state by replaying the same entries.

use serde::{Deserialize, Serialize};

use crate::catalog::{BillingFrequency, PlanId};
use crate::engine::{ActivationLink, Actor, ClockReport, Engine, ResolvedPurchase};
use crate::error::CommandError;
use crate::ids::{CartId, CustomerId, RandomKey, SeededIds, SubscriptionId};
use crate::nickname::Nickname;
use crate::order::{CartLine, Order};
use crate::partner_id::ResellerPartnerId;
use crate::policy::Policy;
use crate::subscription::SetupTask;
use crate::time::Timestamp;

/// A command's input, as the journal keeps it.
// Externally tagged (`{"rename": {…}}`): internally tagged enums cost far more code to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Command {
    /// Create a cart.
    CreateCart {
        customer: CustomerId,
        lines: Vec<CartLine>,
    },
    /// Check a cart out.
    Checkout { customer: CustomerId, cart: CartId },
    /// Get (or refresh) an activation link.
    ActivationLink { subscription: SubscriptionId },
    /// Change the nickname.
    Rename {
        subscription: SubscriptionId,
        nickname: Nickname,
    },
    /// Change the quantity.
    ChangeQuantity {
        subscription: SubscriptionId,
        quantity: u64,
    },
    /// Cancel.
    Cancel {
        subscription: SubscriptionId,
        steps_confirmed: bool,
    },
    /// Turn auto-renew on or off.
    SetAutoRenew {
        subscription: SubscriptionId,
        on: bool,
    },
    /// Set or clear the reseller.
    SetReseller {
        subscription: SubscriptionId,
        reseller: Option<ResellerPartnerId>,
    },
    /// The publisher resolves a code.
    Resolve { token: String },
    /// The publisher assigns licenses.
    AssignLicenses {
        subscription: SubscriptionId,
        emails: Vec<String>,
    },
    /// The publisher activates.
    Activate {
        subscription: SubscriptionId,
        plan_id: String,
        quantity: u32,
    },
    /// Record a setup task as done or not done.
    RecordSetupTask {
        subscription: SubscriptionId,
        task: SetupTask,
        done: bool,
    },
    /// Schedule a plan and/or billing-frequency change for the next term.
    ScheduleChange {
        subscription: SubscriptionId,
        plan: Option<PlanId>,
        billing: Option<BillingFrequency>,
    },
    /// Withdraw the scheduled change.
    WithdrawChange { subscription: SubscriptionId },
    /// The publisher suspends.
    Suspend { subscription: SubscriptionId },
    /// The publisher reinstates.
    Reinstate { subscription: SubscriptionId },
    /// Change the policy settings.
    SetPolicy { policy: Policy },
    /// Apply what fell due up to the entry's time (renewals, expiry, invoice runs).
    AdvanceClock,
}

impl Command {
    /// The subscription the command is about, if it is about one.
    pub fn subscription(&self) -> Option<SubscriptionId> {
        match self {
            Command::ActivationLink { subscription }
            | Command::Rename { subscription, .. }
            | Command::ChangeQuantity { subscription, .. }
            | Command::Cancel { subscription, .. }
            | Command::SetAutoRenew { subscription, .. }
            | Command::SetReseller { subscription, .. }
            | Command::AssignLicenses { subscription, .. }
            | Command::Activate { subscription, .. }
            | Command::RecordSetupTask { subscription, .. }
            | Command::ScheduleChange { subscription, .. }
            | Command::WithdrawChange { subscription }
            | Command::Suspend { subscription }
            | Command::Reinstate { subscription } => Some(*subscription),
            _ => None,
        }
    }
}

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// When it was accepted.
    pub at: Timestamp,
    /// Who asked.
    pub actor: Actor,
    /// What.
    pub command: Command,
    /// The random bits its new identifiers and activation codes are made from, recorded so that a
    /// replay makes the same ones.
    pub random: RandomKey,
}

/// What applying an entry gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Applied {
    /// A cart was made.
    Cart(CartId),
    /// An order was placed.
    Order(Order),
    /// An activation link.
    Link(ActivationLink),
    /// A resolved purchase.
    Resolved(ResolvedPurchase),
    /// What the clock did.
    Clock(ClockReport),
    /// The change was made.
    Done,
}

/// Applies an entry to the engine: the same entry on the same state always gives the same result.
pub fn apply(engine: &mut Engine, entry: &Entry) -> Result<Applied, CommandError> {
    let mut ids = SeededIds::from_key(entry.random);
    let (actor, now) = (&entry.actor, entry.at);
    Ok(match entry.command.clone() {
        Command::CreateCart { customer, lines } => {
            Applied::Cart(engine.create_cart(actor, now, &mut ids, customer, lines)?)
        }
        Command::Checkout { customer, cart } => {
            Applied::Order(engine.checkout(actor, now, &mut ids, customer, cart)?)
        }
        Command::ActivationLink { subscription } => {
            Applied::Link(engine.activation_link(actor, now, &mut ids, subscription)?)
        }
        Command::Rename {
            subscription,
            nickname,
        } => {
            engine.rename(actor, now, subscription, nickname)?;
            Applied::Done
        }
        Command::ChangeQuantity {
            subscription,
            quantity,
        } => {
            engine.change_quantity(actor, now, subscription, quantity)?;
            Applied::Done
        }
        Command::Cancel {
            subscription,
            steps_confirmed,
        } => {
            engine.cancel(actor, now, subscription, steps_confirmed)?;
            Applied::Done
        }
        Command::SetAutoRenew { subscription, on } => {
            engine.set_auto_renew(actor, now, subscription, on)?;
            Applied::Done
        }
        Command::SetReseller {
            subscription,
            reseller,
        } => {
            engine.set_reseller(actor, now, subscription, reseller)?;
            Applied::Done
        }
        Command::Resolve { token } => Applied::Resolved(engine.resolve(actor, now, &token)?),
        Command::AssignLicenses {
            subscription,
            emails,
        } => {
            engine.assign_licenses(actor, now, subscription, &emails)?;
            Applied::Done
        }
        Command::Activate {
            subscription,
            plan_id,
            quantity,
        } => {
            engine.activate(actor, now, subscription, &plan_id, quantity)?;
            Applied::Done
        }
        Command::RecordSetupTask {
            subscription,
            task,
            done,
        } => {
            engine.record_setup_task(actor, now, subscription, task, done)?;
            Applied::Done
        }
        Command::ScheduleChange {
            subscription,
            plan,
            billing,
        } => {
            engine.schedule_change(actor, now, subscription, plan, billing)?;
            Applied::Done
        }
        Command::WithdrawChange { subscription } => {
            engine.withdraw_change(actor, now, subscription)?;
            Applied::Done
        }
        Command::Suspend { subscription } => {
            engine.suspend(actor, now, subscription)?;
            Applied::Done
        }
        Command::Reinstate { subscription } => {
            engine.reinstate(actor, now, subscription)?;
            Applied::Done
        }
        Command::SetPolicy { policy } => {
            engine.set_policy(actor, now, policy)?;
            Applied::Done
        }
        Command::AdvanceClock => Applied::Clock(engine.advance_clock(now)),
    })
}
