use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::{Actor, CustomerKey, Engine, Need};
use crate::activity::{ActivityEntry, ActivityFilter};
use crate::billing::{Charge, Invoice};
use crate::catalog::{Offer, OfferId, Plan, PlanId};
use crate::customer::Customer;
use crate::error::{CommandError, Denied, NotFound};
use crate::ids::{CustomerId, SubscriptionId};
use crate::money::Money;
use crate::status::SubscriptionStatus;
use crate::subscription::Subscription;
use crate::time::{self, Timestamp};

/// The column the Customers list is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CustomerSort {
    /// Company name (the default).
    #[default]
    CompanyName,
    /// Primary domain name.
    PrimaryDomain,
    /// Number of subscriptions.
    Subscriptions,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortDirection {
    /// A → Z, 0 → 9.
    #[default]
    Ascending,
    /// Z → A, 9 → 0.
    Descending,
}

/// A search of the Customers list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerQuery {
    /// Part of the company name or primary domain, any case; empty for all.
    pub text: String,
    /// The sort column.
    pub sort: CustomerSort,
    /// The sort direction.
    pub direction: SortDirection,
    /// 1-based page.
    pub page: usize,
    /// Rows per page.
    pub page_size: usize,
}

impl Default for CustomerQuery {
    fn default() -> Self {
        CustomerQuery {
            text: String::new(),
            sort: CustomerSort::default(),
            direction: SortDirection::default(),
            page: 1,
            page_size: 25,
        }
    }
}

/// A row of the Customers list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRow {
    /// The customer.
    pub customer: Customer,
    /// How many subscriptions it has.
    pub subscriptions: usize,
}

/// One page of the Customers list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerPage {
    /// The rows of the page.
    pub rows: Vec<CustomerRow>,
    /// Customers matching the search.
    pub total: usize,
    /// The page shown (clamped to the pages there are).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub page_count: usize,
}

/// The column a customer's Subscriptions list is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SubscriptionSort {
    /// Purchase date, newest first when ascending (the default).
    #[default]
    Newest,
    /// Nickname.
    Nickname,
    /// Offer name, then plan name.
    Offer,
    /// Number of licenses.
    Quantity,
    /// Status, in the order of the lifecycle.
    Status,
    /// The end of the current term (pending subscriptions, which have none, last).
    TermEnd,
}

/// A search of one customer's Subscriptions list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionQuery {
    /// Part of the nickname, offer, plan, publisher or subscription ID, any case; empty for all.
    pub text: String,
    /// Only this status, or every status.
    pub status: Option<SubscriptionStatus>,
    /// The sort column.
    pub sort: SubscriptionSort,
    /// The sort direction.
    pub direction: SortDirection,
    /// 1-based page.
    pub page: usize,
    /// Rows per page.
    pub page_size: usize,
}

/// A row of a customer's Subscriptions list: the subscription with the names it is shown with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    /// The subscription.
    pub subscription: Subscription,
    /// The offer's name.
    pub offer: String,
    /// The plan's name.
    pub plan: String,
    /// The publisher's name.
    pub publisher: String,
    /// The indirect reseller as listed (`Partner::reseller_label`).
    pub reseller: String,
}

/// One page of a customer's Subscriptions list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionPage {
    /// The rows of the page.
    pub rows: Vec<SubscriptionRow>,
    /// Subscriptions matching the search and status.
    pub total: usize,
    /// The page shown (clamped to the pages there are).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub page_count: usize,
}

/// Something the detail page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Change the nickname.
    Rename,
    /// Add or remove licenses.
    ChangeQuantity,
    /// Cancel the subscription.
    Cancel,
    /// Turn auto-renew on or off.
    SetAutoRenew,
    /// Add or clear the indirect reseller PartnerID.
    SetReseller,
    /// Schedule a billing-frequency or plan change for the next term.
    ScheduleChange,
    /// Withdraw the scheduled change.
    WithdrawChange,
    /// Copy the activation link (pending subscriptions).
    CopyActivationLink,
    /// Record the seed's setup tasks (pending subscriptions).
    RecordSetupTask,
}

