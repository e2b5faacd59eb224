//! Small serde helpers for the API's loose typing.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A JSON scalar (string, number or bool) as a string: scores are strings on
/// the wire today, but may be sent as numbers, and codes are either.
pub fn scalar_to_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Deserialize a string that may arrive as a number (or null → empty).
pub fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(scalar_to_string(&v).unwrap_or_default())
}

/// Deserialize an optional string that may arrive as a number.
pub fn lenient_opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.as_ref().and_then(scalar_to_string))
}

/// Deserialize a list of strings whose items may be numbers (null → empty).
pub fn lenient_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Option::<Vec<serde_json::Value>>::deserialize(d)?;
    Ok(v.unwrap_or_default()
        .iter()
        .filter_map(scalar_to_string)
        .collect())
}

/// Deserialize a JSON object into `(name, value)` pairs **in wire order**
/// (a map type would sort them; presigned POST fields must keep their order).
pub fn ordered_pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    struct PairsVisitor;
    impl<'de> Visitor<'de> for PairsVisitor {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of string fields")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                let v = scalar_to_string(&v)
                    .ok_or_else(|| de::Error::custom("upload parameter is not a scalar"))?;
                out.push((k, v));
            }
            Ok(out)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
            Err(de::Error::custom("expected an object"))
        }
    }
    d.deserialize_map(PairsVisitor)
}

/// Serialize ordered pairs back as a JSON object (order kept).
pub fn serialize_pairs<S: serde::Serializer>(
    pairs: &[(String, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
