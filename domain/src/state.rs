use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::activity::ActivityEntry;
use crate::billing::{Charge, Invoice};
use crate::catalog::Catalog;
use crate::customer::Customer;
use crate::ids::{CartId, CustomerId, SubscriptionId};
use crate::order::{Cart, Order};
use crate::partner::Partner;
use crate::policy::Policy;
use crate::subscription::Subscription;
use crate::time::Timestamp;

/// The version of the saved document this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the console knows: one partner's customers, catalog, subscriptions, ledger and log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// The version of this document's layout.
    pub schema_version: u32,
    /// The partner and its users and resellers.
    pub partner: Partner,
    /// Policy settings.
    pub policy: Policy,
    /// The offers.
    pub catalog: Catalog,
    /// Customers by Microsoft ID.
    pub customers: BTreeMap<CustomerId, Customer>,
    /// Subscriptions by id.
    pub subscriptions: BTreeMap<SubscriptionId, Subscription>,
    /// Carts by id.
    pub carts: BTreeMap<CartId, Cart>,
    /// Orders, oldest first.
    pub orders: Vec<Order>,
    /// The charge ledger, oldest first.
    pub charges: Vec<Charge>,
    /// Closed invoices, oldest first.
    pub invoices: Vec<Invoice>,
    /// The activity log, oldest first.
    pub activity: Vec<ActivityEntry>,
    /// Time-based events (renewals, expiry, invoice runs) have been applied up to here.
    pub clock: Timestamp,
}

/// Why a saved document could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadError {
    /// Not JSON, or no `schemaVersion`.
    #[error("The saved data is not a Marketplace Console document: {0}")]
    NotADocument(String),
    /// Written by a newer version of the console.
    #[error(
        "The saved data was written by a newer version of Marketplace Console (format {found}; this version reads format {SCHEMA_VERSION})."
    )]
    NewerVersion {
        /// The version found.
        found: u32,
    },
    /// A version this build has never written.
    #[error("The saved data has an unknown format version {found}.")]
    UnknownVersion {
        /// The version found.
        found: u32,
    },
    /// The right version, but its content does not follow the format.
    #[error("The saved data is damaged: {0}")]
    Damaged(String),
}

impl State {
    /// The whole state as a versioned JSON document.
    pub fn save(&self) -> String {
        serde_json::to_string(self).expect("the state has only string keys and finite numbers")
    }

    /// Reads a document written by [`State::save`]; an unknown or newer version is an error.
    pub fn load(text: &str) -> Result<State, LoadError> {
        /// The one member read before knowing the layout of the rest.
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Version {
            schema_version: u32,
        }
        let Version { schema_version } =
            serde_json::from_str(text).map_err(|e| LoadError::NotADocument(e.to_string()))?;
        match schema_version {
            SCHEMA_VERSION => {
                serde_json::from_str(text).map_err(|e| LoadError::Damaged(e.to_string()))
            }
            found if found > SCHEMA_VERSION => Err(LoadError::NewerVersion { found }),
            found => Err(LoadError::UnknownVersion { found }),
        }
    }
}
