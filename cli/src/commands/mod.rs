//! One module per command group.
pub mod api;
pub mod cardio;
pub mod demo;
pub mod eval;
pub mod sandbox;
pub mod scan;
pub mod synth;
