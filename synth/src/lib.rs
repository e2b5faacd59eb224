//! cardscan-synth: draws insurance-card-like scenes with ground truth, for tests,
//! the evaluation command and model training.
//!
//! Everything is deterministic for a seed (ChaCha8 streams), so a seed names the
//! same picture on every machine.

pub mod card;
pub mod font;
pub mod geom;
mod resample;
mod rng;
pub mod sample;
pub mod scene;
pub mod split;
pub mod stream;
pub mod y4m;

pub use scene::truth::{
    BlurKind, CardTruth, Distractor, DistractorKind, Exposure, GroundTruth, SceneKind,
};
pub use scene::{scene, Difficulty, Scene, SceneConfig};
pub use split::{split_scene, Split};
pub use stream::{sample_stream, SampleStream};

use serde::{Deserialize, Serialize};

/// Which face of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Front,
    Back,
}
