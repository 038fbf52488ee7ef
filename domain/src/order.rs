use serde::{Deserialize, Serialize};

use crate::catalog::{BillingFrequency, CatalogItemId, Term};
use crate::ids::{CartId, CustomerId, OrderId, SubscriptionId};
use crate::money::Money;
use crate::nickname::Nickname;
use crate::partner_id::ResellerPartnerId;
use crate::time::Timestamp;

/// A line to buy: what, on which terms, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CartLine {
    /// The catalog item.
    pub item: CatalogItemId,
    /// The term.
    pub term: Term,
    /// The billing frequency.
    pub billing: BillingFrequency,
    /// Licenses (checked against the plan at checkout).
    pub quantity: u64,
    /// Start with the plan's free-trial month.
    pub free_trial: bool,
    /// A nickname; the offer and plan names when none.
    pub nickname: Option<Nickname>,
    /// The indirect reseller on record (`partnerIdOnRecord`).
    pub reseller: Option<ResellerPartnerId>,
}

/// A cart being prepared for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cart {
    /// Id.
    pub id: CartId,
    /// The customer.
    pub customer: CustomerId,
    /// When it was made.
    pub created_at: Timestamp,
    /// Its lines.
    pub lines: Vec<CartLine>,
    /// The order it became, once checked out.
    pub order: Option<OrderId>,
}

/// A numbered line of an order: one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    /// 0-based line number (Partner Center's line item number; people see `shown_number`).
    pub number: u32,
    /// The subscription it created.
    pub subscription: SubscriptionId,
    /// The catalog item.
    pub item: CatalogItemId,
    /// Licenses.
    pub quantity: u32,
    /// The term.
    pub term: Term,
    /// Billing frequency.
    pub billing: BillingFrequency,
    /// Price of one license for one billing period.
    pub unit_price: Money,
}

impl OrderLine {
    /// The line's number as people count: from 1, as the purchase's messages say "Line 1".
    pub fn shown_number(&self) -> u32 {
        self.number + 1
    }
}

/// A checked-out cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Id.
    pub id: OrderId,
    /// The customer.
    pub customer: CustomerId,
    /// When it was placed.
    pub created_at: Timestamp,
    /// Who placed it.
    pub created_by: String,
    /// Its lines.
    pub lines: Vec<OrderLine>,
}
