//! The `ROUTE:KIND:VALUE` text form of a fault rule, used by CLI flags.
//!
//! KIND is `latency` (VALUE = milliseconds), an HTTP status such as `503`
//! (`429` answers with `Retry-After: 1`), `drop`, `drop_after`, `ws_drop` or
//! `expire_tokens`. For every KIND but `latency`, VALUE is `always`, an
//! integer N (the next N requests) or a share with a dot (`0.25`).

use std::str::FromStr;

use super::{FaultKind, FaultRule, FaultTrigger};

/// Why a `ROUTE:KIND:VALUE` fault spec was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("a fault is written ROUTE:KIND:VALUE, e.g. /v1/cards:503:0.2 or *:latency:300")]
    Shape,
    #[error("unknown fault kind `{0}` (latency, 4xx/5xx status, drop, drop_after, ws_drop, expire_tokens)")]
    Kind(String),
    #[error("bad fault value `{0}`: use `always`, a count N or a share like 0.25")]
    Value(String),
}

impl FromStr for FaultRule {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut parts = spec.rsplitn(3, ':');
        let (value, kind, route) = match (parts.next(), parts.next(), parts.next()) {
            (Some(v), Some(k), Some(r)) if !r.trim().is_empty() => (v.trim(), k.trim(), r.trim()),
            _ => return Err(FaultSpecError::Shape),
        };
        if kind.eq_ignore_ascii_case("latency") {
            let ms = value
                .parse()
                .map_err(|_| FaultSpecError::Value(value.to_string()))?;
            return Ok(FaultRule::new(
                route,
                FaultKind::Latency { ms },
                FaultTrigger::Always,
            ));
        }
        Ok(FaultRule::new(
            route,
            parse_kind(kind)?,
            parse_trigger(value)?,
        ))
    }
}

fn parse_kind(kind: &str) -> Result<FaultKind, FaultSpecError> {
    match kind.to_ascii_lowercase().as_str() {
        "drop" => Ok(FaultKind::Drop),
        "drop_after" => Ok(FaultKind::DropAfter),
        "ws_drop" => Ok(FaultKind::WsDrop),
        "expire_tokens" => Ok(FaultKind::ExpireTokens),
        "429" | "rate_limit" => Ok(FaultKind::RateLimit {
            retry_after_secs: 1,
        }),
        other => match other.parse::<u16>() {
            Ok(status) if (400..600).contains(&status) => Ok(FaultKind::Status { status }),
            _ => Err(FaultSpecError::Kind(kind.to_string())),
        },
    }
}

fn parse_trigger(value: &str) -> Result<FaultTrigger, FaultSpecError> {
    let bad = || FaultSpecError::Value(value.to_string());
    if value.eq_ignore_ascii_case("always") {
        return Ok(FaultTrigger::Always);
    }
    if value.contains('.') {
        let share: f64 = value.parse().map_err(|_| bad())?;
        return if (0.0..=1.0).contains(&share) {
            Ok(FaultTrigger::Share(share))
        } else {
            Err(bad())
        };
    }
    value.parse().map(FaultTrigger::Next).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_trigger() {
        let r: FaultRule = "/v1/cards:503:0.2".parse().unwrap();
        assert_eq!(
            r,
            FaultRule::new(
                "/v1/cards",
                FaultKind::Status { status: 503 },
                FaultTrigger::Share(0.2)
            )
        );
        let r: FaultRule = "*:latency:300".parse().unwrap();
        assert_eq!(r.kind, FaultKind::Latency { ms: 300 });
        let r: FaultRule = "POST /v1/cards:drop:3".parse().unwrap();
        assert_eq!(
            (r.route.as_str(), r.trigger),
            ("POST /v1/cards", FaultTrigger::Next(3))
        );
        let r: FaultRule = "/ws:ws_drop:always".parse().unwrap();
        assert_eq!(r.kind, FaultKind::WsDrop);
        let r: FaultRule = "*:429:1".parse().unwrap();
        assert_eq!(
            r.kind,
            FaultKind::RateLimit {
                retry_after_secs: 1
            }
        );
    }

    #[test]
    fn refuses_bad_specs_with_a_reason() {
        assert_eq!("nonsense".parse::<FaultRule>(), Err(FaultSpecError::Shape));
        assert!(matches!(
            "*:teapot:1".parse::<FaultRule>(),
            Err(FaultSpecError::Kind(_))
        ));
        assert!(matches!(
            "*:503:1.5".parse::<FaultRule>(),
            Err(FaultSpecError::Value(_))
        ));
        assert!(matches!(
            "*:latency:soon".parse::<FaultRule>(),
            Err(FaultSpecError::Value(_))
        ));
    }
}