impl Action {
    /// Every action, in the order the detail page lists them.
    pub const ALL: [Action; 9] = [
        Action::Rename,
        Action::ChangeQuantity,
        Action::Cancel,
        Action::SetAutoRenew,
        Action::SetReseller,
        Action::ScheduleChange,
        Action::WithdrawChange,
        Action::CopyActivationLink,
        Action::RecordSetupTask,
    ];
}

/// Whether the actor may take an action now, and if not, why, in a partner's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionState {
    /// The action.
    pub action: Action,
    /// `None` when allowed; otherwise the reason.
    pub blocked_because: Option<String>,
}

/// Everything the subscription detail page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionDetail<'a> {
    /// The subscription.
    pub subscription: &'a Subscription,
    /// Its customer.
    pub customer: &'a Customer,
    /// Its offer.
    pub offer: &'a Offer,
    /// Its plan.
    pub plan: &'a Plan,
    /// Until when it may be cancelled with a refund, while that is still ahead or just passed.
    pub cancellation_allowed_until: Option<Timestamp>,
    /// Time left in the window, when it is still open.
    pub cancellation_time_left: Option<String>,
    /// Each action with whether the actor may take it now.
    pub actions: Vec<ActionState>,
    /// A refusal of the actor's role that blocks several actions, told once (each of them
    /// points to it): the seed's note for Sales agents.
    pub note: Option<String>,
}

impl SubscriptionDetail<'_> {
    /// Whether an action is allowed.
    pub fn allows(&self, action: Action) -> bool {
        self.actions
            .iter()
            .any(|a| a.action == action && a.blocked_because.is_none())
    }

    /// Why an action is blocked, if it is.
    pub fn blocked_because(&self, action: Action) -> Option<&str> {
        blocked_because(&self.actions, action)
    }
}

/// Why `action` is blocked among `actions`, if it is.
pub(crate) fn blocked_because(actions: &[ActionState], action: Action) -> Option<&str> {
    actions
        .iter()
        .find(|a| a.action == action)
        .and_then(|a| a.blocked_because.as_deref())
}

/// A row of the reconciliation export (the columns of the Partner Center file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReconciliationRow {
    /// The partner's PartnerID.
    pub partner_id: String,
    /// Customer's Microsoft ID.
    pub customer_id: String,
    /// Customer's company name.
    pub customer_name: String,
    /// Customer's primary domain.
    pub customer_domain_name: String,
    /// The invoice.
    pub invoice_number: String,
    /// The indirect reseller on record.
    pub reseller_mpn_id: String,
    /// The order.
    pub order_id: String,
    /// The order's date.
    pub order_date: String,
    /// Product id.
    pub product_id: String,
    /// SKU id.
    pub sku_id: String,
    /// Availability id.
    pub availability_id: String,
    /// Plan name.
    pub sku_name: String,
    /// Offer name.
    pub product_name: String,
    /// Publisher name.
    pub publisher_name: String,
    /// Charge type.
    pub charge_type: String,
    /// Unit price.
    pub unit_price: String,
    /// Quantity.
    pub quantity: String,
    /// Amount.
    pub subtotal: String,
    /// Currency.
    pub currency: String,
    /// Subscription id.
    pub subscription_id: String,
    /// Subscription nickname.
    pub subscription_description: String,
    /// Period start.
    pub charge_start_date: String,
    /// Period end.
    pub charge_end_date: String,
    /// Term and billing.
    pub term_and_billing_cycle: String,
    /// Billing frequency.
    pub billing_frequency: String,
}

/// A subscription whose term ends soon: it renews, or ends when auto-renew is off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TermEnd {
    /// The subscription.
    pub subscription: SubscriptionId,
    /// Its customer.
    pub customer: CustomerId,
    /// The customer's company name.
    pub customer_name: String,
    /// The subscription's nickname.
    pub nickname: String,
    /// The offer's name.
    pub offer_name: String,
    /// Licenses.
    pub quantity: u32,
    /// When the term ends.
    pub at: Timestamp,
    /// True when a new term starts then; false when the subscription ends.
    pub renews: bool,
    /// What the first billing period of the next term costs, when it renews (`None` in the
    /// answer to a role that may not see billing).
    pub renewal_charge: Option<Money>,
}

