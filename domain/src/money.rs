use std::fmt;

use serde::{Deserialize, Serialize};

/// The currencies the catalog prices in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Currency {
    /// US dollar.
    USD,
    /// Euro.
    EUR,
}

impl Currency {
    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::USD => "USD",
            Currency::EUR => "EUR",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Currency::USD => "$",
            Currency::EUR => "€",
        }
    }
}

/// An amount of money in integer minor units (cents) of one currency. Never floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Minor units (cents); negative for credits.
    pub minor: i64,
    /// The currency of the amount.
    pub currency: Currency,
}

impl Money {
    /// An amount in minor units.
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Zero in a currency.
    pub const fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// This amount times a whole number (a unit price times a quantity).
    pub fn times(self, factor: i64) -> Self {
        Money::new(self.minor * factor, self.currency)
    }

    /// The amount with its sign flipped (a refund or credit of it).
    pub fn negated(self) -> Self {
        Money::new(-self.minor, self.currency)
    }

    /// The share of this amount for `remaining_days` out of `period_days`, rounded toward zero to
    /// the cent: a charge is never rounded up, a credit never rounded beyond what was charged.
    pub fn prorated(self, remaining_days: i64, period_days: i64) -> Self {
        debug_assert!(period_days > 0 && (0..=period_days).contains(&remaining_days));
        let minor = (i128::from(self.minor) * i128::from(remaining_days)) / i128::from(period_days);
        Money::new(minor as i64, self.currency)
    }

    /// The sum of amounts of one currency; zero when there are none.
    pub fn sum<'a>(currency: Currency, amounts: impl IntoIterator<Item = &'a Money>) -> Money {
        let minor = amounts
            .into_iter()
            .inspect(|m| debug_assert_eq!(m.currency, currency))
            .map(|m| m.minor)
            .sum();
        Money::new(minor, currency)
    }

    /// The amount as a plain decimal (`-12.34`), as exports write it.
    pub fn decimal(self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A whole number with thousands separators: `10,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    /// `$1,234.50`, `-€12.00`: the symbol, thousands separators and two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let grouped = grouped(abs / 100);
        write!(
            f,
            "{sign}{}{grouped}.{:02}",
            self.currency.symbol(),
            abs % 100
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_get_thousands_separators() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(10_000), "10,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn money_shows_symbol_thousands_and_cents() {
        assert_eq!(Money::new(123_456, Currency::USD).to_string(), "$1,234.56");
        assert_eq!(Money::new(-1_200, Currency::EUR).to_string(), "-€12.00");
        assert_eq!(Money::new(5, Currency::USD).to_string(), "$0.05");
    }

    #[test]
    fn proration_rounds_down_to_the_cent() {
        // $10.00 for 10 of 31 days is 322.58… cents: 322.
        assert_eq!(Money::new(1000, Currency::USD).prorated(10, 31).minor, 322);
    }

    #[test]
    fn a_prorated_credit_is_never_larger_than_the_matching_charge() {
        let credit = Money::new(-1000, Currency::USD).prorated(10, 31);
        assert_eq!(credit.minor, -322);
    }

    #[test]
    fn decimal_form_has_two_places_and_a_sign() {
        assert_eq!(Money::new(-5, Currency::EUR).decimal(), "-0.05");
        assert_eq!(Money::new(120_000, Currency::USD).decimal(), "1200.00");
    }
}
