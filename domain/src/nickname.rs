use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ParseError;

/// A subscription's nickname (`friendlyName`): trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nickname(String);

impl Nickname {
    /// The most characters a nickname may have.
    pub const MAX_CHARS: usize = 100;

    /// Reads a nickname as typed: surrounding spaces are dropped, the rest must follow the rules.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(ParseError::NicknameEmpty);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(ParseError::NicknameControlCharacter);
        }
        let length = trimmed.chars().count();
        if length > Self::MAX_CHARS {
            return Err(ParseError::NicknameTooLong { length });
        }
        Ok(Nickname(trimmed.to_owned()))
    }

    /// The nickname as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Nickname {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Self, ParseError> {
        Nickname::parse(&text)
    }
}

impl From<Nickname> for String {
    fn from(n: Nickname) -> String {
        n.0
    }
}

impl fmt::Display for Nickname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nickname_is_trimmed() {
        assert_eq!(
            Nickname::parse("  Sales team  ").unwrap().as_str(),
            "Sales team"
        );
    }

    #[test]
    fn an_empty_or_blank_nickname_is_rejected() {
        assert_eq!(Nickname::parse(""), Err(ParseError::NicknameEmpty));
        assert_eq!(Nickname::parse("   "), Err(ParseError::NicknameEmpty));
    }

    #[test]
    fn a_nickname_of_101_characters_is_rejected_and_100_accepted() {
        assert!(Nickname::parse(&"é".repeat(100)).is_ok());
        assert_eq!(
            Nickname::parse(&"a".repeat(101)),
            Err(ParseError::NicknameTooLong { length: 101 })
        );
    }

    #[test]
    fn a_nickname_with_control_characters_is_rejected() {
        for bad in ["a\tb", "a\nb", "a\u{7}b"] {
            assert_eq!(
                Nickname::parse(bad),
                Err(ParseError::NicknameControlCharacter)
            );
        }
    }

    #[test]
    fn markup_in_a_nickname_is_kept_as_plain_text() {
        let n = Nickname::parse("<script>alert(1)</script>").unwrap();
        assert_eq!(n.as_str(), "<script>alert(1)</script>");
    }
}
