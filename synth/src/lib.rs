//! cardscan-synth: draws insurance-card-like scenes with ground truth.
