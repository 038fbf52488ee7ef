use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::money::Money;

macro_rules! catalog_code {
    ($(#[$doc:meta])* $name:ident, $len:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Reads the code: exactly the right number of upper-case letters and digits.
            pub fn parse(text: &str) -> Option<Self> {
                let ok = text.len() == $len
                    && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
                ok.then(|| $name(text.to_owned()))
            }

            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                $name::parse(&text).ok_or_else(|| {
                    format!(concat!(stringify!($name), " must be {} upper-case letters and digits, not `{}`"), $len, text)
                })
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

catalog_code!(
    /// A marketplace product id, e.g. `DZH318Z0BXWC`.
    OfferId,
    12
);
catalog_code!(
    /// A plan (SKU) id within an offer, e.g. `0001`.
    PlanId,
    4
);
catalog_code!(
    /// An availability id of a plan, e.g. `DZH318Z0BMJX`.
    AvailabilityId,
    12
);

/// A catalog item id `PRODUCT:SKU:AVAILABILITY`: the subscription's `offerId` in the REST shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CatalogItemId {
    /// The product.
    pub offer: OfferId,
    /// The SKU.
    pub plan: PlanId,
    /// The availability.
    pub availability: AvailabilityId,
}

impl CatalogItemId {
    /// Reads `PRODUCT:SKU:AVAILABILITY`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let bad = || ParseError::CatalogItemIdFormat {
            text: text.to_owned(),
        };
        let mut parts = text.trim().split(':');
        let (Some(o), Some(p), Some(a), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        Ok(CatalogItemId {
            offer: OfferId::parse(o).ok_or_else(bad)?,
            plan: PlanId::parse(p).ok_or_else(bad)?,
            availability: AvailabilityId::parse(a).ok_or_else(bad)?,
        })
    }
}

impl TryFrom<String> for CatalogItemId {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Self, ParseError> {
        CatalogItemId::parse(&text)
    }
}

impl From<CatalogItemId> for String {
    fn from(id: CatalogItemId) -> String {
        id.to_string()
    }
}

impl fmt::Display for CatalogItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.offer, self.plan, self.availability)
    }
}

/// A subscription term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Term {
    /// One month.
    P1M,
    /// One year.
    P1Y,
    /// Two years.
    P2Y,
    /// Three years.
    P3Y,
}

impl Term {
    /// Every term, shortest first.
    pub const ALL: [Term; 4] = [Term::P1M, Term::P1Y, Term::P2Y, Term::P3Y];

    /// The length in months.
    pub fn months(self) -> u32 {
        match self {
            Term::P1M => 1,
            Term::P1Y => 12,
            Term::P2Y => 24,
            Term::P3Y => 36,
        }
    }

    /// The ISO 8601 duration (`termDuration` in the REST shape).
    pub fn as_str(self) -> &'static str {
        match self {
            Term::P1M => "P1M",
            Term::P1Y => "P1Y",
            Term::P2Y => "P2Y",
            Term::P3Y => "P3Y",
        }
    }

    /// In words: `1 month`, `1 year`.
    pub fn label(self) -> &'static str {
        match self {
            Term::P1M => "1 month",
            Term::P1Y => "1 year",
            Term::P2Y => "2 years",
            Term::P3Y => "3 years",
        }
    }
}

/// How often a term is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BillingFrequency {
    /// Every month.
    Monthly,
    /// Every year.
    Annual,
    /// The whole term up front.
    OneTime,
}

impl BillingFrequency {
    /// Every frequency.
    pub const ALL: [BillingFrequency; 3] = [
        BillingFrequency::Monthly,
        BillingFrequency::Annual,
        BillingFrequency::OneTime,
    ];

    /// The REST `billingCycle` value.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingFrequency::Monthly => "monthly",
            BillingFrequency::Annual => "annual",
            BillingFrequency::OneTime => "one-time",
        }
    }

    /// In words: `Monthly`, `Annual`, `One-time`.
    pub fn label(self) -> &'static str {
        match self {
            BillingFrequency::Monthly => "Monthly",
            BillingFrequency::Annual => "Annual",
            BillingFrequency::OneTime => "One-time",
        }
    }

    /// What one price covers, as pages say it: "month", "year", or the whole "term".
    pub fn period_word(self) -> &'static str {
        match self {
            BillingFrequency::Monthly => "month",
            BillingFrequency::Annual => "year",
            BillingFrequency::OneTime => "term",
        }
    }

    /// A unit price in the words every page uses: "$8.00 per license per month".
    pub fn price_words(self, unit_price: crate::money::Money) -> String {
        format!("{unit_price} per license per {}", self.period_word())
    }

    /// The months of one billing period within a term.
    pub fn period_months(self, term: Term) -> u32 {
        match self {
            BillingFrequency::Monthly => 1,
            BillingFrequency::Annual => 12.min(term.months()),
            BillingFrequency::OneTime => term.months(),
        }
    }
}

