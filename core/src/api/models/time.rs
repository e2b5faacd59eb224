//! Timestamps as the API sends them. Three forms occur on the wire:
//! `2025-06-18 02:19:53.214745+00:00` (space, microseconds, offset), RFC 3339
//! (`2025-06-18T02:19:53Z`) and, in one documented example, no offset at all
//! (read as UTC). The raw text is kept so JSON round-trips unchanged.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp: the text as given, and the instant when it parses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
    parsed: Option<DateTime<Utc>>,
}

impl Timestamp {
    /// Parse any of the three wire forms; unparseable text is kept, with no instant.
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parsed = parse_timestamp(&raw);
        Timestamp { raw, parsed }
    }

    /// The text as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant, when the text is one of the known forms.
    pub fn datetime(&self) -> Option<DateTime<Utc>> {
        self.parsed
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Parse a wire timestamp (see the module docs).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Timestamp::new(String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn accepts_the_three_wire_forms() {
        let micro = Utc.with_ymd_and_hms(2025, 6, 18, 2, 19, 53).unwrap()
            + chrono::Duration::microseconds(214745);
        assert_eq!(
            Timestamp::new("2025-06-18 02:19:53.214745+00:00").datetime(),
            Some(micro)
        );
        let whole = Utc.with_ymd_and_hms(2025, 6, 18, 2, 19, 53).unwrap();
        assert_eq!(
            Timestamp::new("2025-06-18T02:19:53Z").datetime(),
            Some(whole)
        );
        assert_eq!(
            Timestamp::new("2025-06-18T04:19:53+02:00").datetime(),
            Some(whole)
        );
        assert_eq!(
            Timestamp::new("2025-06-18T02:19:53").datetime(),
            Some(whole)
        );
        assert_eq!(
            Timestamp::new("2025-06-18 02:19:53.214745").datetime(),
            Some(micro)
        );
    }

    #[test]
    fn keeps_unparseable_text() {
        let t: Timestamp = serde_json::from_str("\"yesterday\"").unwrap();
        assert_eq!(t.datetime(), None);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"yesterday\"");
    }
}
