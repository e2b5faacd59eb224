//! Timestamps in the forms the real API writes.

use chrono::{DateTime, SecondsFormat, Utc};

/// Now, in UTC.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The form of most API timestamps: `2025-06-18 02:19:53.214745+00:00`.
pub fn wire(ts: DateTime<Utc>) -> String {
    ts.format("%Y-%m-%d %H:%M:%S%.6f+00:00").to_string()
}

/// RFC 3339 with `Z`, as `expires_at` of magic links.
pub fn rfc3339(ts: DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_has_space_microseconds_and_offset() {
        let ts = DateTime::parse_from_rfc3339("2025-06-18T02:19:53.214745Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(wire(ts), "2025-06-18 02:19:53.214745+00:00");
        assert_eq!(rfc3339(ts), "2025-06-18T02:19:53.214Z");
    }
}
