use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ParseError;

/// Where new identifiers and codes come from. The domain has no randomness of its own: the browser
/// and the server pass a random source, tests and the demo generator a seeded one.
pub trait IdSource {
    /// 128 fresh bits.
    fn next_u128(&mut self) -> u128;
}

/// A deterministic source (SplitMix64), for tests, demo data and benchmarks. The same seed always
/// gives the same identifiers.
#[derive(Debug, Clone)]
pub struct SeededIds {
    state: u64,
}

impl SeededIds {
    /// A source that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        SeededIds { state: seed }
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }
}

impl IdSource for SeededIds {
    fn next_u128(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }
}

/// A GUID such as a Microsoft tenant id, shown lower-case `8-4-4-4-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(u128);

impl Guid {
    /// A random (version 4) GUID from the source.
    pub fn generate(ids: &mut dyn IdSource) -> Self {
        let bits = ids.next_u128();
        // Version 4, RFC 4122 variant.
        let bits = (bits & !(0xF << 76)) | (0x4 << 76);
        let bits = (bits & !(0x3 << 62)) | (0x2 << 62);
        Guid(bits)
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            (v >> 96) as u32,
            (v >> 80) as u16,
            (v >> 64) as u16,
            (v >> 48) as u16,
            v & 0xFFFF_FFFF_FFFF
        )
    }
}

impl FromStr for Guid {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let bytes = s.as_bytes();
        if bytes.len() != 36 {
            return Err(());
        }
        let mut value: u128 = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if b != b'-' {
                    return Err(());
                }
                continue;
            }
            let digit = (b as char).to_digit(16).ok_or(())?;
            value = (value << 4) | u128::from(digit);
        }
        Ok(Guid(value))
    }
}

impl Serialize for Guid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse()
            .map_err(|()| serde::de::Error::custom(format!("`{text}` is not a GUID")))
    }
}

macro_rules! guid_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Guid);

        impl $name {
            /// A new random identifier from the source.
            pub fn generate(ids: &mut dyn IdSource) -> Self {
                $name(Guid::generate(ids))
            }

            /// Reads an identifier from its `8-4-4-4-12` text.
            pub fn parse(text: &str) -> Result<Self, ParseError> {
                text.trim()
                    .to_ascii_lowercase()
                    .parse()
                    .map($name)
                    .map_err(|()| ParseError::NotAGuid { field: $field })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

    };
}

guid_id!(
    /// A customer's Microsoft ID (its tenant id).
    CustomerId,
    "Microsoft ID"
);
guid_id!(
    /// A subscription's id.
    SubscriptionId,
    "Subscription ID"
);
guid_id!(
    /// A cart's id.
    CartId,
    "Cart ID"
);
guid_id!(
    /// A partner user's id.
    UserId,
    "User ID"
);

/// An order's id: 12 upper-case letters and digits, as Partner Center shows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderId(String);

impl OrderId {
    /// A new random order id from the source.
    pub fn generate(ids: &mut dyn IdSource) -> Self {
        OrderId(base36(ids.next_u128(), 12))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads an order id: 12 upper-case letters and digits.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let text = text.trim();
        if text.len() == 12
            && text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            Ok(OrderId(text.to_owned()))
        } else {
            Err(ParseError::NotAnOrderId {
                text: text.to_owned(),
            })
        }
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `len` characters of `0-9A-Z` taken from `bits`.
pub(crate) fn base36(mut bits: u128, len: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    (0..len)
        .map(|_| {
            let d = DIGITS[(bits % 36) as usize] as char;
            bits /= 36;
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_guid_reads_back_from_its_text() {
        let mut ids = SeededIds::new(7);
        let id = CustomerId::generate(&mut ids);
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4", "version 4: {text}");
        assert_eq!(CustomerId::parse(&text.to_uppercase()).unwrap(), id);
    }

    #[test]
    fn text_that_is_not_a_guid_names_the_field() {
        let err = SubscriptionId::parse("not-a-guid").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Subscription ID must be a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301."
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let a: Vec<_> = (0..3)
            .map(|_| OrderId::generate(&mut SeededIds::new(1)))
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
    }
}