/// A cancellation window that is about to close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClosingWindow {
    /// The subscription.
    pub subscription: SubscriptionId,
    /// Its customer.
    pub customer: CustomerId,
    /// The customer's company name.
    pub customer_name: String,
    /// The subscription's nickname.
    pub nickname: String,
    /// When the window closes.
    pub until: Timestamp,
    /// The time left, in words.
    pub time_left: String,
    /// What a cancellation now would refund (`None` in the answer to a role that may not see
    /// billing).
    pub refund: Option<Money>,
}

/// What one publisher's offers cost in one month and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spend {
    /// The first day of the month.
    pub month: Timestamp,
    /// The publisher.
    pub publisher: String,
    /// The sum of the month's charges.
    pub amount: Money,
}

impl Engine {
    /// Active and suspended subscriptions whose term ends after `now` and within `within`,
    /// soonest first.
    pub fn term_ends_within(&self, now: Timestamp, within: TimeDelta) -> Vec<TermEnd> {
        let mut rows: Vec<TermEnd> = self
            .state
            .subscriptions
            .values()
            .filter(|s| {
                matches!(
                    s.status,
                    SubscriptionStatus::Active | SubscriptionStatus::Suspended
                )
            })
            .filter_map(|s| {
                let at = s.term_end()?;
                (at > now && at <= now + within).then(|| {
                    let (offer, _) = self.offer_and_plan(s);
                    TermEnd {
                        subscription: s.id,
                        customer: s.customer,
                        customer_name: self.state.customers[&s.customer].company_name.clone(),
                        nickname: s.nickname.to_string(),
                        offer_name: offer.name.clone(),
                        quantity: s.quantity,
                        at,
                        renews: s.auto_renew,
                        renewal_charge: s
                            .auto_renew
                            .then(|| s.unit_price.times(i64::from(s.quantity))),
                    }
                })
            })
            .collect();
        crate::sorting::sort_by_key(&mut rows, |r| (r.at, r.subscription));
        rows
    }

    /// The soonest term end after `now` of an active or suspended subscription: where the
    /// simulated clock's "to next term end" goes.
    pub fn next_term_end(&self, now: Timestamp) -> Option<Timestamp> {
        self.state
            .subscriptions
            .values()
            .filter(|s| {
                matches!(
                    s.status,
                    SubscriptionStatus::Active | SubscriptionStatus::Suspended
                )
            })
            .filter_map(Subscription::term_end)
            .filter(|end| *end > now)
            .min()
    }

    /// Active subscriptions whose cancellation window closes after `now` and within `within`,
    /// soonest first.
    pub fn windows_closing_within(&self, now: Timestamp, within: TimeDelta) -> Vec<ClosingWindow> {
        let mut rows: Vec<ClosingWindow> = self
            .state
            .subscriptions
            .values()
            .filter(|s| s.status == SubscriptionStatus::Active)
            .filter_map(|s| {
                let until = self.cancellation_allowed_until(s)?;
                (until > now && until <= now + within).then(|| ClosingWindow {
                    subscription: s.id,
                    customer: s.customer,
                    customer_name: self.state.customers[&s.customer].company_name.clone(),
                    nickname: s.nickname.to_string(),
                    until,
                    time_left: time::display_duration(until - now + TimeDelta::seconds(59)),
                    refund: Some(self.refund_on_cancel(s)),
                })
            })
            .collect();
        crate::sorting::sort_by_key(&mut rows, |r| (r.until, r.subscription));
        rows
    }

    /// Each month's charges per publisher and currency, oldest month first (billing roles only).
    pub fn spend_by_publisher(&self, actor: &Actor) -> Result<Vec<Spend>, Denied> {
        self.authorize(actor, Need::Billing)?;
        let mut sums: std::collections::BTreeMap<(Timestamp, crate::money::Currency, String), i64> =
            std::collections::BTreeMap::new();
        for c in &self.state.charges {
            let month = time::month_start(c.posted_at);
            *sums
                .entry((month, c.amount.currency, c.publisher_name.clone()))
                .or_default() += c.amount.minor;
        }
        Ok(sums
            .into_iter()
            .map(|((month, currency, publisher), minor)| Spend {
                month,
                publisher,
                amount: Money::new(minor, currency),
            })
            .collect())
    }

