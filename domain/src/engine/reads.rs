//! What each page of the console reads, decided for the signed-in actor at a time: one [`Read`]
//! per page question, each answered by the same code in the browser's engine and on the server.
//! A read refuses what the actor's role may not see (`Denied`), and an answer never carries a
//! secret: subscriptions leave with their activation code removed, and a pending subscription's
//! personalized link is given only while its code is valid. Charges and invoices reach only the
//! roles that may see billing.

use chrono::TimeDelta;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Actor, Engine, Need};
use crate::activity::{ActivityEntry, ActivityFilter, Operation};
use crate::billing::{Charge, Invoice};
use crate::catalog::{Catalog, Offer, Plan};
use crate::customer::Customer;
use crate::engine::queries::{
    ActionState, ClosingWindow, CustomerPage, CustomerQuery, Spend, SubscriptionQuery, TermEnd,
};
use crate::error::{CommandError, NotFound};
use crate::ids::{CustomerId, OrderId, SubscriptionId};
use crate::money::Money;
use crate::order::{CartLine, Order};
use crate::partner::User;
use crate::policy::Policy;
use crate::status::SubscriptionStatus;
use crate::subscription::Subscription;
use crate::time::Timestamp;

/// A question a page asks, with the type of its answer. Both data sources answer it by calling
/// [`Read::answer`] on an engine: the in-browser one on its own, the server on the shared one.
pub trait Read: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static {
    /// What the page receives.
    type Answer: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static;
    /// The read's name, unique among reads (the server's route ends with it).
    const NAME: &'static str;
    /// Whether anyone may make it, signed in or not: what the publisher's site shows before the
    /// partner's sign-in, or without one (a private window).
    const PUBLIC: bool = false;
    /// The answer for `actor` at `now`, or why they may not have it.
    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Self::Answer, CommandError>;
}

/// Something a role may or may not see, with the reason when not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Restricted<T> {
    /// The role may see it.
    Shown(T),
    /// The role may not; the reason in a partner's words.
    Hidden(String),
}

impl<T> Restricted<T> {
    /// What is shown, if the role may see it.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Restricted::Shown(value) => Some(value),
            Restricted::Hidden(_) => None,
        }
    }
}

/// Rows per page of the lists a partner at scale makes long: the renewals, the unbilled charges,
/// an invoice's lines.
pub const LIST_PAGE: usize = 50;

/// One page of a long list, with where it is among the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T> {
    /// The page's rows.
    pub rows: Vec<T>,
    /// How many rows there are in all.
    pub total: usize,
    /// The page shown (clamped to the pages there are).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub page_count: usize,
}

impl<T> Paged<T> {
    /// Page `page` (1-based) of `rows`, `LIST_PAGE` at a time.
    fn of(rows: impl IntoIterator<Item = T>, page: usize) -> Paged<T> {
        let mut rows: Vec<T> = rows.into_iter().collect();
        let total = rows.len();
        let (page, page_count, range) = super::queries::page_of(total, page, LIST_PAGE);
        rows.truncate(range.end);
        rows.drain(..range.start);
        Paged {
            rows,
            total,
            page,
            page_count,
        }
    }
}

impl Subscription {
    /// The subscription as it may leave the engine: without its activation code.
    pub fn without_secrets(&self) -> Subscription {
        Subscription {
            activation: None,
            ..self.clone()
        }
    }
}

impl Engine {
    /// Billing data for the actor, or the reason their role may not see it.
    fn billing<T>(&self, actor: &Actor, data: impl FnOnce() -> T) -> Restricted<T> {
        match self.authorize(actor, Need::Billing) {
            Ok(_) => Restricted::Shown(data()),
            Err(denied) => Restricted::Hidden(denied.to_string()),
        }
    }

    /// A customer that exists, for an actor who may view customers.
    fn viewed_customer(&self, actor: &Actor, id: CustomerId) -> Result<&Customer, CommandError> {
        self.authorize(actor, Need::View)?;
        Ok(self.customer(id)?)
    }
}

impl Read for CustomerQuery {
    type Answer = CustomerPage;
    const NAME: &'static str = "customers";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        _: Timestamp,
    ) -> Result<CustomerPage, CommandError> {
        engine.authorize(actor, Need::View)?;
        Ok(engine.search_customers(self))
    }
}

