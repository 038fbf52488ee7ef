use serde::{Deserialize, Serialize};

use crate::catalog::{BillingFrequency, CatalogItemId, PlanId, Term};
use crate::ids::{CustomerId, OrderId, SubscriptionId};
use crate::money::Money;
use crate::nickname::Nickname;
use crate::partner_id::ResellerPartnerId;
use crate::status::SubscriptionStatus;
use crate::time::Timestamp;

/// How long an activation code stays valid after it is issued.
pub const ACTIVATION_CODE_HOURS: i64 = 24;

/// The personalized authorization code of a pending subscription's activation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationCode {
    /// The code (40 letters and digits).
    pub code: String,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A task the seed makes the partner responsible for while setting a subscription up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SetupTask {
    /// Opened the personalized link (in a private window, with the customer's credentials).
    OpenedLink,
    /// Submitted the information the publisher requires.
    SubmittedInformation,
    /// Sent the required URL to the customer (or told them the details).
    SentUrlToCustomer,
}

impl SetupTask {
    /// The tasks, in the order the seed lists them.
    pub const ALL: [SetupTask; 3] = [
        SetupTask::OpenedLink,
        SetupTask::SubmittedInformation,
        SetupTask::SentUrlToCustomer,
    ];

    /// The task in the seed's words.
    pub fn label(self) -> &'static str {
        match self {
            SetupTask::OpenedLink => {
                "Open the personalized link (in a private browser, with the customer's credentials)"
            }
            SetupTask::SubmittedInformation => "Submit any required information to the publisher",
            SetupTask::SentUrlToCustomer => "Send any required URL directly to your customer",
        }
    }
}

/// Who did a setup task, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupTaskRecord {
    /// The task.
    pub task: SetupTask,
    /// The user's name.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// A change that applies at the next renewal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledChange {
    /// The plan for the next term, when it changes.
    pub plan: Option<PlanId>,
    /// The billing frequency for the next term, when it changes.
    pub billing: Option<BillingFrequency>,
}

/// The current term and billing period of an activated subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Periods {
    /// The current term's start.
    pub term_start: Timestamp,
    /// The current term's end (23:59:59 UTC of its last day).
    pub term_end: Timestamp,
    /// The current billing period's start.
    pub period_start: Timestamp,
    /// The current billing period's end.
    pub period_end: Timestamp,
}

/// The publisher-steps confirmation recorded with a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepsConfirmation {
    /// Who confirmed.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// A marketplace SaaS subscription bought for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// Id.
    pub id: SubscriptionId,
    /// The customer it was bought for.
    pub customer: CustomerId,
    /// The catalog item (offer, plan, availability).
    pub item: CatalogItemId,
    /// Nickname.
    pub nickname: Nickname,
    /// Licenses.
    pub quantity: u32,
    /// Term.
    pub term: Term,
    /// Billing frequency.
    pub billing: BillingFrequency,
    /// Price of one license for one billing period.
    pub unit_price: Money,
    /// Status.
    pub status: SubscriptionStatus,
    /// Whether a new term starts at term end.
    pub auto_renew: bool,
    /// Whether the current term is the free-trial month.
    pub is_trial: bool,
    /// Indirect reseller on record.
    pub reseller: Option<ResellerPartnerId>,
    /// The order that created it.
    pub order_id: OrderId,
    /// Its line in that order (0-based, as the REST API numbers them).
    pub line_item: u32,
    /// When it was bought.
    pub created_at: Timestamp,
    /// When the publisher activated it.
    pub activated_at: Option<Timestamp>,
    /// The current term and billing period, once active.
    pub periods: Option<Periods>,
    /// When it was cancelled or expired.
    pub ended_at: Option<Timestamp>,
    /// The live activation code, while pending.
    pub activation: Option<ActivationCode>,
    /// The e-mail addresses the publisher assigned licenses to.
    pub licenses: Vec<String>,
    /// Setup tasks done.
    pub setup_tasks: Vec<SetupTaskRecord>,
    /// A change for the next term.
    pub scheduled: Option<ScheduledChange>,
    /// The publisher-steps confirmation given when it was cancelled.
    pub steps_confirmation: Option<StepsConfirmation>,
    /// Grows by one with every change: the REST etag, and how a second tab notices a change.
    pub version: u64,
}

impl Subscription {
    /// When the term ends (renewal or end date), once active.
    pub fn term_end(&self) -> Option<Timestamp> {
        self.periods.map(|p| p.term_end)
    }

    /// The REST etag.
    pub fn etag(&self) -> String {
        format!("W/\"{}\"", self.version)
    }

    /// "1 year, billed monthly", with "Free trial, then " in front during a trial.
    pub fn term_and_billing(&self) -> String {
        let trial = if self.is_trial {
            "Free trial, then "
        } else {
            ""
        };
        format!(
            "{trial}{}, billed {}",
            self.term.label(),
            self.billing.label().to_lowercase()
        )
    }

    /// "Renews 11 Mar 2027", "Ends 11 Mar 2027", "Ended 2 Feb 2026", or "Starts at activation".
    pub fn renews_or_ends(&self) -> String {
        match (self.status, self.term_end(), self.ended_at) {
            (SubscriptionStatus::Pending, ..) => "Starts at activation".into(),
            (s, _, Some(ended)) if s.is_terminal() => {
                format!("Ended {}", crate::time::display_date(ended))
            }
            (_, Some(end), _) if self.auto_renew => {
                format!("Renews {}", crate::time::display_date(end))
            }
            (_, Some(end), _) => format!("Ends {}", crate::time::display_date(end)),
            _ => String::new(),
        }
    }
}
