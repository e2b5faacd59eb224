//! CardioExplorer client against the real sandbox over loopback: the whole
//! flow, magic links, auth failures and token renewal, and bad bundles.

use std::time::Duration;

use cardscan_core::cardio::{
    Biomarker, Bundle, CardioClient, CardioConfig, Gender, Language, Observation, Patient,
    RiskLevel, SmokingStatus,
};
use cardscan_core::error::Error;
use cardscan_sandbox::cardio::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SANDBOX_MARK};
use cardscan_sandbox::{Sandbox, SandboxConfig};
use chrono::{Days, NaiveDate, Utc};
use serde_json::{json, Value};

const SCOPE: &str = "api.read api.write";

struct Env {
    _sandbox: Sandbox,
    root: String,
    http: reqwest::Client,
}

impl Env {
    async fn start() -> Env {
        let sandbox = Sandbox::start(SandboxConfig::fast()).await.unwrap();
        let root = format!("http://{}", sandbox.addr());
        Env {
            _sandbox: sandbox,
            root,
            http: reqwest::Client::new(),
        }
    }

    fn client(&self) -> CardioClient {
        CardioClient::new(CardioConfig::with_base_url(&self.root)).unwrap()
    }

    async fn authed(&self) -> CardioClient {
        let client = self.client();
        client
            .authenticate(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SCOPE)
            .await
            .unwrap();
        client
    }

    async fn stats(&self) -> Value {
        let url = format!("{}/_admin/cardio/stats", self.root);
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn admin(&self, path: &str, body: Value) {
        let url = format!("{}/_admin/cardio/{path}", self.root);
        let status = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "{path}: {status}");
    }
}

fn days_ago(n: u64) -> NaiveDate {
    Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(n))
        .unwrap()
}

fn patient() -> Patient {
    Patient::new()
        .id("pt-001")
        .gender(Gender::Male)
        .birth_date(NaiveDate::from_ymd_opt(1962, 4, 12).unwrap())
}

/// A complete bundle: every biomarker the sandbox requires, measured 10 days ago.
fn complete_bundle(total_cholesterol: f64, smoking: SmokingStatus) -> Bundle {
    let d = days_ago(10);
    Bundle::builder(patient())
        .observation(Observation::quantity(
            Biomarker::TotalCholesterol,
            total_cholesterol,
            d,
        ))
        .observation(Observation::quantity(Biomarker::HdlCholesterol, 42.0, d))
        .observation(Observation::quantity(
            Biomarker::LdlCholesterolCalculated,
            150.0,
            d,
        ))
        .observation(Observation::quantity(
            Biomarker::SystolicBloodPressure,
            142.0,
            d,
        ))
        .observation(Observation::quantity(
            Biomarker::DiastolicBloodPressure,
            88.0,
            d,
        ))
        .observation(Observation::quantity(Biomarker::HbA1c, 5.9, d))
        .observation(Observation::quantity_in(
            Biomarker::Triglycerides,
            1.9,
            "mmol/L",
            d,
        ))
        .observation(Observation::smoking(smoking, d))
        .build()
}

fn band(score: f64) -> RiskLevel {
    match score {
        s if s < 0.1 => RiskLevel::VeryLow,
        s if s < 0.2 => RiskLevel::Low,
        s if s < 0.4 => RiskLevel::Moderate,
        s if s < 0.6 => RiskLevel::High,
        _ => RiskLevel::VeryHigh,
    }
}