/// A price of a plan for a term and billing frequency: the price of one license for one billing
/// period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceOption {
    /// The term.
    pub term: Term,
    /// The billing frequency.
    pub billing: BillingFrequency,
    /// The price of one license for one billing period.
    pub unit_price: Money,
}

/// A plan (SKU) of an offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The SKU id.
    pub id: PlanId,
    /// The plan's name.
    pub name: String,
    /// Where it is available.
    pub availability: AvailabilityId,
    /// Fewest licenses.
    pub min_quantity: u32,
    /// Most licenses.
    pub max_quantity: u32,
    /// Whether the first month can be a free trial.
    pub free_trial: bool,
    /// The prices by term and billing frequency.
    pub prices: Vec<PriceOption>,
}

impl Plan {
    /// The price for a term and billing frequency, if the plan sells it.
    pub fn price(&self, term: Term, billing: BillingFrequency) -> Option<&PriceOption> {
        self.prices
            .iter()
            .find(|p| p.term == term && p.billing == billing)
    }

    /// The billing frequencies the plan sells for a term, in `BillingFrequency::ALL` order.
    pub fn billing_for(&self, term: Term) -> Vec<BillingFrequency> {
        BillingFrequency::ALL
            .into_iter()
            .filter(|b| self.price(term, *b).is_some())
            .collect()
    }

    /// Whether a quantity is within the plan's bounds.
    pub fn allows_quantity(&self, quantity: u64) -> bool {
        (u64::from(self.min_quantity)..=u64::from(self.max_quantity)).contains(&quantity)
    }
}

/// A third-party ISV SaaS offer of the commercial marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// The product id.
    pub id: OfferId,
    /// The offer's name.
    pub name: String,
    /// The publisher's id.
    pub publisher_id: String,
    /// The publisher's name.
    pub publisher_name: String,
    /// One line about it.
    pub description: String,
    /// A marketplace category.
    pub category: String,
    /// The publisher's landing page: activation links point here.
    pub landing_url: String,
    /// Steps the publisher requires before a cancellation, if any.
    pub steps_before_cancel: Option<String>,
    /// Whether a customer may hold only one subscription of it.
    pub one_per_customer: bool,
    /// Countries (ISO 3166 alpha-2) where it is not sold.
    pub unavailable_in: Vec<String>,
    /// Its plans.
    pub plans: Vec<Plan>,
}

impl Offer {
    /// A plan by id.
    pub fn plan(&self, id: &PlanId) -> Option<&Plan> {
        self.plans.iter().find(|p| &p.id == id)
    }

    /// Whether customers of a country may buy it.
    pub fn available_in(&self, country: &str) -> bool {
        !self.unavailable_in.iter().any(|c| c == country)
    }
}

/// The offers the partner can buy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// Every offer.
    pub offers: Vec<Offer>,
}

impl Catalog {
    /// An offer by id.
    pub fn offer(&self, id: &OfferId) -> Option<&Offer> {
        self.offers.iter().find(|o| &o.id == id)
    }

    /// The offer and plan a catalog item names, if both exist and the availability matches.
    pub fn item(&self, item: &CatalogItemId) -> Option<(&Offer, &Plan)> {
        let offer = self.offer(&item.offer)?;
        let plan = offer.plan(&item.plan)?;
        (plan.availability == item.availability).then_some((offer, plan))
    }

    /// The distinct publishers, sorted by name.
    pub fn publishers(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .offers
            .iter()
            .map(|o| o.publisher_name.as_str())
            .collect();
        crate::sorting::sort_dedup(&mut names);
        names
    }

    /// The distinct categories, sorted.
    pub fn categories(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.offers.iter().map(|o| o.category.as_str()).collect();
        crate::sorting::sort_dedup(&mut names);
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_item_id_reads_product_sku_and_availability() {
        let id = CatalogItemId::parse("DZH318Z0BXWC:0001:DZH318Z0BMJX").unwrap();
        assert_eq!(id.offer.as_str(), "DZH318Z0BXWC");
        assert_eq!(id.plan.as_str(), "0001");
        assert_eq!(id.to_string(), "DZH318Z0BXWC:0001:DZH318Z0BMJX");
    }

    #[test]
    fn a_malformed_catalog_item_id_is_rejected_naming_the_rule() {
        for bad in [
            "",
            "DZH318Z0BXWC",
            "DZH318Z0BXWC:0001",
            "dzh318z0bxwc:0001:DZH318Z0BMJX",
            "DZH318Z0BXWC:0001:DZH318Z0BMJX:X",
            "DZH318Z0BXW:0001:DZH318Z0BMJX",
        ] {
            let err = CatalogItemId::parse(bad).unwrap_err();
            assert!(
                err.to_string().contains("PRODUCT:SKU:AVAILABILITY"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn an_annual_billing_period_never_exceeds_a_monthly_term() {
        assert_eq!(BillingFrequency::Annual.period_months(Term::P3Y), 12);
        assert_eq!(BillingFrequency::OneTime.period_months(Term::P3Y), 36);
        assert_eq!(BillingFrequency::Monthly.period_months(Term::P1Y), 1);
    }
}