    /// Every subscription of a customer, in purchase order.
    pub fn subscriptions_of(&self, customer: CustomerId) -> impl Iterator<Item = &Subscription> {
        self.by_customer
            .get(&customer)
            .into_iter()
            .flatten()
            .map(|id| &self.state.subscriptions[id])
    }

    /// A customer by Microsoft ID.
    pub fn customer(&self, id: CustomerId) -> Result<&Customer, NotFound> {
        self.state.customers.get(&id).ok_or_else(|| NotFound {
            what: "Customer",
            id: id.to_string(),
        })
    }

    /// Searches customers by company name or primary domain (any case, each word of the search
    /// matching anywhere in either), then sorts and pages. The name and domain orders are kept
    /// ready, so only the matching is done per search and only the page's rows are copied out.
    pub fn search_customers(&self, query: &CustomerQuery) -> CustomerPage {
        let needle = query.text.trim().to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        let keys = &self.customers_by_name;
        let count = |id: &CustomerId| self.by_customer.get(id).map_or(0, Vec::len);
        let matching = |k: &&CustomerKey| {
            words
                .iter()
                .all(|w| k.name.contains(w) || k.domain.contains(w))
        };
        let descending = query.direction == SortDirection::Descending;
        let mut ids: Vec<&CustomerId> = match (query.sort, descending) {
            (CustomerSort::PrimaryDomain, false) => self
                .customers_by_domain
                .iter()
                .map(|&i| &keys[i])
                .filter(matching)
                .map(|k| &k.id)
                .collect(),
            (CustomerSort::PrimaryDomain, true) => self
                .customers_by_domain
                .iter()
                .rev()
                .map(|&i| &keys[i])
                .filter(matching)
                .map(|k| &k.id)
                .collect(),
            (CustomerSort::CompanyName, true) => {
                keys.iter().rev().filter(matching).map(|k| &k.id).collect()
            }
            _ => keys.iter().filter(matching).map(|k| &k.id).collect(),
        };
        if query.sort == CustomerSort::Subscriptions {
            // Stable: customers with as many subscriptions stay in name order.
            if descending {
                crate::sorting::sort_by_key(&mut ids, |id| std::cmp::Reverse(count(id)));
            } else {
                crate::sorting::sort_by_key(&mut ids, |id| count(id));
            }
        }
        let total = ids.len();
        let (page, page_count, range) = page_of(total, query.page, query.page_size);
        let rows = ids[range]
            .iter()
            .map(|id| CustomerRow {
                customer: self.state.customers[*id].clone(),
                subscriptions: count(id),
            })
            .collect();
        CustomerPage {
            rows,
            total,
            page,
            page_count,
        }
    }

    /// A customer's subscriptions, newest first, optionally only those of one status.
    pub fn customer_subscriptions(
        &self,
        customer: CustomerId,
        status: Option<SubscriptionStatus>,
    ) -> Result<Vec<&Subscription>, NotFound> {
        self.customer(customer)?;
        Ok(self
            .newest_first(customer)
            .filter(|s| status.is_none_or(|st| s.status == st))
            .collect())
    }

    /// A customer's subscriptions, newest first (the list is kept in purchase order).
    fn newest_first(&self, customer: CustomerId) -> impl Iterator<Item = &Subscription> {
        self.by_customer
            .get(&customer)
            .into_iter()
            .flat_map(|ids| ids.iter().rev())
            .map(|id| &self.state.subscriptions[id])
    }