#[tokio::test]
async fn authenticate_draft_run_result() {
    let env = Env::start().await;
    let client = env.client();
    let session = client
        .authenticate(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SCOPE)
        .await
        .unwrap();
    assert_eq!(session.token_type, "Bearer");
    assert_eq!(session.expires_in_secs, 3600);
    assert!(session.organization.unwrap().is_active.unwrap());

    let draft = client
        .draft_test(&complete_bundle(238.0, SmokingStatus::Former))
        .await
        .unwrap();
    assert_eq!(
        (
            draft.items_mapped,
            draft.items_rejected,
            draft.items_missing
        ),
        (8, 0, 0)
    );
    assert!(draft.rejected_items.is_empty() && draft.missing_items.is_empty());

    let run = client
        .run_test(&draft.draft_test_id, Language::En)
        .await
        .unwrap();
    assert_eq!(run.test_id, draft.draft_test_id);
    assert_eq!(run.patient_id.as_deref(), Some("pt-001"));
    assert!((0.0..=1.0).contains(&run.risk_score));
    assert_eq!(run.risk_level, band(run.risk_score));
    assert!(
        run.warnings.iter().any(|w| w == SANDBOX_MARK),
        "{:?}",
        run.warnings
    );
    assert!(run
        .recommendation
        .as_deref()
        .unwrap()
        .starts_with(SANDBOX_MARK));
    assert!(run.completed_at.is_some());

    // Deterministic: running again gives the same score; German changes only the text.
    let again = client
        .run_test(&draft.draft_test_id, Language::De)
        .await
        .unwrap();
    assert_eq!(again.risk_score, run.risk_score);
    assert_eq!(again.risk_level, run.risk_level);
    assert_ne!(again.recommendation, run.recommendation);

    let report = client.test_result(&draft.draft_test_id).await.unwrap();
    assert_eq!(
        report.test_id.as_deref(),
        Some(draft.draft_test_id.as_str())
    );
    assert_eq!(report.language.as_deref(), Some("de"));
    let assessment = report.risk_assessment.unwrap();
    assert_eq!(assessment.risk_score, run.risk_score);
    assert!(assessment.summary.unwrap().contains(SANDBOX_MARK));
    assert_eq!(report.biomarkers.len(), 8);
    let tg = report
        .biomarkers
        .iter()
        .find(|b| b.name.as_deref() == Some("Triglycerides"))
        .unwrap();
    assert!(
        (tg.value.unwrap() - 168.28).abs() < 0.01,
        "mmol/L converted: {:?}",
        tg.value
    );
    assert!(!report.recommendations.is_empty());
    assert_eq!(report.other.get("source"), Some(&json!("sandbox")));
}

#[tokio::test]
async fn score_follows_the_observations() {
    let env = Env::start().await;
    let client = env.authed().await;
    let mut scores = Vec::new();
    for (tc, smoking) in [
        (170.0, SmokingStatus::Never),
        (290.0, SmokingStatus::CurrentEveryDay),
    ] {
        let draft = client
            .draft_test(&complete_bundle(tc, smoking))
            .await
            .unwrap();
        scores.push(
            client
                .run_test(&draft.draft_test_id, Language::En)
                .await
                .unwrap()
                .risk_score,
        );
    }
    assert!(scores[1] > scores[0], "{scores:?}");
    // The same observations in a new draft give the same score.
    let draft = client
        .draft_test(&complete_bundle(170.0, SmokingStatus::Never))
        .await
        .unwrap();
    let repeat = client
        .run_test(&draft.draft_test_id, Language::En)
        .await
        .unwrap()
        .risk_score;
    assert_eq!(repeat, scores[0]);
}

