//! CardioExplorer (`https://api.cardioexplorer.ai`): a second health API that
//! apps reach through the same core. An organisation authenticates with a
//! client id and secret, drafts a coronary risk test (CCSTest) from a FHIR
//! bundle of a patient's observations, runs it and reads the report, or hands
//! a clinician a magic link into CardioExplorer's own UI.
//!
//! HTTP, retries, timeouts and token refresh come from [`crate::api`]; this
//! module adds the API's paths, answer shapes and FHIR builders.

mod auth;
mod client;
mod envelope;
pub mod fhir;
pub mod models;

pub use auth::ClientCredentials;
pub use client::{CardioClient, CardioConfig, DEFAULT_BASE_URL};
pub use envelope::CardioErrorDecoder;
pub use fhir::{Biomarker, Bundle, BundleBuilder, Gender, Observation, Patient, SmokingStatus};
pub use models::{
    AuthSession, DraftTest, Language, MagicLink, MissingItem, Organization, PatientReport,
    RejectedItem, ReportBiomarker, RiskAssessment, RiskLevel, TestResponse,
};
