//! The domain of Marketplace Console: the rules by which a Cloud Solution Provider partner buys,
//! activates and manages third-party ISV SaaS subscriptions for its customers.
//!
//! The crate has no browser, clock or randomness of its own: time and identifiers are inputs, so the
//! same rules run natively in tests, in the browser and in a server.

mod role;
mod status;

pub use role::Role;
pub use status::SubscriptionStatus;