/// A customer's Subscriptions list: its search, status filter, sort and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionsRead {
    /// The customer.
    pub customer: CustomerId,
    /// The search, status, sort and page.
    pub query: SubscriptionQuery,
}

/// A row of the Subscriptions list, as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedSubscription {
    /// The subscription, without its activation code.
    pub subscription: Subscription,
    /// The offer's name.
    pub offer: String,
    /// The plan's name.
    pub plan: String,
    /// The publisher's name.
    pub publisher: String,
    /// The indirect reseller as listed.
    pub reseller: String,
    /// The personalized link, while a pending subscription's code is valid.
    pub activation_uri: Option<String>,
}

/// One page of a customer's Subscriptions list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionList {
    /// The customer.
    pub customer: Customer,
    /// The page's rows.
    pub rows: Vec<ListedSubscription>,
    /// Subscriptions matching the search and status.
    pub total: usize,
    /// All of the customer's subscriptions.
    pub all: usize,
    /// The page shown (clamped to the pages there are).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub page_count: usize,
    /// Why the actor may not buy, when they may not.
    pub purchase_blocked_because: Option<String>,
}

impl Read for SubscriptionsRead {
    type Answer = SubscriptionList;
    const NAME: &'static str = "subscriptions";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SubscriptionList, CommandError> {
        let customer = engine.viewed_customer(actor, self.customer)?.clone();
        let page = engine.search_subscriptions(self.customer, &self.query)?;
        Ok(SubscriptionList {
            rows: page
                .rows
                .into_iter()
                .map(|row| ListedSubscription {
                    activation_uri: engine.valid_activation_uri(row.subscription.id, now),
                    subscription: row.subscription.without_secrets(),
                    offer: row.offer,
                    plan: row.plan,
                    publisher: row.publisher,
                    reseller: row.reseller,
                })
                .collect(),
            total: page.total,
            all: engine.subscriptions_of(self.customer).count(),
            page: page.page,
            page_count: page.page_count,
            purchase_blocked_because: engine.can_purchase(actor).err().map(|d| d.to_string()),
            customer,
        })
    }
}

/// One subscription's detail, found under its customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRead {
    /// The customer whose address it was opened under.
    pub customer: CustomerId,
    /// The subscription.
    pub subscription: SubscriptionId,
}

/// An authorized indirect reseller the partner may put on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResellerChoice {
    /// Its PartnerID.
    pub partner_id: String,
    /// Its name.
    pub name: String,
}

/// How many of a subscription's latest activity entries its detail page shows.
pub const DETAIL_ACTIVITY: usize = 12;

/// Everything the subscription detail page shows, for this actor at this time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionView {
    /// The subscription, without its activation code.
    pub subscription: Subscription,
    /// Its customer.
    pub customer: Customer,
    /// Its offer.
    pub offer: Offer,
    /// Its plan.
    pub plan: Plan,
    /// Until when it may be cancelled with a refund, while that is ahead or just passed.
    pub cancellation_allowed_until: Option<Timestamp>,
    /// Time left in the window, when it is still open.
    pub cancellation_time_left: Option<String>,
    /// Each action with whether the actor may take it now, and why not.
    pub actions: Vec<ActionState>,
    /// A refusal of the actor's role that blocks several actions, told once at the top of the
    /// page (each of them points to it).
    pub note: Option<String>,
    /// What a cancellation now would refund, for an actor who may cancel it or see billing.
    pub refund: Option<Money>,
    /// The personalized link, while a pending subscription's code is valid.
    pub activation_uri: Option<String>,
    /// The partner's authorized indirect resellers.
    pub resellers: Vec<ResellerChoice>,
    /// The subscription's charges, oldest first, for the roles that may see billing.
    pub charges: Restricted<Vec<Charge>>,
    /// Its latest activity entries, newest first.
    pub activity: Vec<ActivityEntry>,
}

impl SubscriptionView {
    /// Why an action is blocked, if it is.
    pub fn blocked_because(&self, action: super::queries::Action) -> Option<&str> {
        super::queries::blocked_because(&self.actions, action)
    }
}