#[tokio::test]
async fn magic_link_is_generated_and_leads_somewhere() {
    let env = Env::start().await;
    let client = env.authed().await;
    let link = client.generate_magic_link().await.unwrap();
    assert!(link
        .magic_link
        .starts_with(&format!("{}/cardio/magic-login?token=", env.root)));
    let expires =
        chrono::DateTime::parse_from_rfc3339(link.expires_at.as_deref().unwrap()).unwrap();
    assert!(expires > Utc::now() + chrono::Duration::minutes(59));
    let page = env.http.get(&link.magic_link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(!format!("{link:?}").contains("token="));
}

#[tokio::test]
async fn bad_secret_is_unauthorized_and_not_kept() {
    let env = Env::start().await;
    let client = env.client();
    let err = client
        .authenticate(DEFAULT_CLIENT_ID, "wrong-secret", SCOPE)
        .await
        .unwrap_err();
    assert_eq!(err, Error::Unauthorized);
    assert!(!err.to_string().contains("wrong-secret"));
    // Nothing to authenticate with afterwards: calls fail without a retry storm.
    assert_eq!(
        client.generate_magic_link().await.unwrap_err(),
        Error::Unauthorized
    );
    let stats = env.stats().await;
    assert_eq!(stats["failedAuthentications"], 1);
    assert_eq!(stats["authentications"], 0);
    // Empty credentials never leave the device.
    let err = client.authenticate("", "x", SCOPE).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "client_id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_scope_is_a_bad_request_with_the_issue() {
    let env = Env::start().await;
    let err = env
        .client()
        .authenticate(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "api.admin")
        .await
        .unwrap_err();
    match err {
        Error::BadRequest { message } => assert!(message.contains("api.admin"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn expired_token_is_renewed_once_with_the_stored_credentials() {
    let env = Env::start().await;
    let client = env.authed().await;
    env.admin("expire-tokens", json!({})).await;
    client.generate_magic_link().await.unwrap();
    let stats = env.stats().await;
    assert_eq!(stats["authentications"], 2, "{stats}");
    assert_eq!(stats["rejectedTokens"], 1, "{stats}");
    // The renewed token keeps working without further authentications.
    client.generate_magic_link().await.unwrap();
    assert_eq!(env.stats().await["authentications"], 2);
}

#[tokio::test]
async fn a_token_rejected_again_after_renewal_is_unauthorized() {
    let env = Env::start().await;
    let client = env.authed().await;
    // From now on every token is refused: one renewal, then give up.
    env.admin("config", json!({"rejectTokens": true})).await;
    assert_eq!(
        client.generate_magic_link().await.unwrap_err(),
        Error::Unauthorized
    );
    let stats = env.stats().await;
    assert_eq!(stats["authentications"], 2, "{stats}");
    assert_eq!(stats["rejectedTokens"], 2, "{stats}");
}

#[tokio::test]
async fn token_is_renewed_before_expires_in_runs_out() {
    let env = Env::start().await;
    env.admin("config", json!({"tokenTtlSecs": 2})).await;
    let config = CardioConfig {
        refresh_margin: Duration::from_secs(1),
        ..CardioConfig::with_base_url(&env.root)
    };
    let client = CardioClient::new(config).unwrap();
    let session = client
        .authenticate(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SCOPE)
        .await
        .unwrap();
    assert_eq!(session.expires_in_secs, 2);
    client.generate_magic_link().await.unwrap();
    assert_eq!(env.stats().await["authentications"], 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.generate_magic_link().await.unwrap();
    let stats = env.stats().await;
    assert_eq!(stats["authentications"], 2, "{stats}");
    assert_eq!(
        stats["rejectedTokens"], 0,
        "renewed ahead of expiry, not after a 401: {stats}"
    );
}

#[tokio::test]
async fn calls_before_authenticate_are_unauthorized() {
    let env = Env::start().await;
    let client = env.client();
    assert_eq!(
        client.generate_magic_link().await.unwrap_err(),
        Error::Unauthorized
    );
    assert_eq!(env.stats().await["rejectedTokens"], 0, "nothing was sent");
}

#[tokio::test]
async fn invalid_entries_are_rejected_and_missing_biomarkers_listed() {
    let env = Env::start().await;
    let client = env.authed().await;
    let mut bundle = Bundle::builder(patient())
        .observation(Observation::quantity(
            Biomarker::TotalCholesterol,
            210.0,
            days_ago(120),
        ))
        .observation(Observation::loinc(
            "1234-5",
            "Not a CCS input",
            3.0,
            "mg/dL",
            days_ago(5),
        ))
        .observation(Observation::quantity(
            Biomarker::HdlCholesterol,
            55.0,
            days_ago(5),
        ))
        .build()
        .to_json();
    let condition = json!({"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Condition"}});
    bundle["entry"].as_array_mut().unwrap().push(condition);

    let draft = client.draft_test_json(bundle).await.unwrap();
    assert_eq!((draft.items_mapped, draft.items_rejected), (1, 3));
    let reasons: Vec<&str> = draft
        .rejected_items
        .iter()
        .map(|r| r.rejection_reason.as_deref().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "Observation is older than 90 days",
            "Unknown code: not a LOINC code used by the CCS test",
            "Unsupported resource type: Condition",
        ]
    );
    assert_eq!(draft.rejected_items[0].code.as_deref(), Some("2093-3"));
    assert_eq!(
        draft.rejected_items[0].vocabulary_id.as_deref(),
        Some("LOINC")
    );
    assert_eq!(
        draft.rejected_items[2].resource_type.as_deref(),
        Some("Condition")
    );
    let missing: Vec<&str> = draft
        .missing_items
        .iter()
        .map(|m| m.name.as_deref().unwrap())
        .collect();
    assert_eq!(
        missing,
        [
            "Total cholesterol",
            "LDL cholesterol",
            "Systolic blood pressure",
            "Smoking status",
            "HbA1c"
        ]
    );
    assert_eq!(draft.items_missing, 5);

    // The test still runs, assuming reference values, and says so.
    let run = client
        .run_test(&draft.draft_test_id, Language::En)
        .await
        .unwrap();
    assert!(
        run.warnings
            .iter()
            .any(|w| w.starts_with("Total cholesterol not provided")),
        "{:?}",
        run.warnings
    );
}

#[tokio::test]
async fn malformed_bundles_are_typed_errors() {
    let env = Env::start().await;
    let client = env.authed().await;
    let err = client.draft_test_json(json!([1, 2, 3])).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "bundle"),
        "{err:?}"
    );
    let err = client
        .draft_test_json(json!({"resourceType": "Patient"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(env.stats().await["drafts"], 0, "checked before sending");

    // Server-side validation: issues are listed in the error.
    let err = client
        .draft_test_json(json!({"resourceType": "Bundle", "entry": "nope"}))
        .await
        .unwrap_err();
    match err {
        Error::BadRequest { message } => {
            assert!(
                message.contains("Bundle.entry must be a non-empty array"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    let no_patient = Bundle::builder(patient()).build().to_json();
    let mut only_obs = no_patient.clone();
    only_obs["entry"] =
        json!([{"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Observation"}}]);
    let err = client.draft_test_json(only_obs).await.unwrap_err();
    assert_eq!(
        err,
        Error::BadRequest {
            message: "The FHIR bundle is not valid: The Bundle must contain one Patient resource"
                .into()
        }
    );
}

#[tokio::test]
async fn unknown_tests_and_bad_ids() {
    let env = Env::start().await;
    let client = env.authed().await;
    assert_eq!(
        client
            .run_test("no-such-test", Language::En)
            .await
            .unwrap_err(),
        Error::NotFound
    );
    assert_eq!(
        client.test_result("no-such-test").await.unwrap_err(),
        Error::NotFound
    );
    let draft = client
        .draft_test(&complete_bundle(200.0, SmokingStatus::Never))
        .await
        .unwrap();
    assert_eq!(
        client.test_result(&draft.draft_test_id).await.unwrap_err(),
        Error::NotFound,
        "not run yet"
    );
    assert!(matches!(
        client.run_test(" ", Language::En).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        client.test_result("a/b").await,
        Err(Error::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn read_only_scope_cannot_draft() {
    let env = Env::start().await;
    let client = env.client();
    client
        .authenticate(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "api.read")
        .await
        .unwrap();
    let err = client
        .draft_test(&complete_bundle(200.0, SmokingStatus::Never))
        .await
        .unwrap_err();
    assert_eq!(err, Error::Forbidden);
}
