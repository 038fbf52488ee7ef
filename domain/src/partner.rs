use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::partner_id::ResellerPartnerId;
use crate::role::Role;

/// How the partner transacts in the CSP program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PartnerKind {
    /// Buys from Microsoft and bills its customers itself; has no indirect resellers.
    DirectBill,
    /// Buys from Microsoft and sells through authorized indirect resellers.
    IndirectProvider,
}

/// An indirect reseller the partner is authorized to sell through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reseller {
    /// Its PartnerID.
    pub partner_id: ResellerPartnerId,
    /// Its company name.
    pub name: String,
    /// False once the authorization has ended.
    pub authorized: bool,
}

/// A member of the partner's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Sign-in address.
    pub email: String,
    /// Role.
    pub role: Role,
}

/// The CSP partner that uses the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Partner {
    /// Company name.
    pub name: String,
    /// Its own PartnerID.
    pub partner_id: String,
    /// Direct-bill or indirect provider.
    pub kind: PartnerKind,
    /// Its authorized indirect resellers (indirect providers only).
    pub resellers: Vec<Reseller>,
    /// Its staff.
    pub users: Vec<User>,
}

impl Partner {
    /// A user by id.
    pub fn user(&self, id: UserId) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// A reseller by PartnerID.
    pub fn reseller(&self, id: &ResellerPartnerId) -> Option<&Reseller> {
        self.resellers.iter().find(|r| &r.partner_id == id)
    }

    /// How a subscription's indirect reseller is listed: the PartnerID, with the reseller's name
    /// when it is one of the partner's resellers; "—" when there is none.
    pub fn reseller_label(&self, id: Option<&ResellerPartnerId>) -> String {
        match id {
            None => "—".to_owned(),
            Some(id) => match self.reseller(id) {
                Some(reseller) => format!("{id} · {}", reseller.name),
                None => id.to_string(),
            },
        }
    }
}