impl Read for SubscriptionRead {
    type Answer = SubscriptionView;
    const NAME: &'static str = "subscription";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SubscriptionView, CommandError> {
        let detail = engine.subscription_detail(actor, now, self.subscription)?;
        // A subscription is found only under its own customer's address.
        if detail.customer.id != self.customer {
            return Err(NotFound {
                what: "Subscription",
                id: self.subscription.to_string(),
            }
            .into());
        }
        let id = self.subscription;
        let filter = ActivityFilter {
            subscription: Some(id),
            ..ActivityFilter::default()
        };
        Ok(SubscriptionView {
            refund: (detail.allows(super::queries::Action::Cancel)
                || engine.authorize(actor, Need::Billing).is_ok())
            .then(|| engine.refund_on_cancel(detail.subscription)),
            activation_uri: engine.valid_activation_uri(id, now),
            resellers: engine
                .state
                .partner
                .resellers
                .iter()
                .filter(|r| r.authorized)
                .map(|r| ResellerChoice {
                    partner_id: r.partner_id.to_string(),
                    name: r.name.clone(),
                })
                .collect(),
            charges: engine.billing(actor, || {
                engine
                    .subscription_charges(id)
                    .into_iter()
                    .cloned()
                    .collect()
            }),
            activity: engine
                .visible_activity(actor, &filter)
                .take(DETAIL_ACTIVITY)
                .cloned()
                .collect(),
            subscription: detail.subscription.without_secrets(),
            customer: detail.customer.clone(),
            offer: detail.offer.clone(),
            plan: detail.plan.clone(),
            cancellation_allowed_until: detail.cancellation_allowed_until,
            cancellation_time_left: detail.cancellation_time_left,
            actions: detail.actions,
            note: detail.note,
        })
    }
}

/// What the Add subscription page needs for a customer: the catalog, and whether the actor may buy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRead {
    /// The customer to buy for.
    pub customer: CustomerId,
}

/// The Add subscription page's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseView {
    /// The customer.
    pub customer: Customer,
    /// The offers.
    pub catalog: Catalog,
    /// Why the actor may not buy, when they may not.
    pub blocked_because: Option<String>,
}

impl Read for PurchaseRead {
    type Answer = PurchaseView;
    const NAME: &'static str = "purchase";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        _: Timestamp,
    ) -> Result<PurchaseView, CommandError> {
        Ok(PurchaseView {
            customer: engine.viewed_customer(actor, self.customer)?.clone(),
            catalog: engine.state.catalog.clone(),
            blocked_because: engine.can_purchase(actor).err().map(|d| d.to_string()),
        })
    }
}

/// Whether a line may go into a customer's cart: every purchase rule for it, checked before it
/// is added (changes nothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CartLineCheck {
    /// The customer to buy for.
    pub customer: CustomerId,
    /// The line.
    pub line: CartLine,
}

impl Read for CartLineCheck {
    type Answer = ();
    const NAME: &'static str = "cart-line";

    fn answer(&self, engine: &Engine, actor: &Actor, _: Timestamp) -> Result<(), CommandError> {
        engine.can_purchase(actor)?;
        engine.check_cart_line(self.customer, &self.line)
    }
}

/// An order, found under its customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRead {
    /// The customer whose address it was opened under.
    pub customer: CustomerId,
    /// The order.
    pub order: OrderId,
}

/// A line of an order as the confirmation shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedSubscription {
    /// The line's number as people count (from 1).
    pub number: u32,
    /// The subscription it made.
    pub subscription: SubscriptionId,
    /// Its nickname now.
    pub nickname: String,
    /// Licenses bought.
    pub quantity: u32,
    /// Its status now.
    pub status: SubscriptionStatus,
    /// The personalized link, while the pending subscription's code is valid.
    pub activation_uri: Option<String>,
}

/// The purchase confirmation's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
    /// The order's id.
    pub id: OrderId,
    /// The customer.
    pub customer: Customer,
    /// Who placed it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Its lines.
    pub lines: Vec<OrderedSubscription>,
}

