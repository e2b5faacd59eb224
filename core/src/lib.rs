//! cardscan-core: the Rust core that the iOS and Android SDKs embed.
//!
//! Two halves, both plain Rust with no knowledge of UniFFI (the FFI lives in
//! `bindings/ffi`):
//!
//! * **On-device scanning** — [`frame`] (camera buffers) → [`detect`] (card
//!   quadrilateral and side) → [`quality`] (blur, glare, exposure, distance) →
//!   [`capture`] (feedback and auto-capture state machine) → [`rectify`]
//!   (perspective-corrected card, JPEG); [`still`] decodes photos (JPEG, PNG)
//!   with limits and refuses truncated ones.
//! * **API client** — [`api`] (HTTP, auth, retries, typed models), [`upload`]
//!   (three upload flows), [`events`] (WebSocket with polling fallback),
//!   [`eligibility`], [`handoff`] (magic links), [`cardio`] (CardioExplorer).

pub mod error;
mod fastmath;
pub mod onnx;

pub mod api;
pub mod cardio;
pub mod eligibility;
pub mod events;
pub mod handoff;
pub mod upload;

pub mod analyze;
pub mod capture;
pub mod detect;
pub mod frame;
pub mod quality;
pub mod rectify;
pub mod still;
