//! Checks of an eligibility request before it is sent, with the rules of the
//! API and of the official client: NPI (10 digits, Luhn with the `80840`
//! prefix), name lengths, date of birth in `YYYYMMDD`, `YYYY-MM-DD` or
//! `MM/DD/YYYY`, a real date from 1900 on, normalised to `YYYYMMDD`.
//! Errors name the field and the rule, never the value (it is PHI).

use crate::api::{EligibilityInfo, Provider, Subscriber};
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// Whether `npi` is a valid National Provider Identifier.
pub fn npi_is_valid(npi: &str) -> bool {
    npi.len() == 10 && npi.bytes().all(|b| b.is_ascii_digit()) && luhn_valid(&format!("80840{npi}"))
}

/// Luhn checksum over ASCII digits (the last digit is the check digit).
fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// Parse a date of birth in an accepted form and return it as `YYYYMMDD`.
pub fn normalize_date_of_birth(text: &str) -> Result<String> {
    let field = "subscriber.date_of_birth";
    let text = text.trim();
    let format = match (text.len(), text.as_bytes().get(4), text.as_bytes().get(2)) {
        (8, _, _) if text.bytes().all(|b| b.is_ascii_digit()) => "%Y%m%d",
        (10, Some(b'-'), _) => "%Y-%m-%d",
        (10, _, Some(b'/')) => "%m/%d/%Y",
        _ => {
            return Err(Error::invalid(
                field,
                "must be YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY",
            ))
        }
    };
    let date = NaiveDate::parse_from_str(text, format)
        .map_err(|_| Error::invalid(field, "is not a real calendar date"))?;
    if date.year() < 1900 {
        return Err(Error::invalid(field, "must be in 1900 or later"));
    }
    if date > chrono::Utc::now().date_naive() {
        return Err(Error::invalid(field, "must not be in the future"));
    }
    Ok(date.format("%Y%m%d").to_string())
}

fn check_length(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    let n = value.trim().chars().count();
    if n < min || n > max {
        return Err(Error::invalid(
            field,
            format!("must be {min} to {max} characters"),
        ));
    }
    Ok(())
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn validate_provider(p: &Provider) -> Result<Provider> {
    let npi = p.npi.trim();
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("provider.npi", "must be exactly 10 digits"));
    }
    if !npi_is_valid(npi) {
        return Err(Error::invalid(
            "provider.npi",
            "fails the NPI check digit (Luhn with prefix 80840)",
        ));
    }
    let org = present(&p.organization_name);
    let (first, last) = (present(&p.first_name), present(&p.last_name));
    if let Some(o) = org {
        check_length("provider.organization_name", o, 1, 60)?;
    }
    match (first, last) {
        (Some(f), Some(l)) => {
            check_length("provider.first_name", f, 1, 35)?;
            check_length("provider.last_name", l, 1, 60)?;
        }
        (Some(_), None) if org.is_none() => {
            return Err(Error::invalid(
                "provider.last_name",
                "is required with first_name",
            ))
        }
        (None, Some(_)) if org.is_none() => {
            return Err(Error::invalid(
                "provider.first_name",
                "is required with last_name",
            ))
        }
        (None, None) if org.is_none() => {
            return Err(Error::invalid(
                "provider",
                "needs organization_name or first_name and last_name",
            ))
        }
        _ => {}
    }
    Ok(Provider {
        npi: npi.to_string(),
        organization_name: org.map(str::to_string),
        first_name: first.map(str::to_string),
        last_name: last.map(str::to_string),
    })
}

fn validate_subscriber(s: &Subscriber) -> Result<Subscriber> {
    check_length("subscriber.first_name", &s.first_name, 1, 35)?;
    check_length("subscriber.last_name", &s.last_name, 1, 60)?;
    Ok(Subscriber {
        first_name: s.first_name.trim().to_string(),
        last_name: s.last_name.trim().to_string(),
        date_of_birth: normalize_date_of_birth(&s.date_of_birth)?,
    })
}

/// Validate a request and return it normalised (trimmed, date as `YYYYMMDD`).
pub fn validate(info: &EligibilityInfo) -> Result<EligibilityInfo> {
    Ok(EligibilityInfo {
        provider: validate_provider(&info.provider)?,
        subscriber: validate_subscriber(&info.subscriber)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: Error) -> String {
        match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn npi_luhn() {
        assert!(npi_is_valid("1234567893")); // the CMS example
        assert!(!npi_is_valid("1234567890"));
        assert!(!npi_is_valid("123456789"));
        assert!(!npi_is_valid("12345678a3"));
    }

    #[test]
    fn dates_of_birth() {
        assert_eq!(normalize_date_of_birth("19801210").unwrap(), "19801210");
        assert_eq!(normalize_date_of_birth("1980-12-10").unwrap(), "19801210");
        assert_eq!(normalize_date_of_birth("12/10/1980").unwrap(), "19801210");
        assert_eq!(normalize_date_of_birth("02/29/2000").unwrap(), "20000229");
        assert!(normalize_date_of_birth("02/29/2001").is_err());
        assert!(normalize_date_of_birth("19801310").is_err());
        assert!(normalize_date_of_birth("18991231").is_err());
        assert!(normalize_date_of_birth("1980/12/10").is_err());
        assert!(normalize_date_of_birth("").is_err());
        assert!(normalize_date_of_birth("99991231").is_err());
        let e = normalize_date_of_birth("31/12/1980").unwrap_err();
        assert!(!e.to_string().contains("1980"), "no PHI in messages");
    }

    fn request() -> EligibilityInfo {
        EligibilityInfo {
            provider: Provider {
                npi: "1234567893".into(),
                organization_name: Some("Clinic".into()),
                ..Default::default()
            },
            subscriber: Subscriber {
                first_name: "Emily".into(),
                last_name: "Dickinson".into(),
                date_of_birth: "12/10/1980".into(),
            },
        }
    }

    #[test]
    fn validates_and_normalises() {
        let ok = validate(&request()).unwrap();
        assert_eq!(ok.subscriber.date_of_birth, "19801210");
        let mut r = request();
        r.provider.npi = "1234567890".into();
        assert_eq!(field_of(validate(&r).unwrap_err()), "provider.npi");
        let mut r = request();
        r.provider.organization_name = None;
        assert_eq!(field_of(validate(&r).unwrap_err()), "provider");
        r.provider.first_name = Some("Ann".into());
        assert_eq!(field_of(validate(&r).unwrap_err()), "provider.last_name");
        r.provider.last_name = Some("Lee".into());
        assert!(validate(&r).is_ok());
        let mut r = request();
        r.subscriber.first_name = "x".repeat(36);
        assert_eq!(field_of(validate(&r).unwrap_err()), "subscriber.first_name");
        let mut r = request();
        r.subscriber.last_name = "  ".into();
        assert_eq!(field_of(validate(&r).unwrap_err()), "subscriber.last_name");
        let mut r = request();
        r.provider.organization_name = Some("o".repeat(61));
        assert_eq!(
            field_of(validate(&r).unwrap_err()),
            "provider.organization_name"
        );
    }
}
