use serde::{Deserialize, Serialize};

use crate::catalog::{BillingFrequency, CatalogItemId, Term};
use crate::ids::{CustomerId, OrderId, SubscriptionId};
use crate::money::{Currency, Money};
use crate::partner_id::ResellerPartnerId;
use crate::time::Timestamp;

/// Why a charge line exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChargeType {
    /// The first billing period, at activation.
    New,
    /// A later billing period of the same term.
    CycleCharge,
    /// The first billing period of a new term (renewal or trial conversion).
    Renew,
    /// Licenses added, prorated daily for the rest of the billing period.
    AddQuantity,
    /// Licenses removed, a prorated credit for the rest of the billing period.
    RemoveQuantity,
    /// A refund of the current term, on a cancellation within the window.
    Cancel,
    /// The first billing period of a new term on another plan (a scheduled plan change).
    Convert,
}

impl ChargeType {
    /// As the reconciliation file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeType::New => "New",
            ChargeType::CycleCharge => "CycleCharge",
            ChargeType::Renew => "Renew",
            ChargeType::AddQuantity => "AddQuantity",
            ChargeType::RemoveQuantity => "RemoveQuantity",
            ChargeType::Cancel => "Cancel",
            ChargeType::Convert => "Convert",
        }
    }

    /// In words, as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            ChargeType::New => "New subscription",
            ChargeType::CycleCharge => "Cycle charge",
            ChargeType::Renew => "Renewal",
            ChargeType::AddQuantity => "Licenses added",
            ChargeType::RemoveQuantity => "Licenses removed",
            ChargeType::Cancel => "Cancellation refund",
            ChargeType::Convert => "Plan change at renewal",
        }
    }
}

/// One line of the charge ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Charge {
    /// Position in the ledger.
    pub seq: u64,
    /// When it was posted: it belongs to that month's invoice.
    pub posted_at: Timestamp,
    /// The customer.
    pub customer: CustomerId,
    /// The subscription.
    pub subscription: SubscriptionId,
    /// The subscription's nickname then.
    pub subscription_name: String,
    /// The order that created the subscription.
    pub order_id: OrderId,
    /// When that order was placed.
    pub order_date: Timestamp,
    /// Reseller on record then.
    pub reseller: Option<ResellerPartnerId>,
    /// The catalog item.
    pub item: CatalogItemId,
    /// Offer name.
    pub offer_name: String,
    /// Plan name.
    pub plan_name: String,
    /// Publisher name.
    pub publisher_name: String,
    /// Why.
    pub charge_type: ChargeType,
    /// Licenses charged (the change in licenses for quantity changes).
    pub quantity: u32,
    /// Price of one license for one billing period.
    pub unit_price: Money,
    /// The amount (negative for credits).
    pub amount: Money,
    /// The term.
    pub term: Term,
    /// Billing frequency.
    pub billing: BillingFrequency,
    /// Start of the period charged.
    pub period_start: Timestamp,
    /// End of the period charged.
    pub period_end: Timestamp,
    /// The invoice it is on, once its month is closed.
    pub invoice: Option<String>,
}

/// A monthly invoice of one currency: "Recurring and one-time purchases".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    /// `G000000001`.
    pub number: String,
    /// The first day of the month it covers.
    pub month: Timestamp,
    /// Its currency.
    pub currency: Currency,
    /// When it was closed.
    pub closed_at: Timestamp,
    /// The ledger positions of its lines.
    pub lines: Vec<u64>,
    /// The sum of its lines.
    pub total: Money,
}

impl Invoice {
    /// What kind of invoice it is, as Partner Center names it.
    pub const KIND: &'static str = "Recurring and one-time purchases";

    /// `G000000042`.
    pub fn number_for(seq: u64) -> String {
        format!("G{seq:09}")
    }
}
