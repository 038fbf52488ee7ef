use std::fmt;
use std::str::FromStr;

use chacha20::ChaCha20Rng;
use chacha20::rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ParseError;

/// Where new identifiers and secrets come from. The domain has no randomness of its own: each
/// journal entry carries a [`RandomKey`] from the operating system's (or the browser's) random
/// source, and tests and the demo generator pass a seeded source.
pub trait IdSource {
    /// 128 fresh bits for an identifier, which will be shown.
    fn next_u128(&mut self) -> u128;
    /// 128 fresh bits for a secret (an activation code), from a stream no identifier comes from.
    fn secret_u128(&mut self) -> u128;
}

/// 256 bits from the operating system's random source (the server's `getrandom`, the browser's
/// `crypto.getRandomValues`), recorded in the journal entry that used them: a replay makes the same
/// identifiers and codes, and no value the console shows tells anything of them. Its `Debug`
/// leaves the bits out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RandomKey([u8; 32]);

impl RandomKey {
    /// The key of 32 random bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        RandomKey(bytes)
    }
}

impl fmt::Debug for RandomKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RandomKey(..)")
    }
}

impl Serialize for RandomKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&hex)
    }
}

impl<'de> Deserialize<'de> for RandomKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let mut bytes = [0u8; 32];
        let valid = text.len() == 64
            && text.is_ascii()
            && bytes.iter_mut().enumerate().all(|(i, b)| {
                u8::from_str_radix(&text[2 * i..2 * i + 2], 16)
                    .map(|v| *b = v)
                    .is_ok()
            });
        if valid {
            Ok(RandomKey(bytes))
        } else {
            Err(serde::de::Error::custom(
                "a random key is 64 hexadecimal digits",
            ))
        }
    }
}

/// The generator of identifiers and secrets: ChaCha20, a cryptographic generator, so that no
/// output tells anything of another. Identifiers come from one of its streams and secrets from
/// another. Keyed with an entry's [`RandomKey`] it is what the engine uses; from a number
/// ([`SeededIds::new`]) it is reproducible and guessable, for tests, the in-browser demo and
/// benchmarks only.
#[derive(Debug)]
pub struct SeededIds {
    ids: ChaCha20Rng,
    secrets: ChaCha20Rng,
}

impl SeededIds {
    /// A reproducible source from a number (tests, demo data, benchmarks).
    pub fn new(seed: u64) -> Self {
        let mut key = [0u8; 32];
        ChaCha20Rng::seed_from_u64(seed).fill_bytes(&mut key);
        SeededIds::from_key(RandomKey(key))
    }

    /// The source of an entry keyed with its recorded random bits.
    pub fn from_key(key: RandomKey) -> Self {
        let ids = ChaCha20Rng::from_seed(key.0);
        let mut secrets = ChaCha20Rng::from_seed(key.0);
        secrets.set_stream(1);
        SeededIds { ids, secrets }
    }

    /// A source of its own, keyed from this one's identifiers' stream (for a second generator
    /// that must not repeat this one's identifiers).
    pub fn fork(&mut self) -> SeededIds {
        let mut key = [0u8; 32];
        self.ids.fill_bytes(&mut key);
        SeededIds::from_key(RandomKey(key))
    }

    /// The next 64 bits of the identifiers' stream.
    pub fn next_u64(&mut self) -> u64 {
        self.ids.next_u64()
    }

    /// A number in `0..bound`, from the identifiers' stream.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }
}

impl IdSource for SeededIds {
    fn next_u128(&mut self) -> u128 {
        (u128::from(self.ids.next_u64()) << 64) | u128::from(self.ids.next_u64())
    }

    fn secret_u128(&mut self) -> u128 {
        (u128::from(self.secrets.next_u64()) << 64) | u128::from(self.secrets.next_u64())
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
    fn a_random_key_reads_back_from_its_text_and_is_not_shown_in_debug() {
        let key = RandomKey::new(std::array::from_fn(|i| i as u8 * 7));
        let text = serde_json::to_string(&key).unwrap();
        assert_eq!(text.len(), 66);
        assert_eq!(serde_json::from_str::<RandomKey>(&text).unwrap(), key);
        assert_eq!(format!("{key:?}"), "RandomKey(..)");
        assert!(serde_json::from_str::<RandomKey>("\"12\"").is_err());
    }

    #[test]
    fn secrets_come_from_a_stream_of_their_own() {
        let key = RandomKey::new([9; 32]);
        let mut a = SeededIds::from_key(key);
        let mut b = SeededIds::from_key(key);
        let ids: Vec<u128> = (0..64).map(|_| a.next_u128()).collect();
        let secret = b.secret_u128();
        assert!(!ids.contains(&secret));
        assert_eq!(SeededIds::from_key(key).secret_u128(), secret);
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let a: Vec<_> = (0..3)
            .map(|_| OrderId::generate(&mut SeededIds::new(1)))
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
    }
}
