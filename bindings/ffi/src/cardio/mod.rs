//! `CardioClient`: CardioExplorer for Swift and Kotlin — `authenticate`,
//! `generateMagicLink`, `draftTest`, `runTest`, `testResult` as
//! `async throws` / `suspend` functions on the SDK runtime.

mod bundle;
mod records;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use cardscan_core::cardio as core;

use crate::error::{CardScanError, Result};
use crate::runtime::run;

// The records and `buildCardioBundle` reach Swift/Kotlin through their
// UniFFI derives; only what this file uses is imported.
use records::{
    CardioDraftTest, CardioLanguage, CardioMagicLink, CardioReport, CardioSession,
    CardioTestResponse,
};

/// Where CardioExplorer is and how long to wait.
#[derive(Clone, Debug, uniffi::Record)]
pub struct CardioConfig {
    /// Host root; `None` means `https://api.cardioexplorer.ai`.
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    #[uniffi(default = 30000)]
    pub read_timeout_ms: u64,
    #[uniffi(default = 120000)]
    pub request_timeout_ms: u64,
    #[uniffi(default = 4)]
    pub max_retries: u32,
}

impl CardioConfig {
    fn to_core(&self) -> Result<core::CardioConfig> {
        let ms = |field: &str, v: u64| {
            if v == 0 {
                Err(CardScanError::invalid(field, "must be greater than zero"))
            } else {
                Ok(Duration::from_millis(v))
            }
        };
        let mut config = core::CardioConfig::default();
        if let Some(url) = &self.base_url {
            config.base_url = url.clone();
        }
        config.timeouts.connect = ms("connectTimeoutMs", self.connect_timeout_ms)?;
        config.timeouts.read = ms("readTimeoutMs", self.read_timeout_ms)?;
        config.timeouts.total = ms("requestTimeoutMs", self.request_timeout_ms)?;
        config.retry.max_retries = self.max_retries;
        Ok(config)
    }
}

/// A CardioExplorer client. `authenticate` once; the token is then renewed
/// by the SDK (before it expires, and once after a 401).
#[derive(Debug, uniffi::Object)]
pub struct CardioClient {
    inner: core::CardioClient,
}

impl CardioClient {
    async fn call<T, F, Fut>(&self, op: F) -> Result<T>
    where
        F: FnOnce(core::CardioClient) -> Fut,
        Fut: Future<Output = cardscan_core::error::Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let fut = op(self.inner.clone());
        run(async move { fut.await.map_err(CardScanError::from) }).await
    }
}

#[uniffi::export]
impl CardioClient {
    #[uniffi::constructor]
    pub fn new(config: CardioConfig) -> Result<Arc<Self>> {
        crate::guard::guard(|| {
            let _enter = crate::runtime::runtime()?.enter();
            let inner = core::CardioClient::new(config.to_core()?)?;
            Ok(Arc::new(CardioClient { inner }))
        })
    }

    /// Exchanges the organisation's client id and secret for a token. The
    /// secret is a server-side credential: apps should get CardioExplorer
    /// access through their own backend rather than ship it.
    pub async fn authenticate(
        &self,
        client_id: String,
        client_secret: String,
        scope: String,
    ) -> Result<CardioSession> {
        self.call(|c| async move {
            c.authenticate(&client_id, &client_secret, &scope)
                .await
                .map(Into::into)
        })
        .await
    }

    pub async fn generate_magic_link(&self) -> Result<CardioMagicLink> {
        self.call(|c| async move { c.generate_magic_link().await.map(Into::into) })
            .await
    }

    /// Drafts a test from a FHIR Bundle as JSON (see `buildCardioBundle`).
    pub async fn draft_test(&self, bundle_json: String) -> Result<CardioDraftTest> {
        let bundle: serde_json::Value = serde_json::from_str(&bundle_json).map_err(|e| {
            CardScanError::invalid(
                "bundleJson",
                format!("not JSON (line {}, column {})", e.line(), e.column()),
            )
        })?;
        self.call(|c| async move { c.draft_test_json(bundle).await.map(Into::into) })
            .await
    }

    pub async fn run_test(
        &self,
        test_id: String,
        language: CardioLanguage,
    ) -> Result<CardioTestResponse> {
        self.call(|c| async move { c.run_test(&test_id, language.into()).await.map(Into::into) })
            .await
    }

    pub async fn test_result(&self, test_id: String) -> Result<CardioReport> {
        self.call(|c| async move { c.test_result(&test_id).await.map(Into::into) })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::bundle::*;
    use super::records::CardioRiskLevel;
    use super::*;
    use cardscan_sandbox::cardio::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};

    /// The whole flow through the FFI types, against the real sandbox.
    #[tokio::test]
    async fn flow_through_the_ffi_records() {
        let sandbox = cardscan_sandbox::Sandbox::start(cardscan_sandbox::SandboxConfig::fast())
            .await
            .unwrap();
        let config = CardioConfig {
            base_url: Some(format!("http://{}", sandbox.addr())),
            connect_timeout_ms: 5000,
            read_timeout_ms: 5000,
            request_timeout_ms: 10000,
            max_retries: 1,
        };
        let client = CardioClient::new(config).unwrap();
        let session = client
            .authenticate(
                DEFAULT_CLIENT_ID.into(),
                DEFAULT_CLIENT_SECRET.into(),
                "api.read api.write".into(),
            )
            .await
            .unwrap();
        assert_eq!(session.expires_in_secs, 3600);
        assert!(client
            .generate_magic_link()
            .await
            .unwrap()
            .url
            .contains("/cardio/magic-login"));

        let today = chrono::Utc::now().date_naive().to_string();
        let q = |biomarker, value| CardioObservation::Quantity {
            biomarker,
            value,
            unit: None,
            effective_date: today.clone(),
        };
        let patient = CardioPatient {
            id: Some("ffi-1".into()),
            gender: Some(CardioGender::Female),
            birth_date: Some("1958-09-30".into()),
        };
        let bundle = build_cardio_bundle(
            patient,
            vec![
                q(CardioBiomarker::TotalCholesterol, 220.0),
                q(CardioBiomarker::HdlCholesterol, 60.0),
                q(CardioBiomarker::LdlCholesterolDirect, 140.0),
                q(CardioBiomarker::SystolicBloodPressure, 128.0),
                q(CardioBiomarker::HbA1c, 5.6),
                CardioObservation::Smoking {
                    status: CardioSmokingStatus::Never,
                    effective_date: today.clone(),
                },
            ],
        )
        .unwrap();
        let draft = client.draft_test(bundle).await.unwrap();
        assert_eq!(
            (
                draft.items_mapped,
                draft.items_rejected,
                draft.items_missing
            ),
            (6, 0, 0)
        );
        let run = client
            .run_test(draft.draft_test_id.clone(), CardioLanguage::De)
            .await
            .unwrap();
        assert!((0.0..=1.0).contains(&run.risk_score));
        assert!(!matches!(run.risk_level, CardioRiskLevel::Other { .. }));
        let report = client.test_result(draft.draft_test_id).await.unwrap();
        assert_eq!(report.risk_score, Some(run.risk_score));
        assert_eq!(report.language.as_deref(), Some("de"));
        assert!(report.raw_json.contains("riskAssessment"));

        let err = client.draft_test("{not json".into()).await.unwrap_err();
        assert!(
            matches!(err, CardScanError::InvalidInput { ref field, .. } if field == "bundleJson")
        );
        let err = client
            .authenticate(DEFAULT_CLIENT_ID.into(), "bad".into(), String::new())
            .await;
        assert!(matches!(err, Err(CardScanError::Unauthorized { .. })));
    }
}
