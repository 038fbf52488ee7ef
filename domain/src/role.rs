use serde::{Deserialize, Serialize};

/// A role a partner's staff member signs in with. What each role may do is decided by the commands,
/// never by hiding a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Manages everything, including partner users and policy settings.
    GlobalAdmin,
    /// Buys and updates customers' subscriptions.
    AdminAgent,
    /// Buys subscriptions; may not update marketplace SaaS subscriptions while the restriction is on.
    SalesAgent,
    /// Views customers and subscriptions to help them; changes nothing.
    HelpdeskAgent,
    /// Views invoices, billing and reconciliation exports.
    BillingAdmin,
}

impl Role {
    /// Every role, in the order Partner Center lists them.
    pub const ALL: [Role; 5] = [
        Role::GlobalAdmin,
        Role::AdminAgent,
        Role::SalesAgent,
        Role::HelpdeskAgent,
        Role::BillingAdmin,
    ];

    /// The role's name as Partner Center shows it.
    pub fn label(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "Global admin",
            Role::AdminAgent => "Admin agent",
            Role::SalesAgent => "Sales agent",
            Role::HelpdeskAgent => "Helpdesk agent",
            Role::BillingAdmin => "Billing admin",
        }
    }
}

impl Role {
    /// Whether the role may buy subscriptions and record their setup tasks.
    pub fn buys(self) -> bool {
        matches!(
            self,
            Role::GlobalAdmin | Role::AdminAgent | Role::SalesAgent
        )
    }

    /// Whether the role may read invoices, billing and reconciliation.
    pub fn reads_billing(self) -> bool {
        matches!(
            self,
            Role::GlobalAdmin | Role::AdminAgent | Role::BillingAdmin
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_distinct_partner_center_label() {
        let mut labels: Vec<_> = Role::ALL.iter().map(|r| r.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), Role::ALL.len());
    }
}
