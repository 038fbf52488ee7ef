use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, SubscriptionId};
use crate::role::Role;
use crate::time::Timestamp;

/// What an activity entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Operation {
    /// A cart was created.
    CreateCart,
    /// A cart was checked out into an order.
    Purchase,
    /// An activation link was fetched or refreshed.
    GetActivationLink,
    /// The publisher resolved an activation code.
    ResolvePurchase,
    /// A setup task was recorded.
    RecordSetupTask,
    /// The publisher assigned licenses.
    AssignLicenses,
    /// The publisher activated the subscription.
    Activate,
    /// The nickname changed.
    Rename,
    /// The number of licenses changed.
    ChangeQuantity,
    /// The subscription was cancelled.
    Cancel,
    /// Auto-renew was turned on or off.
    SetAutoRenew,
    /// The indirect reseller PartnerID was set or cleared.
    SetReseller,
    /// A next-term change was scheduled.
    ScheduleChange,
    /// A next-term change was withdrawn.
    WithdrawChange,
    /// The publisher suspended the subscription.
    Suspend,
    /// The publisher reinstated the subscription.
    Reinstate,
    /// A new term started.
    Renew,
    /// The term ended with auto-renew off.
    Expire,
    /// A free trial became a paid term.
    ConvertTrial,
    /// A month's invoice was closed.
    CloseInvoice,
    /// A policy setting changed.
    ChangePolicy,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 21] = [
        Operation::CreateCart,
        Operation::Purchase,
        Operation::GetActivationLink,
        Operation::ResolvePurchase,
        Operation::RecordSetupTask,
        Operation::AssignLicenses,
        Operation::Activate,
        Operation::Rename,
        Operation::ChangeQuantity,
        Operation::Cancel,
        Operation::SetAutoRenew,
        Operation::SetReseller,
        Operation::ScheduleChange,
        Operation::WithdrawChange,
        Operation::Suspend,
        Operation::Reinstate,
        Operation::Renew,
        Operation::Expire,
        Operation::ConvertTrial,
        Operation::CloseInvoice,
        Operation::ChangePolicy,
    ];

    /// In words, for the activity log.
    pub fn label(self) -> &'static str {
        match self {
            Operation::CreateCart => "Create cart",
            Operation::Purchase => "Purchase",
            Operation::GetActivationLink => "Get activation link",
            Operation::ResolvePurchase => "Publisher resolved purchase",
            Operation::RecordSetupTask => "Record setup task",
            Operation::AssignLicenses => "Publisher assigned licenses",
            Operation::Activate => "Publisher activated",
            Operation::Rename => "Change nickname",
            Operation::ChangeQuantity => "Change quantity",
            Operation::Cancel => "Cancel subscription",
            Operation::SetAutoRenew => "Set auto-renew",
            Operation::SetReseller => "Set indirect reseller",
            Operation::ScheduleChange => "Schedule next-term change",
            Operation::WithdrawChange => "Withdraw next-term change",
            Operation::Suspend => "Publisher suspended",
            Operation::Reinstate => "Publisher reinstated",
            Operation::Renew => "Renew",
            Operation::Expire => "Expire",
            Operation::ConvertTrial => "Convert trial",
            Operation::CloseInvoice => "Close invoice",
            Operation::ChangePolicy => "Change policy",
        }
    }
}

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorRecord {
    /// A user's name, a publisher's name, or `System`.
    pub name: String,
    /// The user's role, for partner users.
    pub role: Option<Role>,
}

/// Whether the attempt succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The change was made.
    Succeeded,
    /// The attempt was refused, with the message the actor saw.
    Denied {
        /// The message.
        message: String,
        /// Partner Center's error code, where it has one.
        code: Option<u32>,
    },
}

/// One entry of the append-only activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    /// Position in the log.
    pub seq: u64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: ActorRecord,
    /// The customer concerned.
    pub customer: Option<CustomerId>,
    /// The subscription concerned.
    pub subscription: Option<SubscriptionId>,
    /// What.
    pub operation: Operation,
    /// The value before.
    pub old: Option<String>,
    /// The value after.
    pub new: Option<String>,
    /// Why, when given.
    pub reason: Option<String>,
    /// Succeeded or denied.
    pub outcome: Outcome,
}

/// Which entries to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityFilter {
    /// From this time on.
    pub from: Option<Timestamp>,
    /// Before this time.
    pub until: Option<Timestamp>,
    /// Of this customer.
    pub customer: Option<CustomerId>,
    /// Of this subscription.
    pub subscription: Option<SubscriptionId>,
    /// Of this operation.
    pub operation: Option<Operation>,
    /// By this user (name).
    pub user: Option<String>,
}

impl ActivityFilter {
    /// Whether an entry passes the filter.
    pub fn matches(&self, e: &ActivityEntry) -> bool {
        self.from.is_none_or(|t| e.at >= t)
            && self.until.is_none_or(|t| e.at < t)
            && self.customer.is_none_or(|c| e.customer == Some(c))
            && self.subscription.is_none_or(|s| e.subscription == Some(s))
            && self.operation.is_none_or(|o| e.operation == o)
            && self.user.as_ref().is_none_or(|u| &e.actor.name == u)
    }
}
