use serde::{Deserialize, Serialize};

/// Where a marketplace SaaS subscription is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SubscriptionStatus {
    /// Bought, waiting for the publisher to activate it: the partner's action is needed.
    Pending,
    /// Activated by the publisher; billed.
    Active,
    /// Suspended by the publisher or for payment.
    Suspended,
    /// Cancelled by the partner. Terminal.
    Cancelled,
    /// The term ended with auto-renew off. Terminal.
    Expired,
}

impl SubscriptionStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [SubscriptionStatus; 5] = [
        SubscriptionStatus::Pending,
        SubscriptionStatus::Active,
        SubscriptionStatus::Suspended,
        SubscriptionStatus::Cancelled,
        SubscriptionStatus::Expired,
    ];

    /// The label Partner Center shows in the Status column.
    pub fn label(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "Action needed",
            SubscriptionStatus::Active => "Active",
            SubscriptionStatus::Suspended => "Suspended",
            SubscriptionStatus::Cancelled => "Cancelled",
            SubscriptionStatus::Expired => "Expired",
        }
    }

    /// A stable, CSS-friendly name (`action-needed`), used for badge classes and test ids.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "action-needed",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Suspended => "suspended",
            SubscriptionStatus::Cancelled => "cancelled",
            SubscriptionStatus::Expired => "expired",
        }
    }

    /// The value of the Partner Center REST `status` field.
    pub fn rest_value(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Suspended => "suspended",
            SubscriptionStatus::Cancelled => "deleted",
            SubscriptionStatus::Expired => "expired",
        }
    }

    /// Cancelled and expired subscriptions never change again.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Cancelled | SubscriptionStatus::Expired
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_subscription_reads_action_needed() {
        assert_eq!(SubscriptionStatus::Pending.label(), "Action needed");
    }

    #[test]
    fn a_cancelled_subscription_is_deleted_in_the_rest_shape() {
        assert_eq!(SubscriptionStatus::Cancelled.rest_value(), "deleted");
    }

    #[test]
    fn only_cancelled_and_expired_are_terminal() {
        let terminal: Vec<_> = SubscriptionStatus::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(
            terminal,
            [SubscriptionStatus::Cancelled, SubscriptionStatus::Expired]
        );
    }
}
