use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::catalog::Term;

/// Which cancellation windows apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WindowPreset {
    /// The Partner Center page the seed links to: 24 hours for a monthly term, 14 days for annual
    /// and longer terms. The default.
    Seed,
    /// Microsoft's rule today for marketplace SaaS: 72 hours for every term.
    Current,
}

impl WindowPreset {
    /// Both presets.
    pub const ALL: [WindowPreset; 2] = [WindowPreset::Seed, WindowPreset::Current];

    /// How long after a term starts it may still be cancelled with a full refund.
    pub fn window(self, term: Term) -> TimeDelta {
        match (self, term) {
            (WindowPreset::Seed, Term::P1M) => TimeDelta::hours(24),
            (WindowPreset::Seed, _) => TimeDelta::days(14),
            (WindowPreset::Current, _) => TimeDelta::hours(72),
        }
    }

    /// Its name, as a partner knows it.
    pub fn name(self) -> &'static str {
        match self {
            WindowPreset::Seed => "Partner Center's published windows (default)",
            WindowPreset::Current => "Microsoft's current rule",
        }
    }

    /// In words, for settings.
    pub fn label(self) -> &'static str {
        match self {
            WindowPreset::Seed => "Monthly term 24 hours, annual and longer 14 days",
            WindowPreset::Current => "72 hours for every term",
        }
    }
}

/// The partner's policy settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Cancellation windows.
    pub cancellation_window: WindowPreset,
    /// The seed's temporary rule: Sales agents may not update marketplace SaaS subscriptions.
    pub sales_agent_saas_update_restriction: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            cancellation_window: WindowPreset::Seed,
            sales_agent_saas_update_restriction: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_preset_gives_a_monthly_term_24_hours_and_an_annual_term_14_days() {
        assert_eq!(WindowPreset::Seed.window(Term::P1M), TimeDelta::hours(24));
        assert_eq!(WindowPreset::Seed.window(Term::P1Y), TimeDelta::days(14));
        assert_eq!(WindowPreset::Seed.window(Term::P3Y), TimeDelta::days(14));
    }

    #[test]
    fn the_current_preset_gives_every_term_72_hours() {
        for term in Term::ALL {
            assert_eq!(WindowPreset::Current.window(term), TimeDelta::hours(72));
        }
    }

    #[test]
    fn by_default_the_seed_windows_and_the_sales_agent_restriction_apply() {
        let p = Policy::default();
        assert_eq!(p.cancellation_window, WindowPreset::Seed);
        assert!(p.sales_agent_saas_update_restriction);
    }
}
