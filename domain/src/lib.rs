//! The domain of Marketplace Console: the rules by which a Cloud Solution Provider partner buys,
//! activates and manages third-party ISV SaaS subscriptions for its customers.
//!
//! The crate has no browser, clock or randomness of its own: time and identifiers are inputs, so the
//! same rules run natively in tests, in the browser and in a server.

mod activity;
mod billing;
mod catalog;
mod command;
mod customer;
pub mod demo;
mod engine;
mod error;
pub mod export;
mod ids;
pub mod money;
mod nickname;
mod order;
mod partner;
mod partner_id;
mod policy;
mod quantity;
mod role;
pub mod sorting;
mod state;
mod status;
mod subscription;
pub mod time;

pub use activity::{ActivityEntry, ActivityFilter, ActorRecord, Operation, Outcome};
pub use billing::{Charge, ChargeType, Invoice};
pub use catalog::{
    AvailabilityId, BillingFrequency, Catalog, CatalogItemId, Offer, OfferId, Plan, PlanId,
    PriceOption, Term,
};
pub use command::{Applied, Command, Entry, apply};
pub use customer::{Customer, Relationship};
pub use engine::{
    Action, ActionState, ActivationLink, ActivityExport, ActivityPage, ActivityRead, Actor,
    BillingRead, BillingView, CLOSING_WINDOW_HOURS, CartLineCheck, ChargeLine, ChargeList,
    ClockReport, ClosingWindow, CustomerPage, CustomerQuery, CustomerRow, CustomerSort,
    CustomersExport, DETAIL_ACTIVITY, Engine, InvoiceRead, InvoiceView, LIST_PAGE,
    ListedSubscription, MeRead, OrderRead, OrderView, OrderedSubscription, Paged, PublisherRead,
    PurchaseRead, PurchaseView, Read, ReconciliationExport, ReconciliationRow, RenewalsRead,
    RenewalsView, ResellerChoice, ResolvedPurchase, Restricted, SettingsRead, SettingsView,
    SortDirection, Spend, SubscriptionDetail, SubscriptionList, SubscriptionPage,
    SubscriptionQuery, SubscriptionRead, SubscriptionRow, SubscriptionSort, SubscriptionView,
    SubscriptionsExport, SubscriptionsRead, TermEnd,
};
pub use error::{
    ActivationError, CommandError, Denied, NotFound, ParseError, PurchaseError, UpdateError,
};
pub use ids::{
    CartId, CustomerId, Guid, IdSource, OrderId, RandomKey, SeededIds, SubscriptionId, UserId,
};
pub use money::{Currency, Money};
pub use nickname::Nickname;
pub use order::{Cart, CartLine, Order, OrderLine};
pub use partner::{Partner, PartnerKind, Reseller, User};
pub use partner_id::ResellerPartnerId;
pub use policy::{Policy, WindowPreset};
pub use quantity::parse_quantity;
pub use role::Role;
pub use state::{LoadError, SCHEMA_VERSION, State};
pub use status::SubscriptionStatus;
pub use subscription::{
    ACTIVATION_CODE_HOURS, ActivationCode, Periods, ScheduledChange, SetupTask, SetupTaskRecord,
    StepsConfirmation, Subscription,
};
pub use time::Timestamp;
