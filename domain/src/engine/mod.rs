//! The engine: the state plus every command and query. Each command takes the actor, the time and
//! its input, checks permission itself, and returns a typed result; every change and every refusal
//! is written to the activity log.

mod activation;
mod clock;
mod purchase;
mod queries;
mod reads;
mod update;

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

pub use activation::{ActivationLink, ResolvedPurchase};
pub use clock::ClockReport;
pub use queries::{
    Action, ActionState, ClosingWindow, CustomerPage, CustomerQuery, CustomerRow, CustomerSort,
    ReconciliationRow, SortDirection, Spend, SubscriptionDetail, SubscriptionPage,
    SubscriptionQuery, SubscriptionRow, SubscriptionSort, TermEnd,
};
pub use reads::{
    ActivityExport, ActivityPage, ActivityRead, BillingRead, BillingView, CLOSING_WINDOW_HOURS,
    CartLineCheck, ChargeLine, ChargeList, CustomersExport, DETAIL_ACTIVITY, InvoiceRead,
    InvoiceView, LIST_PAGE, ListedSubscription, MeRead, OrderRead, OrderView, OrderedSubscription,
    Paged, PublisherRead, PurchaseRead, PurchaseView, Read, ReconciliationExport, RenewalsRead,
    RenewalsView, ResellerChoice, Restricted, SettingsRead, SettingsView, SubscriptionList,
    SubscriptionRead, SubscriptionView, SubscriptionsExport, SubscriptionsRead,
};

use crate::activity::{ActivityEntry, ActorRecord, Operation, Outcome};
use crate::catalog::{Offer, Plan};
use crate::command::Command;
use crate::customer::Customer;
use crate::error::{CommandError, Denied, NotFound, UpdateError};
use crate::ids::{CustomerId, SubscriptionId, UserId};
use crate::partner::User;
use crate::role::Role;
use crate::state::State;
use crate::status::SubscriptionStatus;
use crate::subscription::Subscription;
use crate::time::Timestamp;

/// A customer as the Customers search reads it.
#[derive(Debug, Clone)]
pub(crate) struct CustomerKey {
    pub id: CustomerId,
    /// The company name in lower case.
    pub name: String,
    /// The primary domain in lower case.
    pub domain: String,
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Actor {
    /// A signed-in partner user.
    User(UserId),
    /// An ISV publisher, by publisher id, acting through its SaaS fulfillment side.
    Publisher(String),
    /// The clock: renewals, expiry and invoice runs.
    System,
}

/// What an action needs of the actor's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// See customers, subscriptions and activation links.
    View,
    /// Buy new subscriptions.
    Purchase,
    /// Change marketplace SaaS subscriptions.
    Update,
    /// See invoices, billing and reconciliation.
    Billing,
    /// Change policy settings.
    Policy,
}

impl Need {
    fn words(self) -> &'static str {
        match self {
            Need::View => "view customers",
            Need::Purchase => "buy subscriptions",
            Need::Update => "update subscriptions",
            Need::Billing => "view billing and invoices",
            Need::Policy => "change policy settings",
        }
    }
}

/// What a successful command records in the activity log.
pub(crate) struct Change {
    pub customer: Option<CustomerId>,
    pub subscription: Option<SubscriptionId>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
}

impl Change {
    /// A change to one subscription, from `old` to `new`.
    pub fn of(sub: &Subscription, old: impl Into<String>, new: impl Into<String>) -> Self {
        Change {
            customer: Some(sub.customer),
            subscription: Some(sub.id),
            old: Some(old.into()),
            new: Some(new.into()),
            reason: None,
        }
    }
}

/// The domain engine over one partner's state.
#[derive(Debug, Clone)]
pub struct Engine {
    state: State,
    /// Billing-period ends still to process, earliest first. Derived from the state; an entry whose
    /// subscription has moved on since is skipped when reached.
    due: BTreeSet<(Timestamp, SubscriptionId)>,
    /// Each customer's subscriptions, oldest first (by purchase time, then ID). Derived.
    by_customer: HashMap<CustomerId, Vec<SubscriptionId>>,
    /// Every customer with its name and domain in lower case, by company name (any case, then
    /// ID); and their positions in primary-domain order. Derived; the customers do not change
    /// while the engine runs.
    customers_by_name: Vec<CustomerKey>,
    customers_by_domain: Vec<usize>,
    /// Where each subscription's activity entries and charges are in the state's lists. Derived;
    /// both lists only grow.
    activity_of: HashMap<SubscriptionId, Vec<usize>>,
    charges_of: HashMap<SubscriptionId, Vec<usize>>,
}

