use serde::{Deserialize, Serialize};

use crate::ids::CustomerId;

/// How the partner is related to a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Relationship {
    /// The partner sells to the customer itself.
    Reseller,
    /// The partner sells to the customer through an indirect reseller.
    IndirectReseller,
}

impl Relationship {
    /// As the Customers list shows it.
    pub fn label(self) -> &'static str {
        match self {
            Relationship::Reseller => "Reseller",
            Relationship::IndirectReseller => "Indirect reseller",
        }
    }
}

/// A customer tenant of the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Microsoft ID (tenant id).
    pub id: CustomerId,
    /// Company name.
    pub company_name: String,
    /// Primary domain name, e.g. `contoso.onmicrosoft.com`.
    pub primary_domain: String,
    /// ISO 3166 alpha-2 country.
    pub country: String,
    /// Relationship.
    pub relationship: Relationship,
    /// The partner's own tags.
    pub tags: Vec<String>,
}