impl Read for OrderRead {
    type Answer = OrderView;
    const NAME: &'static str = "order";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<OrderView, CommandError> {
        let customer = engine.viewed_customer(actor, self.customer)?.clone();
        let order: &Order = engine
            .state
            .orders
            .iter()
            .rev()
            .find(|o| o.id == self.order && o.customer == self.customer)
            .ok_or_else(|| NotFound {
                what: "Order",
                id: self.order.to_string(),
            })?;
        let lines = order
            .lines
            .iter()
            .filter_map(|line| {
                let sub = engine.state.subscriptions.get(&line.subscription)?;
                Some(OrderedSubscription {
                    number: line.shown_number(),
                    subscription: sub.id,
                    nickname: sub.nickname.to_string(),
                    quantity: line.quantity,
                    status: sub.status,
                    activation_uri: engine.valid_activation_uri(sub.id, now),
                })
            })
            .collect();
        Ok(OrderView {
            id: order.id.clone(),
            customer,
            created_by: order.created_by.clone(),
            created_at: order.created_at,
            lines,
        })
    }
}

/// The Billing page: invoices, unbilled charges and spend by publisher (billing roles only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingRead {
    /// The page of the unbilled charges (1-based; the first when absent).
    #[serde(default)]
    pub unbilled_page: usize,
}

/// A charge with its customer's name, as the billing tables show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeLine {
    /// The charge.
    pub charge: Charge,
    /// The customer's company name.
    pub customer_name: String,
}

/// Charges a page at a time, with what all of them come to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeList {
    /// The page of charges.
    pub lines: Paged<ChargeLine>,
    /// The sum of every charge of the list (not only the page's), per currency.
    pub totals: Vec<Money>,
}

/// The Billing page's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingView {
    /// The closed invoices, newest first.
    pub invoices: Vec<Invoice>,
    /// The charges posted since the last invoice run, a page at a time.
    pub unbilled: ChargeList,
    /// Each month's charges per publisher and currency, oldest month first.
    pub spend: Vec<Spend>,
}

impl Engine {
    /// Page `page` of `charges`, each with its customer's name, and what they all come to.
    fn charge_lines(&self, charges: Vec<&Charge>, page: usize) -> ChargeList {
        let mut totals: Vec<Money> = Vec::new();
        for c in &charges {
            match totals.iter_mut().find(|t| t.currency == c.amount.currency) {
                Some(sum) => sum.minor += c.amount.minor,
                None => totals.push(c.amount),
            }
        }
        crate::sorting::sort_by_key(&mut totals, |m| m.currency);
        let Paged {
            rows,
            total,
            page,
            page_count,
        } = Paged::of(charges, page);
        let rows = rows
            .into_iter()
            .map(|c| ChargeLine {
                customer_name: self
                    .state
                    .customers
                    .get(&c.customer)
                    .map_or_else(String::new, |x| x.company_name.clone()),
                charge: c.clone(),
            })
            .collect();
        let lines = Paged {
            rows,
            total,
            page,
            page_count,
        };
        ChargeList { lines, totals }
    }
}

impl Read for BillingRead {
    type Answer = BillingView;
    const NAME: &'static str = "billing";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        _: Timestamp,
    ) -> Result<BillingView, CommandError> {
        Ok(BillingView {
            invoices: engine.invoices(actor)?.into_iter().cloned().collect(),
            unbilled: engine.charge_lines(engine.unbilled_charges(actor)?, self.unbilled_page),
            spend: engine.spend_by_publisher(actor)?,
        })
    }
}

/// One invoice's lines (billing roles only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceRead {
    /// The invoice number.
    pub number: String,
    /// The page of its lines (1-based; the first when absent).
    #[serde(default)]
    pub page: usize,
}

/// An invoice with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceView {
    /// The invoice.
    pub invoice: Invoice,
    /// Its lines, a page at a time.
    pub lines: ChargeList,
}

impl Read for InvoiceRead {
    type Answer = InvoiceView;
    const NAME: &'static str = "invoice";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        _: Timestamp,
    ) -> Result<InvoiceView, CommandError> {
        let lines = engine.invoice_lines(actor, &self.number)?;
        Ok(InvoiceView {
            invoice: engine.invoice(&self.number)?.clone(),
            lines: engine.charge_lines(lines, self.page),
        })
    }
}