impl Engine {
    /// An engine over a loaded or generated state.
    pub fn new(state: State) -> Self {
        let mut by_name: Vec<&Customer> = state.customers.values().collect();
        crate::sorting::sort_by(&mut by_name, |a, b| {
            queries::cmp_folded(&a.company_name, &b.company_name).then(a.id.cmp(&b.id))
        });
        let customers_by_name: Vec<CustomerKey> = by_name
            .iter()
            .map(|c| CustomerKey {
                id: c.id,
                name: c.company_name.to_lowercase(),
                domain: c.primary_domain.to_lowercase(),
            })
            .collect();
        let mut customers_by_domain: Vec<usize> = (0..by_name.len()).collect();
        crate::sorting::sort_by(&mut customers_by_domain, |&a, &b| {
            (&by_name[a].primary_domain, by_name[a].id)
                .cmp(&(&by_name[b].primary_domain, by_name[b].id))
        });
        let mut engine = Engine {
            state,
            due: BTreeSet::new(),
            by_customer: HashMap::new(),
            customers_by_name,
            customers_by_domain,
            activity_of: HashMap::new(),
            charges_of: HashMap::new(),
        };
        for (i, entry) in engine.state.activity.iter().enumerate() {
            if let Some(id) = entry.subscription {
                engine.activity_of.entry(id).or_default().push(i);
            }
        }
        for (i, charge) in engine.state.charges.iter().enumerate() {
            engine
                .charges_of
                .entry(charge.subscription)
                .or_default()
                .push(i);
        }
        let subs: Vec<_> = engine
            .state
            .subscriptions
            .values()
            .map(|s| (s.id, s.customer, s.status, s.periods))
            .collect();
        for (id, customer, status, periods) in subs {
            engine.by_customer.entry(customer).or_default().push(id);
            if let Some(p) = clock::live_periods(status, periods) {
                engine.due.insert((p.period_end, id));
            }
        }
        let subscriptions = &engine.state.subscriptions;
        for ids in engine.by_customer.values_mut() {
            crate::sorting::sort_by_key(ids, |id| (subscriptions[id].created_at, *id));
        }
        engine
    }

    /// The state, for saving and for queries the engine does not offer.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The state, giving up the engine.
    pub fn into_state(self) -> State {
        self.state
    }

    /// Decides whether the actor's role allows what is needed. The one place role rules live.
    pub(crate) fn authorize(&self, actor: &Actor, need: Need) -> Result<&User, Denied> {
        let Actor::User(id) = actor else {
            return Err(Denied::NotAPartnerUser {
                action: need.words(),
            });
        };
        let user = self.state.partner.user(*id).ok_or(Denied::UnknownUser)?;
        let allowed = match (need, user.role) {
            (Need::View, _) => true,
            (Need::Purchase, role) => role.buys(),
            (Need::Update, Role::SalesAgent) => {
                if self.state.policy.sales_agent_saas_update_restriction {
                    return Err(Denied::SalesAgentRestriction);
                }
                true
            }
            (Need::Update, role) => matches!(role, Role::GlobalAdmin | Role::AdminAgent),
            (Need::Billing, role) => role.reads_billing(),
            (Need::Policy, role) => role == Role::GlobalAdmin,
        };
        if allowed {
            Ok(user)
        } else {
            Err(Denied::Role {
                role: user.role,
                action: need.words(),
            })
        }
    }

    /// Whether an attempt of `command` by `actor` is one to decide and record: the actor's role
    /// may change data (a Global admin, an Admin agent or a Sales agent may buy), or the command
    /// is one a viewer may make (an activation link). Anyone else's attempt is refused here,
    /// unrecorded, so that a role that only reads never writes to a server's journal.
    pub fn may_attempt(&self, actor: &Actor, command: &Command) -> Result<(), CommandError> {
        let Actor::User(_) = actor else {
            return Ok(());
        };
        let changes = [Need::Purchase, Need::Update, Need::Policy]
            .into_iter()
            .any(|need| self.authorize(actor, need).is_ok());
        if changes || matches!(command, Command::ActivationLink { .. }) {
            return Ok(());
        }
        let user = self.authorize(actor, Need::View)?;
        Err(Denied::Role {
            role: user.role,
            action: "change subscriptions, orders or settings",
        }
        .into())
    }

