//! Every change the server accepts is one journal entry: who, when, the command's input and the
//! seed of its identifiers. Applying an entry to the engine is deterministic, so the state after a
//! restart is the last snapshot with the journal replayed on top.

use domain::{
    ActivationLink, Actor, CartId, CartLine, CommandError, CustomerId, Engine, Nickname, Order,
    ResellerPartnerId, ResolvedPurchase, SeededIds, SubscriptionId, Timestamp,
};
use serde::{Deserialize, Serialize};

/// A command's input, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
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
    /// The seed of the identifiers it made.
    pub seed: u64,
}

/// What applying an entry gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A cart was made.
    Cart(CartId),
    /// An order was placed.
    Order(Order),
    /// An activation link.
    Link(ActivationLink),
    /// A resolved purchase.
    Resolved(ResolvedPurchase),
    /// The change was made.
    Done,
}

/// Applies an entry to the engine: the same entry on the same state always gives the same result.
pub fn apply(engine: &mut Engine, entry: &Entry) -> Result<Outcome, CommandError> {
    let mut ids = SeededIds::new(entry.seed);
    let (actor, now) = (&entry.actor, entry.at);
    Ok(match entry.command.clone() {
        Command::CreateCart { customer, lines } => {
            Outcome::Cart(engine.create_cart(actor, now, &mut ids, customer, lines)?)
        }
        Command::Checkout { customer, cart } => {
            Outcome::Order(engine.checkout(actor, now, &mut ids, customer, cart)?)
        }
        Command::ActivationLink { subscription } => {
            Outcome::Link(engine.activation_link(actor, now, &mut ids, subscription)?)
        }
        Command::Rename {
            subscription,
            nickname,
        } => {
            engine.rename(actor, now, subscription, nickname)?;
            Outcome::Done
        }
        Command::ChangeQuantity {
            subscription,
            quantity,
        } => {
            engine.change_quantity(actor, now, subscription, quantity)?;
            Outcome::Done
        }
        Command::Cancel {
            subscription,
            steps_confirmed,
        } => {
            engine.cancel(actor, now, subscription, steps_confirmed)?;
            Outcome::Done
        }
        Command::SetAutoRenew { subscription, on } => {
            engine.set_auto_renew(actor, now, subscription, on)?;
            Outcome::Done
        }
        Command::SetReseller {
            subscription,
            reseller,
        } => {
            engine.set_reseller(actor, now, subscription, reseller)?;
            Outcome::Done
        }
        Command::Resolve { token } => Outcome::Resolved(engine.resolve(actor, now, &token)?),
        Command::AssignLicenses {
            subscription,
            emails,
        } => {
            engine.assign_licenses(actor, now, subscription, &emails)?;
            Outcome::Done
        }
        Command::Activate {
            subscription,
            plan_id,
            quantity,
        } => {
            engine.activate(actor, now, subscription, &plan_id, quantity)?;
            Outcome::Done
        }
    })
}