/// What renews or ends within some days, and the cancellation windows closing within 72 hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalsRead {
    /// How many days ahead to look for term ends (30, 60 or 90 on the page).
    pub days: u16,
    /// The page of the closing windows (1-based; the first when absent).
    #[serde(default)]
    pub closing_page: usize,
    /// The page of the term ends (1-based; the first when absent).
    #[serde(default)]
    pub ends_page: usize,
}

/// How far ahead the Renewals page looks for closing cancellation windows.
pub const CLOSING_WINDOW_HOURS: i64 = 72;

/// The Renewals page's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalsView {
    /// Windows closing within 72 hours, soonest first, a page at a time.
    pub closing: Paged<ClosingWindow>,
    /// Term ends within the days asked, soonest first, a page at a time.
    pub term_ends: Paged<TermEnd>,
}

impl Read for RenewalsRead {
    type Answer = RenewalsView;
    const NAME: &'static str = "renewals";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<RenewalsView, CommandError> {
        engine.authorize(actor, Need::View)?;
        let hidden = |money: Money| engine.billing(actor, || money).shown().copied();
        let mut term_ends = engine.term_ends_within(now, TimeDelta::days(i64::from(self.days)));
        let mut closing =
            engine.windows_closing_within(now, TimeDelta::hours(CLOSING_WINDOW_HOURS));
        // What a renewal or a refund comes to is billing data.
        for t in &mut term_ends {
            t.renewal_charge = t.renewal_charge.and_then(hidden);
        }
        for c in &mut closing {
            c.refund = c.refund.and_then(hidden);
        }
        Ok(RenewalsView {
            closing: Paged::of(closing, self.closing_page),
            term_ends: Paged::of(term_ends, self.ends_page),
        })
    }
}

/// A page of the activity log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRead {
    /// Which entries.
    pub filter: ActivityFilter,
    /// 1-based page.
    pub page: usize,
    /// Entries per page.
    pub page_size: usize,
}

/// A page of the activity log, newest first, with what its filters can choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage {
    /// The page's entries.
    pub entries: Vec<ActivityEntry>,
    /// Entries matching the filter.
    pub total: usize,
    /// The page shown (clamped to the pages there are).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub page_count: usize,
    /// The partner's users' names, for the user filter.
    pub users: Vec<String>,
    /// The customers the page's entries name and the one filtered by, in name order, for the
    /// customer filter (not every customer of the log: at scale that is all of them) and the
    /// entries' Customer column.
    pub customers: Vec<(CustomerId, String)>,
    /// The subscriptions the page's entries name, with their nicknames, for the entries'
    /// Subscription column.
    pub subscriptions: Vec<(SubscriptionId, String)>,
}

impl Engine {
    /// The activity log as the actor may read it: entries about invoices only for billing roles.
    fn visible_activity<'a>(
        &'a self,
        actor: &Actor,
        filter: &ActivityFilter,
    ) -> impl Iterator<Item = &'a ActivityEntry> {
        let billing = self.authorize(actor, Need::Billing).is_ok();
        self.activity(filter)
            .into_iter()
            .filter(move |e| billing || e.operation != Operation::CloseInvoice)
    }
}

impl Engine {
    /// The customers `entries` name and `also`, with their company names, in name order.
    fn named_customers<'a>(
        &self,
        entries: impl IntoIterator<Item = &'a ActivityEntry>,
        also: Option<CustomerId>,
    ) -> Vec<(CustomerId, String)> {
        let named: std::collections::BTreeSet<CustomerId> = entries
            .into_iter()
            .filter_map(|e| e.customer)
            .chain(also)
            .collect();
        let mut customers: Vec<(CustomerId, String)> = named
            .into_iter()
            .filter_map(|id| Some((id, self.state.customers.get(&id)?.company_name.clone())))
            .collect();
        crate::sorting::sort_by(&mut customers, |a, b| {
            super::queries::cmp_folded(&a.1, &b.1).then(a.0.cmp(&b.0))
        });
        customers
    }
}

