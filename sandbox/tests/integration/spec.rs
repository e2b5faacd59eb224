//! The official OpenAPI spec turned into JSON Schemas: `$ref`s inlined,
//! OpenAPI 3.0 `nullable` turned into type unions, and `date-time` widened
//! to the three timestamp forms the real API writes (api-notes.md).

use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::{json, Map, Value};

/// The timestamp forms the real API writes: RFC 3339 with `T`/`Z`, the
/// `2025-06-18 02:19:53.214745+00:00` form, and one without an offset.
const TIMESTAMP: &str = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$";

pub struct Spec {
    doc: Value,
}

/// The spec, loaded once per test binary.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cardscan-openapi.yaml");
        let text = std::fs::read_to_string(path).expect("read the OpenAPI spec");
        let doc: Value = serde_yaml::from_str(&text).expect("parse the OpenAPI spec");
        Spec { doc }
    })
}

impl Spec {
    fn pointer(&self, reference: &str) -> &Value {
        let pointer = reference.strip_prefix('#').expect("local $ref");
        self.doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("unresolved $ref {reference}"))
    }

    /// Inlines `$ref`s and converts OpenAPI 3.0 keywords to JSON Schema.
    fn resolve(&self, node: &Value) -> Value {
        match node {
            Value::Array(items) => Value::Array(items.iter().map(|v| self.resolve(v)).collect()),
            Value::Object(map) => self.resolve_object(map),
            other => other.clone(),
        }
    }

    fn resolve_object(&self, map: &Map<String, Value>) -> Value {
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(self.pointer(reference));
            return if nullable {
                json!({ "anyOf": [target, { "type": "null" }] })
            } else {
                target
            };
        }
        let mut out = Map::new();
        for (key, value) in map {
            match key.as_str() {
                "nullable" | "example" | "deprecated" => {}
                // `properties` maps names to schemas: resolve each, never treat names as keywords.
                "properties" => {
                    let props = value.as_object().map(|p| {
                        p.iter()
                            .map(|(k, v)| (k.clone(), self.resolve(v)))
                            .collect::<Map<_, _>>()
                    });
                    out.insert(key.clone(), Value::Object(props.unwrap_or_default()));
                }
                "format" if value == "date-time" => {
                    out.insert("pattern".into(), json!(TIMESTAMP));
                }
                _ => {
                    out.insert(key.clone(), self.resolve(value));
                }
            }
        }
        if nullable {
            if let Some(Value::String(t)) = out.get("type").cloned() {
                out.insert("type".into(), json!([t, "null"]));
            }
        }
        Value::Object(out)
    }

    /// The JSON Schema of a response body: `paths[path][method].responses[status]`.
    pub fn response_schema(&self, path: &str, method: &str, status: u16) -> Value {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let pointer = format!("/paths/{escaped}/{method}/responses/{status}");
        let mut response = self
            .doc
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("no response at {pointer}"))
            .clone();
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            response = self.pointer(reference).clone();
        }
        let schema = response
            .pointer("/content/application~1json/schema")
            .unwrap_or_else(|| panic!("no JSON schema at {pointer}"));
        self.resolve(schema)
    }

    /// The JSON Schema of `components.schemas[name]`.
    pub fn component(&self, name: &str) -> Value {
        self.resolve(self.pointer(&format!("#/components/schemas/{name}")))
    }
}

fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(true)
        .build(schema)
        .expect("the spec schema compiles")
}

fn assert_valid(schema: &Value, body: &Value, what: &str) {
    let validator = validator(schema);
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match the spec: {errors:#?}\nbody: {body:#}"
    );
}

/// Panics unless `body` matches the spec's response schema.
pub fn check(path: &str, method: &str, status: u16, body: &Value) {
    assert_valid(
        &spec().response_schema(path, method, status),
        body,
        &format!("{method} {path} {status}"),
    );
}

/// Panics unless `body` matches `components.schemas[name]`.
pub fn check_component(name: &str, body: &Value) {
    assert_valid(&spec().component(name), body, name);
}

#[test]
fn the_spec_schemas_are_strict_enough_to_catch_wrong_bodies() {
    // A card without its required fields, a string score as a number, a bad state.
    let schema = spec().response_schema("/cards/{card_id}", "get", 200);
    let v = validator(&schema);
    assert!(!v.is_valid(&json!({ "card_id": "x" })));
    let good = json!({ "card_id": "6b4f0b54-1d6c-4b43-8e1f-5b0a2b7f4c11", "state": "pending",
                       "created_at": "2025-06-18 02:19:53.214745+00:00", "deleted": false });
    assert!(
        v.is_valid(&good),
        "{:?}",
        v.iter_errors(&good)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    let mut bad_state = good.clone();
    bad_state["state"] = json!("teleported");
    assert!(!v.is_valid(&bad_state));
    let mut bad_time = good.clone();
    bad_time["created_at"] = json!("yesterday");
    assert!(!v.is_valid(&bad_time));
    let mut bad_score = good;
    bad_score["details"] = json!({ "member_name": { "value": "x", "scores": [0.5] } });
    assert!(!v.is_valid(&bad_score));
    // nullable `details` accepts null.
    let mut null_details = bad_score.clone();
    null_details["details"] = Value::Null;
    assert!(v.is_valid(&null_details));
}
