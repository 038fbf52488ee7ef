//! Commands as data. Every change is one [`Entry`]: who, when, the command's input and the seed
//! of the identifiers it makes. Applying an entry to the engine is deterministic, so a server can
//! journal entries and rebuild its state by replaying them, and a console can keep a replica of a
//! server's state by replaying the same entries.

use serde::{Deserialize, Serialize};

use crate::catalog::{BillingFrequency, PlanId};
use crate::engine::{ActivationLink, Actor, ClockReport, Engine, ResolvedPurchase};
use crate::error::CommandError;
use crate::ids::{CartId, CustomerId, SeededIds, SubscriptionId};
use crate::json::{
    Fields, FromJson, Json, JsonError, ToJson, read_variant, write_struct_variant, write_variant,
};
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

impl FromJson for Command {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        read_variant(
            json,
            |name| (name == "advanceClock").then_some(Command::AdvanceClock),
            |name, content| content.fields().and_then(|f| command(name, &f)).transpose(),
        )
    }
}

impl ToJson for Command {
    fn write_json(&self, out: &mut String) {
        match self {
            Command::CreateCart { customer, lines } => {
                write_struct_variant(out, "createCart", |o| {
                    o.member("customer", customer).member("lines", lines);
                })
            }
            Command::Checkout { customer, cart } => write_struct_variant(out, "checkout", |o| {
                o.member("customer", customer).member("cart", cart);
            }),
            Command::ActivationLink { subscription } => {
                write_struct_variant(out, "activationLink", |o| {
                    o.member("subscription", subscription);
                })
            }
            Command::Rename {
                subscription,
                nickname,
            } => write_struct_variant(out, "rename", |o| {
                o.member("subscription", subscription)
                    .member("nickname", nickname);
            }),
            Command::ChangeQuantity {
                subscription,
                quantity,
            } => write_struct_variant(out, "changeQuantity", |o| {
                o.member("subscription", subscription)
                    .member("quantity", quantity);
            }),
            Command::Cancel {
                subscription,
                steps_confirmed,
            } => write_struct_variant(out, "cancel", |o| {
                o.member("subscription", subscription)
                    .member("steps_confirmed", steps_confirmed);
            }),
            Command::SetAutoRenew { subscription, on } => {
                write_struct_variant(out, "setAutoRenew", |o| {
                    o.member("subscription", subscription).member("on", on);
                })
            }
            Command::SetReseller {
                subscription,
                reseller,
            } => write_struct_variant(out, "setReseller", |o| {
                o.member("subscription", subscription)
                    .member("reseller", reseller);
            }),
            Command::Resolve { token } => write_struct_variant(out, "resolve", |o| {
                o.member("token", token);
            }),
            Command::AssignLicenses {
                subscription,
                emails,
            } => write_struct_variant(out, "assignLicenses", |o| {
                o.member("subscription", subscription)
                    .member("emails", emails);
            }),
            Command::Activate {
                subscription,
                plan_id,
                quantity,
            } => write_struct_variant(out, "activate", |o| {
                o.member("subscription", subscription)
                    .member("plan_id", plan_id)
                    .member("quantity", quantity);
            }),
            Command::RecordSetupTask {
                subscription,
                task,
                done,
            } => write_struct_variant(out, "recordSetupTask", |o| {
                o.member("subscription", subscription)
                    .member("task", task)
                    .member("done", done);
            }),
            Command::ScheduleChange {
                subscription,
                plan,
                billing,
            } => write_struct_variant(out, "scheduleChange", |o| {
                o.member("subscription", subscription)
                    .member("plan", plan)
                    .member("billing", billing);
            }),
            Command::WithdrawChange { subscription } => {
                write_struct_variant(out, "withdrawChange", |o| {
                    o.member("subscription", subscription);
                })
            }
            Command::Suspend { subscription } => write_struct_variant(out, "suspend", |o| {
                o.member("subscription", subscription);
            }),
            Command::Reinstate { subscription } => write_struct_variant(out, "reinstate", |o| {
                o.member("subscription", subscription);
            }),
            Command::SetPolicy { policy } => write_struct_variant(out, "setPolicy", |o| {
                o.member("policy", policy);
            }),
            Command::AdvanceClock => "advanceClock".write_json(out),
        }
    }
}

