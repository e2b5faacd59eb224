//! `Card`, its state, details, images, payer match and enrichment.

use cardscan_core::api as core;

use super::{json_of, ServerError};

/// Where a card is in CardScan's processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardState {
    Pending,
    Processing,
    FrontsideProcessing,
    FrontsideFailed,
    BacksideProcessing,
    BacksideFailed,
    PostProcessing,
    Completed,
    Enriched,
    Error,
    /// A state this SDK version does not know yet.
    Unknown,
}

impl From<core::CardState> for CardState {
    fn from(s: core::CardState) -> Self {
        use core::CardState as S;
        match s {
            S::Pending => CardState::Pending,
            S::Processing => CardState::Processing,
            S::FrontsideProcessing => CardState::FrontsideProcessing,
            S::FrontsideFailed => CardState::FrontsideFailed,
            S::BacksideProcessing => CardState::BacksideProcessing,
            S::BacksideFailed => CardState::BacksideFailed,
            S::PostProcessing => CardState::PostProcessing,
            S::Completed => CardState::Completed,
            S::Enriched => CardState::Enriched,
            S::Error => CardState::Error,
            #[allow(unreachable_patterns)]
            _ => CardState::Unknown,
        }
    }
}

/// One extracted value with the model's confidence scores.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct CardField {
    /// API name, e.g. `member_number`.
    pub name: String,
    pub value: String,
    /// Scores exactly as the API sent them.
    pub scores: Vec<String>,
    /// The lowest score as a number, when any parses.
    pub min_score: Option<f64>,
}

impl std::fmt::Debug for CardField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardField")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

fn field(name: &str, m: &core::MatchScore) -> CardField {
    CardField {
        name: name.to_string(),
        value: m.value.clone(),
        scores: m.scores.clone(),
        min_score: m.min_score(),
    }
}

/// A payer the card may belong to.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct PayerMatchCandidate {
    pub payer_id: Option<String>,
    pub payer_name: Option<String>,
    pub clearinghouse: Option<String>,
    pub score: Option<String>,
}

/// Payer matching result (off on sandbox accounts: only `message` is set).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct PayerMatch {
    pub cardscan_payer_id: Option<String>,
    pub cardscan_payer_name: Option<String>,
    pub score: Option<String>,
    pub matches: Vec<PayerMatchCandidate>,
    pub message: Option<String>,
}

/// Addresses, phone numbers and copays read from the card (`enriched`).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EnrichedResults {
    pub addresses: Vec<EnrichedItem>,
    pub phone_numbers: Vec<EnrichedItem>,
    pub copays: Vec<EnrichedCopay>,
}

/// An address or phone number (`value`) with its label and type.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EnrichedItem {
    pub label: String,
    pub kind: String,
    pub value: String,
    pub score: String,
}

/// A copay or deductible.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EnrichedCopay {
    pub service: String,
    pub category: String,
    pub value: Option<f64>,
    pub score: String,
}

/// A scanned insurance card.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct Card {
    pub card_id: String,
    pub state: CardState,
    /// As the API sent it.
    pub created_at: String,
    /// Milliseconds since the Unix epoch, when the timestamp parses.
    pub created_at_ms: Option<i64>,
    pub deleted: bool,
    pub error: Option<ServerError>,
    /// Extracted fields (`member_number`, `group_number`, `payer_name`, …),
    /// in the API's order of the known fields.
    pub details: Vec<CardField>,
    pub dependent_names: Vec<CardField>,
    pub front_image_url: Option<String>,
    pub back_image_url: Option<String>,
    pub payer_match: Option<PayerMatch>,
    pub enriched: Option<EnrichedResults>,
    /// The card exactly as the API returned it.
    pub raw_json: String,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("card_id", &self.card_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl From<core::Card> for Card {
    fn from(c: core::Card) -> Self {
        let raw_json = json_of(&c);
        let details = c
            .details
            .as_ref()
            .map(|d| d.fields().into_iter().map(|(n, m)| field(n, m)).collect());
        let dependents = c.details.as_ref().map(|d| {
            d.dependent_names
                .iter()
                .map(|m| field("dependent_name", m))
                .collect()
        });
        let image = |side: Option<&core::ImageRef>| side.and_then(|r| r.url.clone());
        Card {
            card_id: c.card_id,
            state: c.state.into(),
            created_at: c.created_at.as_str().to_string(),
            created_at_ms: c.created_at.datetime().map(|t| t.timestamp_millis()),
            deleted: c.deleted,
            error: c.error.map(Into::into),
            details: details.unwrap_or_default(),
            dependent_names: dependents.unwrap_or_default(),
            front_image_url: image(c.images.as_ref().and_then(|i| i.front.as_ref())),
            back_image_url: image(c.images.as_ref().and_then(|i| i.back.as_ref())),
            payer_match: c.payer_match.map(payer_match),
            enriched: c.enriched_results.map(enriched),
            raw_json,
        }
    }
}

fn payer_match(p: core::PayerMatch) -> PayerMatch {
    PayerMatch {
        cardscan_payer_id: p.cardscan_payer_id,
        cardscan_payer_name: p.cardscan_payer_name,
        score: p.score,
        matches: p
            .matches
            .into_iter()
            .map(|m| PayerMatchCandidate {
                payer_id: m.payer_id,
                payer_name: m.payer_name,
                clearinghouse: m.clearinghouse,
                score: m.score,
            })
            .collect(),
        message: p.message,
    }
}

fn enriched(e: core::EnrichedResults) -> EnrichedResults {
    EnrichedResults {
        addresses: e
            .addresses
            .into_iter()
            .map(|a| EnrichedItem {
                label: a.label,
                kind: a.kind,
                value: a.address,
                score: a.score,
            })
            .collect(),
        phone_numbers: e
            .phone_numbers
            .into_iter()
            .map(|p| EnrichedItem {
                label: p.label,
                kind: p.kind,
                value: p.number,
                score: p.score,
            })
            .collect(),
        copays: e
            .copays_deductibles
            .into_iter()
            .map(|c| EnrichedCopay {
                service: c.service,
                category: c.category,
                value: c.value,
                score: c.score,
            })
            .collect(),
    }
}

/// One page of cards; pass `nextCursor` to `listCards` for the next.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardPage {
    pub cards: Vec<Card>,
    pub next_cursor: Option<String>,
    pub total: Option<u64>,
}

impl From<core::CardPage> for CardPage {
    fn from(p: core::CardPage) -> Self {
        CardPage {
            cards: p.cards.into_iter().map(Into::into).collect(),
            next_cursor: p.response_metadata.next_cursor,
            total: p.response_metadata.total,
        }
    }
}

/// Why a card's result is being flagged for review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum FlagType {
    MissingElements,
    IncorrectElements,
    BadPayerMatch,
    UnreadableText,
    EligibilityIssue,
    Other,
}

impl From<FlagType> for core::FlagType {
    fn from(f: FlagType) -> Self {
        match f {
            FlagType::MissingElements => core::FlagType::MissingElements,
            FlagType::IncorrectElements => core::FlagType::IncorrectElements,
            FlagType::BadPayerMatch => core::FlagType::BadPayerMatch,
            FlagType::UnreadableText => core::FlagType::UnreadableText,
            FlagType::EligibilityIssue => core::FlagType::EligibilityIssue,
            FlagType::Other => core::FlagType::Other,
        }
    }
}