impl Read for ActivityRead {
    type Answer = ActivityPage;
    const NAME: &'static str = "activity";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        _: Timestamp,
    ) -> Result<ActivityPage, CommandError> {
        engine.authorize(actor, Need::View)?;
        let matching: Vec<&ActivityEntry> = engine.visible_activity(actor, &self.filter).collect();
        let (page, page_count, range) =
            super::queries::page_of(matching.len(), self.page, self.page_size);
        Ok(ActivityPage {
            entries: matching[range.clone()].iter().map(|&e| e.clone()).collect(),
            total: matching.len(),
            page,
            page_count,
            users: engine
                .state
                .partner
                .users
                .iter()
                .map(|u| u.name.clone())
                .collect(),
            customers: engine.named_customers(
                matching[range.clone()].iter().copied(),
                self.filter.customer,
            ),
            subscriptions: matching[range.clone()]
                .iter()
                .filter_map(|e| e.subscription)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter_map(|id| {
                    let sub = engine.state.subscriptions.get(&id)?;
                    Some((id, sub.nickname.to_string()))
                })
                .collect(),
        })
    }
}

/// The activity log as a CSV file, filtered (every matching entry, not one page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityExport {
    /// Which entries.
    pub filter: ActivityFilter,
}

impl Read for ActivityExport {
    type Answer = String;
    const NAME: &'static str = "activity.csv";

    fn answer(&self, engine: &Engine, actor: &Actor, _: Timestamp) -> Result<String, CommandError> {
        engine.authorize(actor, Need::View)?;
        Ok(crate::export::activity_csv(
            engine.visible_activity(actor, &self.filter),
        ))
    }
}

/// `Customers.csv`: every customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomersExport {}

impl Read for CustomersExport {
    type Answer = String;
    const NAME: &'static str = "customers.csv";

    fn answer(&self, engine: &Engine, actor: &Actor, _: Timestamp) -> Result<String, CommandError> {
        engine.authorize(actor, Need::View)?;
        Ok(crate::export::customers_csv(engine))
    }
}

/// A customer's subscriptions as a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionsExport {
    /// The customer.
    pub customer: CustomerId,
}

impl Read for SubscriptionsExport {
    type Answer = String;
    const NAME: &'static str = "subscriptions.csv";

    fn answer(&self, engine: &Engine, actor: &Actor, _: Timestamp) -> Result<String, CommandError> {
        engine.viewed_customer(actor, self.customer)?;
        crate::export::subscriptions_csv(engine, self.customer)
    }
}

/// An invoice's reconciliation file (billing roles only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReconciliationExport {
    /// The invoice number.
    pub number: String,
}

impl Read for ReconciliationExport {
    type Answer = String;
    const NAME: &'static str = "reconciliation.csv";

    fn answer(&self, engine: &Engine, actor: &Actor, _: Timestamp) -> Result<String, CommandError> {
        crate::export::reconciliation_csv(engine, actor, &self.number)
    }
}

/// The policy settings, and whether the actor may change them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsRead {}

/// The Settings page's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The policy.
    pub policy: Policy,
    /// Why the actor may not change it, when they may not.
    pub blocked_because: Option<String>,
}

impl Read for SettingsRead {
    type Answer = SettingsView;
    const NAME: &'static str = "settings";

    fn answer(
        &self,
        engine: &Engine,
        actor: &Actor,
        _: Timestamp,
    ) -> Result<SettingsView, CommandError> {
        engine.authorize(actor, Need::View)?;
        Ok(SettingsView {
            policy: engine.state.policy,
            blocked_because: engine
                .authorize(actor, Need::Policy)
                .err()
                .map(|d| d.to_string()),
        })
    }
}

/// The signed-in user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeRead {}

impl Read for MeRead {
    type Answer = User;
    const NAME: &'static str = "me";

    fn answer(&self, engine: &Engine, actor: &Actor, _: Timestamp) -> Result<User, CommandError> {
        Ok(engine.authorize(actor, Need::View)?.clone())
    }
}

/// The publisher's name, for its landing page (the publisher's site asks with its own id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublisherRead {
    /// The publisher's id.
    pub publisher: String,
}

impl Read for PublisherRead {
    type Answer = Option<String>;
    const NAME: &'static str = "publisher";
    const PUBLIC: bool = true;

    fn answer(
        &self,
        engine: &Engine,
        _: &Actor,
        _: Timestamp,
    ) -> Result<Option<String>, CommandError> {
        Ok(engine
            .state
            .catalog
            .offers
            .iter()
            .find(|o| o.publisher_id == self.publisher)
            .map(|o| o.publisher_name.clone()))
    }
}
