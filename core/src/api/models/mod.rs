//! Typed models of the CardScan API (serde). They tolerate unknown fields and
//! enum values, keep scores as the strings the API sends, and accept the
//! three timestamp forms found on the wire.

mod card;
mod eligibility;
mod event;
mod page;
mod session;
mod time;
mod upload;
pub(crate) mod wire;

pub use card::{
    BacksideConfig, BacksideScanning, Card, CardDetails, CardImages, CardState, CreateCardRequest,
    EnrichedAddress, EnrichedCopay, EnrichedPhoneNumber, EnrichedResults, FlagRequest, FlagType,
    ImageRef, MatchScore, ModelError, PayerMatch, PayerMatchCandidate,
};
pub use eligibility::{
    Amount, Amounts, CoverageSummary, EligibilityInfo, EligibilityRecord, EligibilityState,
    EligibilitySummary, Provider, Subscriber,
};
pub use event::{CardEvent, EventKind};
pub use page::{CardPage, EligibilityPage, PageRequest, ResponseMetadata};
pub use session::{MagicLink, SessionToken};
pub use time::{parse_timestamp, Timestamp};
pub use upload::{CaptureType, DirectUploadResponse, Orientation, UploadUrl};
