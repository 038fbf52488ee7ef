use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ParseError;

/// An indirect reseller's PartnerID (MPN id): 5 to 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResellerPartnerId(String);

impl ResellerPartnerId {
    /// Reads a PartnerID as typed (surrounding spaces dropped).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if (5..=10).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(ResellerPartnerId(t.to_owned()))
        } else {
            Err(ParseError::PartnerIdFormat {
                text: text.to_owned(),
            })
        }
    }

    /// The PartnerID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ResellerPartnerId {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Self, ParseError> {
        ResellerPartnerId::parse(&text)
    }
}

impl From<ResellerPartnerId> for String {
    fn from(id: ResellerPartnerId) -> String {
        id.0
    }
}

impl fmt::Display for ResellerPartnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_id_is_five_to_ten_digits() {
        assert!(ResellerPartnerId::parse("12345").is_ok());
        assert!(ResellerPartnerId::parse(" 1234567890 ").is_ok());
    }

    #[test]
    fn partner_ids_with_letters_or_the_wrong_length_are_rejected() {
        for bad in ["", "1234", "12345678901", "12a45", "12 345", "-12345"] {
            assert_eq!(
                ResellerPartnerId::parse(bad),
                Err(ParseError::PartnerIdFormat { text: bad.into() }),
                "{bad}"
            );
        }
    }
}
