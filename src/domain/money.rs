//! Contract values: integer minor units plus an ISO 4217 code, never floats.

use super::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// Cents, pence, ...: two decimal places are assumed for every currency.
    pub minor: i64,
    pub currency: String,
}

impl Money {
    /// Reads "12000", "12,000.50", "1200.5 EUR", "EUR 1200"; `default_currency`
    /// fills in when the text names none.
    pub fn parse(text: &str, default_currency: &str) -> Result<Money, ValidationError> {
        let bad = |why: &str| ValidationError::new("value", why.to_string());
        let mut number = String::new();
        let mut currency: Option<String> = None;
        for word in text.split_whitespace() {
            if word.len() == 3 && word.chars().all(|c| c.is_ascii_alphabetic()) {
                if currency.is_some() {
                    return Err(bad("must name at most one currency"));
                }
                currency = Some(word.to_ascii_uppercase());
            } else {
                number.push_str(word);
            }
        }
        let currency = currency.unwrap_or_else(|| default_currency.to_ascii_uppercase());
        if currency.len() != 3 {
            return Err(bad(
                "currency must be a three-letter ISO code such as USD or EUR",
            ));
        }
        let number = number.replace(',', "");
        if number.is_empty() {
            return Err(bad("must be an amount such as 12000 or 1200.50 EUR"));
        }
        let (negative, digits) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number.as_str()),
        };
        if negative {
            return Err(bad("must not be negative"));
        }
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || fraction.len() > 2
        {
            return Err(bad("must be an amount such as 12000 or 1200.50 EUR"));
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad("is too large"))?
        };
        let cents: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(|| bad("is too large"))?;
        Ok(Money { minor, currency })
    }

    /// "12,000.50 EUR"
    pub fn display(&self) -> String {
        let whole = self.minor / 100;
        let cents = (self.minor % 100).abs();
        let digits = whole.abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        format!("{sign}{grouped}.{cents:02} {}", self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        let m = |s| Money::parse(s, "usd").unwrap();
        assert_eq!(
            m("12000"),
            Money {
                minor: 1_200_000,
                currency: "USD".into()
            }
        );
        assert_eq!(m("12,000.5 eur").minor, 1_200_050);
        assert_eq!(m("EUR 99.99").currency, "EUR");
        assert_eq!(m(".5").minor, 50);
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "",
            "abc",
            "1.234",
            "-5",
            "12 EUR USD",
            "99999999999999999999",
            "1e5",
        ] {
            assert!(Money::parse(bad, "USD").is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_grouped() {
        let m = Money {
            minor: 123_456_789,
            currency: "EUR".into(),
        };
        assert_eq!(m.display(), "1,234,567.89 EUR");
    }
}
