use crate::error::ParseError;

/// Reads a number of licenses as typed in the Quantity field: a whole, non-negative number. Whether
/// it fits the plan is the command's rule (Partner Center 2002), checked against the plan's bounds.
pub fn parse_quantity(text: &str) -> Result<u64, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::QuantityEmpty);
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if text.strip_prefix('-').is_some_and(digits) {
        return Err(ParseError::QuantityNegative {
            text: text.to_owned(),
        });
    }
    if !digits(text) {
        return Err(ParseError::QuantityNotWholeNumber {
            text: text.to_owned(),
        });
    }
    text.parse::<u64>()
        .ok()
        .filter(|q| *q <= u64::from(u32::MAX))
        .ok_or_else(|| ParseError::QuantityTooLarge {
            text: text.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_is_a_whole_number_of_licenses() {
        assert_eq!(parse_quantity(" 25 "), Ok(25));
        assert_eq!(parse_quantity("0"), Ok(0));
    }

    #[test]
    fn a_negative_quantity_is_told_as_negative_not_as_not_a_whole_number() {
        assert_eq!(
            parse_quantity("-1").unwrap_err().to_string(),
            "Quantity can't be negative (you entered -1)."
        );
        assert!(matches!(
            parse_quantity("-1.5"),
            Err(ParseError::QuantityNotWholeNumber { .. })
        ));
    }

    #[test]
    fn an_empty_quantity_is_rejected() {
        assert_eq!(parse_quantity(""), Err(ParseError::QuantityEmpty));
    }

    #[test]
    fn quantities_that_are_not_whole_numbers_are_rejected() {
        for bad in ["abc", "-1.5", "2.5", "1e3", "+3", "٣", "-"] {
            assert!(
                matches!(
                    parse_quantity(bad),
                    Err(ParseError::QuantityNotWholeNumber { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_quantity_beyond_u64_is_too_large_not_a_crash() {
        assert!(matches!(
            parse_quantity("99999999999999999999999"),
            Err(ParseError::QuantityTooLarge { .. })
        ));
    }
}
