//! Train / eval / test splits with disjoint seed ranges. The top two bits of a
//! seed name its split, so no index of one split can ever produce a scene of
//! another. The eval split is for measuring only: nothing is tuned or trained on it.

use crate::scene::{scene, Scene, SceneConfig};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Eval,
    Test,
}

/// Indices per split: 2^62 (indices wrap above that, which no run reaches).
pub const SPLIT_SIZE: u64 = 1 << 62;

impl Split {
    fn tag(self) -> u64 {
        match self {
            Split::Train => 0,
            Split::Eval => 1,
            Split::Test => 2,
        }
    }

    /// The scene seed of the `index`-th scene of this split.
    pub fn seed(self, index: u64) -> u64 {
        (self.tag() << 62) | (index % SPLIT_SIZE)
    }

    /// Which split a seed belongs to (seeds with both top bits set belong to none:
    /// they are free for ad-hoc scenes, e.g. tests and demos).
    pub fn of_seed(seed: u64) -> Option<Split> {
        match seed >> 62 {
            0 => Some(Split::Train),
            1 => Some(Split::Eval),
            2 => Some(Split::Test),
            _ => None,
        }
    }
}

impl std::str::FromStr for Split {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "train" => Ok(Split::Train),
            "eval" => Ok(Split::Eval),
            "test" => Ok(Split::Test),
            other => Err(format!(
                "unknown split {other:?} (expected train, eval or test)"
            )),
        }
    }
}

/// The `index`-th scene of `split`.
pub fn split_scene(split: Split, index: u64, cfg: &SceneConfig) -> Scene {
    scene(split.seed(index), cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_never_share_a_seed() {
        for i in [0, 1, 2, 1000, SPLIT_SIZE - 1] {
            let seeds = [
                Split::Train.seed(i),
                Split::Eval.seed(i),
                Split::Test.seed(i),
            ];
            assert_eq!(Split::of_seed(seeds[0]), Some(Split::Train));
            assert_eq!(Split::of_seed(seeds[1]), Some(Split::Eval));
            assert_eq!(Split::of_seed(seeds[2]), Some(Split::Test));
        }
        // The largest train seed is still below the smallest eval seed, and so on.
        assert!(Split::Train.seed(SPLIT_SIZE - 1) < Split::Eval.seed(0));
        assert!(Split::Eval.seed(SPLIT_SIZE - 1) < Split::Test.seed(0));
    }

    #[test]
    fn split_names_parse() {
        assert_eq!("EVAL".parse::<Split>(), Ok(Split::Eval));
        assert!("validation".parse::<Split>().is_err());
    }
}