    /// Searches one customer's subscriptions by nickname, offer, plan, publisher or ID (any
    /// case, anywhere), keeps one status if asked, then sorts (subscriptions that tie stay newest
    /// first) and pages. Only the page's rows are copied out.
    pub fn search_subscriptions(
        &self,
        customer: CustomerId,
        query: &SubscriptionQuery,
    ) -> Result<SubscriptionPage, NotFound> {
        self.customer(customer)?;
        let needle = query.text.trim().to_lowercase();
        let descending = query.direction == SortDirection::Descending;
        // The list as it opens (newest first, nothing searched or kept) needs only its page's
        // subscriptions, not all of the customer's.
        if needle.is_empty() && query.status.is_none() && query.sort == SubscriptionSort::Newest {
            let ids = self
                .by_customer
                .get(&customer)
                .map_or(&[][..], Vec::as_slice);
            let (page, page_count, range) = page_of(ids.len(), query.page, query.page_size);
            let picked: Vec<&Subscription> = if descending {
                ids[range]
                    .iter()
                    .map(|id| &self.state.subscriptions[id])
                    .collect()
            } else {
                let newest = ids.iter().rev().skip(range.start).take(range.len());
                newest.map(|id| &self.state.subscriptions[id]).collect()
            };
            return Ok(self.subscription_page(&picked, ids.len(), page, page_count));
        }
        // Each word of the search must match the nickname, the offer, plan or publisher, or the
        // subscription's id. The catalog's few offers and plans are matched once per word, not
        // once per subscription.
        struct Word<'a> {
            text: &'a str,
            id_like: bool,
            /// The catalog items the word names.
            items: Vec<(&'a OfferId, &'a PlanId)>,
        }
        let words: Vec<Word> = needle
            .split_whitespace()
            .map(|word| {
                let id_like = word.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
                let items = self
                    .state
                    .catalog
                    .offers
                    .iter()
                    .flat_map(|o| o.plans.iter().map(move |p| (o, p)))
                    .filter(|(o, p)| {
                        contains_folded(&o.name, word)
                            || contains_folded(&p.name, word)
                            || contains_folded(&o.publisher_name, word)
                    })
                    .map(|(o, p)| (&o.id, &p.id))
                    .collect();
                Word {
                    text: word,
                    id_like,
                    items,
                }
            })
            .collect();
        let mut rows: Vec<&Subscription> = self
            .newest_first(customer)
            .filter(|s| query.status.is_none_or(|st| s.status == st))
            .filter(|s| {
                words.iter().all(|w| {
                    contains_folded(s.nickname.as_str(), w.text)
                        || w.items
                            .iter()
                            .any(|(offer, plan)| **offer == s.item.offer && **plan == s.item.plan)
                        || (w.id_like && s.id.to_string().contains(w.text))
                })
            })
            .collect();
        let by = |a: &Subscription, b: &Subscription| match query.sort {
            SubscriptionSort::Newest | SubscriptionSort::Offer => std::cmp::Ordering::Equal,
            SubscriptionSort::Nickname => cmp_folded(a.nickname.as_str(), b.nickname.as_str()),
            SubscriptionSort::Quantity => a.quantity.cmp(&b.quantity),
            SubscriptionSort::Status => a.status.cmp(&b.status),
            SubscriptionSort::TermEnd => match (a.term_end(), b.term_end()) {
                (Some(x), Some(y)) => x.cmp(&y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            },
        };
        match query.sort {
            SubscriptionSort::Newest if descending => rows.reverse(),
            SubscriptionSort::Newest => {}
            SubscriptionSort::Offer => {
                // The catalog's few items are ranked by name once, not at every comparison.
                let mut items: Vec<(&Offer, &Plan)> = self
                    .state
                    .catalog
                    .offers
                    .iter()
                    .flat_map(|o| o.plans.iter().map(move |p| (o, p)))
                    .collect();
                crate::sorting::sort_by(&mut items, |(oa, pa), (ob, pb)| {
                    cmp_folded(&oa.name, &ob.name).then_with(|| cmp_folded(&pa.name, &pb.name))
                });
                let rank = |s: &Subscription| {
                    items
                        .iter()
                        .position(|(o, p)| o.id == s.item.offer && p.id == s.item.plan)
                };
                if descending {
                    crate::sorting::sort_by_key(&mut rows, |s| std::cmp::Reverse(rank(s)));
                } else {
                    crate::sorting::sort_by_key(&mut rows, |s| rank(s));
                }
            }
            _ if descending => crate::sorting::sort_by(&mut rows, |a, b| by(b, a)),
            _ => crate::sorting::sort_by(&mut rows, |a, b| by(a, b)),
        }
        let total = rows.len();
        let (page, page_count, range) = page_of(total, query.page, query.page_size);
        Ok(self.subscription_page(&rows[range], total, page, page_count))
    }

