//! The records the sandbox keeps in memory.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

/// Card states as the API spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardState {
    Pending,
    FrontsideProcessing,
    FrontsideFailed,
    BacksideProcessing,
    BacksideFailed,
    PostProcessing,
    Completed,
    Enriched,
}

impl CardState {
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::Pending => "pending",
            CardState::FrontsideProcessing => "frontside_processing",
            CardState::FrontsideFailed => "frontside_failed",
            CardState::BacksideProcessing => "backside_processing",
            CardState::BacksideFailed => "backside_failed",
            CardState::PostProcessing => "post_processing",
            CardState::Completed => "completed",
            CardState::Enriched => "enriched",
        }
    }

    /// A failed card takes no more uploads: clients start a new card.
    pub fn is_failed(self) -> bool {
        matches!(self, CardState::FrontsideFailed | CardState::BacksideFailed)
    }

    /// Completed or enriched: the result is there.
    pub fn has_result(self) -> bool {
        matches!(self, CardState::Completed | CardState::Enriched)
    }
}

/// Front or back of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Front,
    Back,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }

    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "front" => Some(Side::Front),
            "back" => Some(Side::Back),
            _ => None,
        }
    }
}

/// Who owns a record, copied from the caller that created it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Owner {
    /// The token identity (`None` when created with an API key).
    pub identity: Option<String>,
    /// The session whose WebSockets see the record's events. For a card
    /// uploaded with a magic-link token this is the desktop's session.
    pub session_id: Option<String>,
}

/// An uploaded image of one side.
#[derive(Clone, Debug)]
pub struct SideImage {
    pub scan_id: Uuid,
    pub bytes: Bytes,
    pub content_type: &'static str,
    /// Decodes and is at least card-photo sized.
    pub acceptable: bool,
}

/// A card and everything known about it.
#[derive(Clone, Debug)]
pub struct Card {
    pub id: Uuid,
    pub seq: u64,
    pub owner: Owner,
    pub state: CardState,
    pub created_at: DateTime<Utc>,
    pub deleted: bool,
    pub backside: bool,
    pub metadata: Option<Value>,
    pub front: Option<SideImage>,
    pub back: Option<SideImage>,
    pub error: Option<Value>,
    pub flags: Vec<Value>,
    pub performance: Vec<Value>,
    /// A lifecycle task is advancing this card.
    pub advancing: bool,
}

impl Card {
    pub fn new(id: Uuid, seq: u64, owner: Owner, backside: bool, metadata: Option<Value>) -> Card {
        Card {
            id,
            seq,
            owner,
            state: CardState::Pending,
            created_at: Utc::now(),
            deleted: false,
            backside,
            metadata,
            front: None,
            back: None,
            error: None,
            flags: Vec::new(),
            performance: Vec::new(),
            advancing: false,
        }
    }

    pub fn side(&self, side: Side) -> Option<&SideImage> {
        match side {
            Side::Front => self.front.as_ref(),
            Side::Back => self.back.as_ref(),
        }
    }
}

/// A scan: one upload slot of one side, created by an upload or by an
/// upload-URL request (presigned POST).
#[derive(Clone, Debug)]
pub struct Scan {
    pub card_id: Uuid,
    pub side: Side,
    pub metadata: Option<Value>,
    /// The image arrived (a presigned re-post must not restart processing).
    pub received: bool,
}

/// Eligibility states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EligibilityState {
    Processing,
    Completed,
    Error,
}

impl EligibilityState {
    pub fn as_str(self) -> &'static str {
        match self {
            EligibilityState::Processing => "processing",
            EligibilityState::Completed => "completed",
            EligibilityState::Error => "error",
        }
    }
}

/// An eligibility request and its outcome.
#[derive(Clone, Debug)]
pub struct Eligibility {
    pub id: Uuid,
    pub seq: u64,
    pub card_id: Uuid,
    pub owner: Owner,
    pub state: EligibilityState,
    pub created_at: DateTime<Utc>,
    pub request: Value,
    pub response: Option<Value>,
    pub summary: Option<Value>,
    pub error: Option<Value>,
    /// Whether the subscriber matches the card's member.
    pub subscriber_matches: bool,
}

/// A magic link issued to a desktop session.
#[derive(Clone, Debug)]
pub struct MagicLink {
    pub owner: Owner,
    pub user_id: Option<String>,
    pub expires_at: DateTime<Utc>,
}