/// The command named `name` with the members `f` (serde keeps the fields' own names inside a
/// variant); `None` for a name that is not a command with content.
fn command(name: &str, f: &Fields<'_, '_>) -> Result<Option<Command>, JsonError> {
    let subscription = || f.get::<SubscriptionId>("subscription");
    Ok(Some(match name {
        "createCart" => Command::CreateCart {
            customer: f.get("customer")?,
            lines: f.get("lines")?,
        },
        "checkout" => Command::Checkout {
            customer: f.get("customer")?,
            cart: f.get("cart")?,
        },
        "activationLink" => Command::ActivationLink {
            subscription: subscription()?,
        },
        "rename" => Command::Rename {
            subscription: subscription()?,
            nickname: f.get("nickname")?,
        },
        "changeQuantity" => Command::ChangeQuantity {
            subscription: subscription()?,
            quantity: f.get("quantity")?,
        },
        "cancel" => Command::Cancel {
            subscription: subscription()?,
            steps_confirmed: f.get("steps_confirmed")?,
        },
        "setAutoRenew" => Command::SetAutoRenew {
            subscription: subscription()?,
            on: f.get("on")?,
        },
        "setReseller" => Command::SetReseller {
            subscription: subscription()?,
            reseller: f.get("reseller")?,
        },
        "resolve" => Command::Resolve {
            token: f.get("token")?,
        },
        "assignLicenses" => Command::AssignLicenses {
            subscription: subscription()?,
            emails: f.get("emails")?,
        },
        "activate" => Command::Activate {
            subscription: subscription()?,
            plan_id: f.get("plan_id")?,
            quantity: f.get("quantity")?,
        },
        "recordSetupTask" => Command::RecordSetupTask {
            subscription: subscription()?,
            task: f.get("task")?,
            done: f.get("done")?,
        },
        "scheduleChange" => Command::ScheduleChange {
            subscription: subscription()?,
            plan: f.get("plan")?,
            billing: f.get("billing")?,
        },
        "withdrawChange" => Command::WithdrawChange {
            subscription: subscription()?,
        },
        "suspend" => Command::Suspend {
            subscription: subscription()?,
        },
        "reinstate" => Command::Reinstate {
            subscription: subscription()?,
        },
        "setPolicy" => Command::SetPolicy {
            policy: f.get("policy")?,
        },
        _ => return Ok(None),
    }))
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
    /// The seed of the identifiers it made.
    pub seed: u64,
}

crate::json::json_struct!(Entry {
    at: "at",
    actor: "actor",
    command: "command",
    seed: "seed",
});

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

impl FromJson for Applied {
    fn from_json(json: &Json<'_>) -> Result<Self, JsonError> {
        read_variant(
            json,
            |name| (name == "done").then_some(Applied::Done),
            |name, content| {
                Some(match name {
                    "cart" => FromJson::from_json(content).map(Applied::Cart),
                    "order" => FromJson::from_json(content).map(Applied::Order),
                    "link" => FromJson::from_json(content).map(Applied::Link),
                    "resolved" => FromJson::from_json(content).map(Applied::Resolved),
                    "clock" => FromJson::from_json(content).map(Applied::Clock),
                    _ => return None,
                })
            },
        )
    }
}

impl ToJson for Applied {
    fn write_json(&self, out: &mut String) {
        match self {
            Applied::Cart(cart) => write_variant(out, "cart", cart),
            Applied::Order(order) => write_variant(out, "order", order),
            Applied::Link(link) => write_variant(out, "link", link),
            Applied::Resolved(resolved) => write_variant(out, "resolved", resolved),
            Applied::Clock(report) => write_variant(out, "clock", report),
            Applied::Done => "done".write_json(out),
        }
    }
}

/// Applies an entry to the engine: the same entry on the same state always gives the same result.
pub fn apply(engine: &mut Engine, entry: &Entry) -> Result<Applied, CommandError> {
    let mut ids = SeededIds::new(entry.seed);
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