    /// The name and role the activity log records for an actor.
    fn actor_record(&self, actor: &Actor) -> ActorRecord {
        match actor {
            Actor::User(id) => match self.state.partner.user(*id) {
                Some(u) => ActorRecord {
                    name: u.name.clone(),
                    role: Some(u.role),
                },
                None => ActorRecord {
                    name: format!("Unknown user {id}"),
                    role: None,
                },
            },
            Actor::Publisher(p) => ActorRecord {
                name: self
                    .state
                    .catalog
                    .offers
                    .iter()
                    .find(|o| &o.publisher_id == p)
                    .map_or_else(|| format!("Publisher {p}"), |o| o.publisher_name.clone()),
                role: None,
            },
            Actor::System => ActorRecord {
                name: "System".into(),
                role: None,
            },
        }
    }

    /// Appends one entry to the activity log.
    pub(crate) fn log(
        &mut self,
        actor: &Actor,
        at: Timestamp,
        operation: Operation,
        change: Change,
        outcome: Outcome,
    ) {
        let entry = ActivityEntry {
            seq: self.state.activity.len() as u64,
            at,
            actor: self.actor_record(actor),
            customer: change.customer,
            subscription: change.subscription,
            operation,
            old: change.old,
            new: change.new,
            reason: change.reason,
            outcome,
        };
        if let Some(id) = entry.subscription {
            let at = self.state.activity.len();
            self.activity_of.entry(id).or_default().push(at);
        }
        self.state.activity.push(entry);
    }

    /// Runs a command: applies due time-based events first, then the command; records the change,
    /// or the refusal with the target it was about.
    pub(crate) fn run<T>(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        operation: Operation,
        target: (Option<CustomerId>, Option<SubscriptionId>),
        command: impl FnOnce(&mut Self) -> Result<(T, Option<Change>), CommandError>,
    ) -> Result<T, CommandError> {
        self.catch_up(now);
        match command(self) {
            Ok((value, Some(change))) => {
                self.log(actor, now, operation, change, Outcome::Succeeded);
                Ok(value)
            }
            Ok((value, None)) => Ok(value),
            Err(error) => {
                let change = Change {
                    customer: target.0,
                    subscription: target.1,
                    old: None,
                    new: None,
                    reason: None,
                };
                let outcome = Outcome::Denied {
                    message: error.to_string(),
                    code: error.code(),
                };
                self.log(actor, now, operation, change, outcome);
                Err(error)
            }
        }
    }

    /// A subscription by id.
    pub fn subscription(&self, id: SubscriptionId) -> Result<&Subscription, NotFound> {
        self.state.subscriptions.get(&id).ok_or_else(|| NotFound {
            what: "Subscription",
            id: id.to_string(),
        })
    }

    pub(crate) fn subscription_mut(&mut self, id: SubscriptionId) -> &mut Subscription {
        self.state
            .subscriptions
            .get_mut(&id)
            .expect("checked before changing")
    }

    /// The offer and plan of a subscription.
    pub fn offer_and_plan(&self, sub: &Subscription) -> (&Offer, &Plan) {
        self.state
            .catalog
            .item(&sub.item)
            .expect("a subscription always names a catalog item")
    }

    /// Why a subscription in this status cannot be updated, if it cannot.
    pub(crate) fn require_active(sub: &Subscription) -> Result<(), UpdateError> {
        match sub.status {
            SubscriptionStatus::Active => Ok(()),
            SubscriptionStatus::Pending => Err(UpdateError::NotActivated),
            SubscriptionStatus::Suspended => Err(UpdateError::Suspended),
            status => Err(UpdateError::Terminal { status }),
        }
    }

    /// Permission and status for changing a subscription: the shared gate of every update.
    pub(crate) fn check_update(
        &self,
        actor: &Actor,
        id: SubscriptionId,
    ) -> Result<&Subscription, CommandError> {
        self.authorize(actor, Need::Update)?;
        let sub = self.subscription(id)?;
        Self::require_active(sub)?;
        Ok(sub)
    }
}

/// Adds a new subscription to its customer's list in `by_customer`, keeping purchase order.
pub(crate) fn index_subscription(
    by_customer: &mut HashMap<CustomerId, Vec<SubscriptionId>>,
    subscriptions: &std::collections::BTreeMap<SubscriptionId, Subscription>,
    sub: &Subscription,
) {
    let ids = by_customer.entry(sub.customer).or_default();
    let at = ids.partition_point(|id| {
        subscriptions
            .get(id)
            .is_some_and(|s| (s.created_at, s.id) < (sub.created_at, sub.id))
    });
    ids.insert(at, sub.id);
}
