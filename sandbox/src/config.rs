//! Sandbox configuration: keys, lifetimes, simulated processing delays and
//! faults active from the start.

use std::time::Duration;

use crate::faults::FaultRule;

/// The API key every sandbox accepts unless configured otherwise. It is a
/// test key by design: the CLI prints it at start so it can be pasted.
pub const DEFAULT_API_KEY: &str = "sk_test_cardscan_ai_local_sandbox";

/// How the sandbox behaves. `Default` feels like the real service when you
/// watch it from the CLI; `fast()` keeps tests quick.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// API keys accepted as `Authorization: Bearer <key>`.
    pub api_keys: Vec<String>,
    /// Lifetime of session tokens from `/access-token`.
    pub token_ttl: Duration,
    /// Lifetime of magic links (the real service: one hour).
    pub magic_link_ttl: Duration,
    /// Time spent in each card processing state.
    pub state_delay: Duration,
    /// Time between `completed` and `enriched`.
    pub enrich_delay: Duration,
    /// Time an eligibility request stays `processing`.
    pub eligibility_delay: Duration,
    /// Faults active from the start.
    pub faults: Vec<FaultRule>,
    /// Key used to sign tokens, upload policies and image URLs. Random per
    /// sandbox unless set, so tokens from another run are rejected.
    pub signing_secret: Option<Vec<u8>>,
    /// Largest image accepted by direct upload and presigned POST, in bytes.
    pub max_upload_bytes: usize,
    /// When set, presigned POST policies expire after this instead of the
    /// requested `expiration` (100..3600 s), so tests can see an expired policy.
    pub upload_policy_ttl: Option<Duration>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            api_keys: vec![DEFAULT_API_KEY.to_string()],
            token_ttl: Duration::from_secs(3600),
            magic_link_ttl: Duration::from_secs(3600),
            state_delay: Duration::from_millis(400),
            enrich_delay: Duration::from_secs(2),
            eligibility_delay: Duration::from_millis(800),
            faults: Vec::new(),
            signing_secret: None,
            max_upload_bytes: 10 * 1024 * 1024,
            upload_policy_ttl: None,
        }
    }
}

impl SandboxConfig {
    /// Short delays (about 20 ms per step) for tests.
    pub fn fast() -> Self {
        SandboxConfig {
            state_delay: Duration::from_millis(20),
            enrich_delay: Duration::from_millis(40),
            eligibility_delay: Duration::from_millis(20),
            ..SandboxConfig::default()
        }
    }
}