    /// A page of the Subscriptions list: the page's subscriptions copied out with their catalog
    /// names and reseller.
    fn subscription_page(
        &self,
        rows: &[&Subscription],
        total: usize,
        page: usize,
        page_count: usize,
    ) -> SubscriptionPage {
        let partner = &self.state.partner;
        let rows = rows
            .iter()
            .map(|&s| (s, self.offer_and_plan(s)))
            .map(|(s, (offer, plan))| SubscriptionRow {
                subscription: s.clone(),
                offer: offer.name.clone(),
                plan: plan.name.clone(),
                publisher: offer.publisher_name.clone(),
                reseller: partner.reseller_label(s.reseller.as_ref()),
            })
            .collect();
        SubscriptionPage {
            rows,
            total,
            page,
            page_count,
        }
    }

    /// The detail page of a subscription for this actor at this time: the facts, the window, and
    /// every action with whether it is allowed now and why not.
    pub fn subscription_detail(
        &self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
    ) -> Result<SubscriptionDetail<'_>, CommandError> {
        self.authorize(actor, Need::View)?;
        let sub = self.subscription(id)?;
        let (offer, plan) = self.offer_and_plan(sub);
        let until = self.cancellation_allowed_until(sub);
        let time_left = until
            .filter(|u| *u > now)
            .map(|u| time::display_duration(u - now + TimeDelta::seconds(59)));
        let mut note = None;
        let actions = Action::ALL
            .into_iter()
            .map(|action| {
                let blocked_because = match self.check_action(actor, now, id, action) {
                    Ok(()) => None,
                    Err(CommandError::Denied(denied)) if denied.pointer().is_some() => {
                        note = Some(denied.to_string());
                        denied.pointer().map(str::to_owned)
                    }
                    Err(e) => Some(e.to_string()),
                };
                ActionState {
                    action,
                    blocked_because,
                }
            })
            .collect();
        Ok(SubscriptionDetail {
            subscription: sub,
            customer: &self.state.customers[&sub.customer],
            offer,
            plan,
            cancellation_allowed_until: until,
            cancellation_time_left: time_left,
            actions,
            note,
        })
    }

    /// The same gate each command opens with, without the command's input.
    fn check_action(
        &self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        action: Action,
    ) -> Result<(), CommandError> {
        match action {
            Action::Rename | Action::ChangeQuantity | Action::SetAutoRenew => {
                self.check_update(actor, id).map(drop)
            }
            Action::Cancel => self.check_cancel(actor, now, id).map(drop),
            Action::SetReseller => self.check_reseller_action(actor, id).map(drop),
            Action::ScheduleChange => self.check_schedule(actor, id).map(drop),
            Action::WithdrawChange => self.check_withdraw(actor, id).map(drop),
            Action::CopyActivationLink | Action::RecordSetupTask => {
                let need = if action == Action::CopyActivationLink {
                    Need::View
                } else {
                    Need::Purchase
                };
                self.authorize(actor, need)?;
                let sub = self.subscription(id)?;
                if sub.status == SubscriptionStatus::Pending {
                    Ok(())
                } else {
                    Err(crate::error::ActivationError::NotPending { status: sub.status }.into())
                }
            }
        }
    }

    /// A subscription's charges, oldest first: what it has cost so far.
    pub fn subscription_charges(&self, id: SubscriptionId) -> Vec<&Charge> {
        self.charges_of
            .get(&id)
            .map(|at| at.iter().map(|&i| &self.state.charges[i]).collect())
            .unwrap_or_default()
    }

    /// The closed invoices, newest first (billing roles only).
    pub fn invoices(&self, actor: &Actor) -> Result<Vec<&Invoice>, Denied> {
        self.authorize(actor, Need::Billing)?;
        Ok(self.state.invoices.iter().rev().collect())
    }

    /// The lines of an invoice (billing roles only).
    pub fn invoice_lines(&self, actor: &Actor, number: &str) -> Result<Vec<&Charge>, CommandError> {
        self.authorize(actor, Need::Billing)?;
        let invoice = self.invoice(number)?;
        Ok(invoice
            .lines
            .iter()
            .map(|&seq| &self.state.charges[seq as usize])
            .collect())
    }

    /// The charges posted since the last invoice run (billing roles only).
    pub fn unbilled_charges(&self, actor: &Actor) -> Result<Vec<&Charge>, Denied> {
        self.authorize(actor, Need::Billing)?;
        Ok(self
            .state
            .charges
            .iter()
            .filter(|c| c.invoice.is_none())
            .collect())
    }

    pub(crate) fn invoice(&self, number: &str) -> Result<&Invoice, NotFound> {
        self.state
            .invoices
            .iter()
            .find(|i| i.number == number)
            .ok_or_else(|| NotFound {
                what: "Invoice",
                id: number.to_owned(),
            })
    }

    /// The reconciliation rows of an invoice (billing roles only).
    pub fn reconciliation(
        &self,
        actor: &Actor,
        number: &str,
    ) -> Result<Vec<ReconciliationRow>, CommandError> {
        let lines = self.invoice_lines(actor, number)?;
        let date = time::iso_date;
        Ok(lines
            .into_iter()
            .map(|c| {
                let customer = self.state.customers.get(&c.customer);
                ReconciliationRow {
                    partner_id: self.state.partner.partner_id.clone(),
                    customer_id: c.customer.to_string(),
                    customer_name: customer.map_or_else(String::new, |c| c.company_name.clone()),
                    customer_domain_name: customer
                        .map_or_else(String::new, |c| c.primary_domain.clone()),
                    invoice_number: number.to_owned(),
                    reseller_mpn_id: c
                        .reseller
                        .as_ref()
                        .map_or_else(String::new, ToString::to_string),
                    order_id: c.order_id.to_string(),
                    order_date: date(c.order_date),
                    product_id: c.item.offer.to_string(),
                    sku_id: c.item.plan.to_string(),
                    availability_id: c.item.availability.to_string(),
                    sku_name: c.plan_name.clone(),
                    product_name: c.offer_name.clone(),
                    publisher_name: c.publisher_name.clone(),
                    charge_type: c.charge_type.as_str().to_owned(),
                    unit_price: c.unit_price.decimal(),
                    quantity: c.quantity.to_string(),
                    subtotal: c.amount.decimal(),
                    currency: c.amount.currency.code().to_owned(),
                    subscription_id: c.subscription.to_string(),
                    subscription_description: c.subscription_name.clone(),
                    charge_start_date: date(c.period_start),
                    charge_end_date: date(c.period_end),
                    term_and_billing_cycle: format!(
                        "{} {}, billed {}",
                        c.term.label(),
                        "term",
                        c.billing.label().to_lowercase()
                    ),
                    billing_frequency: c.billing.label().to_owned(),
                }
            })
            .collect())
    }

    /// The activity log, newest first, filtered.
    pub fn activity(&self, filter: &ActivityFilter) -> Vec<&ActivityEntry> {
        let all = &self.state.activity;
        match filter.subscription {
            Some(id) => self
                .activity_of
                .get(&id)
                .into_iter()
                .flat_map(|at| at.iter().rev().map(|&i| &all[i]))
                .filter(|e| filter.matches(e))
                .collect(),
            None => all.iter().rev().filter(|e| filter.matches(e)).collect(),
        }
    }
}

/// Whether `haystack` contains the already lower-cased `needle`, ignoring case.
fn contains_folded(haystack: &str, needle: &str) -> bool {
    // An ASCII needle is matched byte by byte: the bytes of other characters never equal ASCII.
    if needle.is_empty() {
        true
    } else if needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

/// The page shown (the one asked for, clamped to those there are), how many pages there are (at
/// least one), and the range of its rows among `total`.
pub(crate) fn page_of(
    total: usize,
    page: usize,
    page_size: usize,
) -> (usize, usize, std::ops::Range<usize>) {
    let page_size = page_size.max(1);
    let page_count = total.div_ceil(page_size).max(1);
    let page = page.clamp(1, page_count);
    let start = ((page - 1) * page_size).min(total);
    (page, page_count, start..(start + page_size).min(total))
}

/// Orders two texts ignoring ASCII case.
pub(crate) fn cmp_folded(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}
