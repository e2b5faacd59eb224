//! The committed ONNX network, parsed and optimised once per process by tract.
//!
//! Shapes must match `training/cardnet/model.py`.

use super::decode::Grid;
pub use crate::onnx::ModelError;
use crate::onnx::{Embedded, Network};

/// Network input width and height (a letterboxed, downscaled luma image).
pub(crate) const IN_W: usize = 160;
pub(crate) const IN_H: usize = 96;
/// Heatmap cell size in input pixels.
pub(crate) const STRIDE: usize = 4;
pub(crate) const HM_W: usize = IN_W / STRIDE;
pub(crate) const HM_H: usize = IN_H / STRIDE;
/// The heatmap grid, for decoding.
pub(crate) const GRID: Grid = Grid {
    w: HM_W,
    h: HM_H,
    stride: STRIDE,
};
/// Class head outputs: no card, front, back.
pub(crate) const CLASSES: usize = 3;

/// The model, embedded so the library needs no file at run time.
static NET: Embedded = Embedded::new(
    "card-detection",
    include_bytes!("../../../models/cardnet.onnx"),
    &[1, 1, IN_H, IN_W],
);

/// Raw network outputs for one frame.
#[derive(Debug, Clone)]
pub(crate) struct RawOutput {
    /// `4 × HM_H × HM_W` corner logits, row-major.
    pub heatmaps: Vec<f32>,
    /// `8 × HM_H × HM_W`: per corner `c`, channels `2c` and `2c + 1` hold the
    /// (dx, dy) from each cell's centre to the corner, in cells.
    pub offsets: Vec<f32>,
    /// Class logits: none, front, back.
    pub classes: [f32; CLASSES],
}

/// The loaded network.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CardNet {
    net: &'static Network,
}

impl CardNet {
    /// The process-wide instance: parsed and optimised on first use (tens of
    /// milliseconds), shared by every detector afterwards.
    pub(crate) fn shared() -> Result<CardNet, ModelError> {
        NET.get().map(|net| CardNet { net })
    }

    /// Runs the network on a `IN_H × IN_W` luma image (values 0–255; the
    /// network normalises internally).
    pub(crate) fn infer(&self, luma: Vec<f32>) -> Result<RawOutput, ModelError> {
        let plane = HM_H * HM_W;
        let out = self.net.run(&luma, &[4 * plane, 8 * plane, CLASSES])?;
        let [heatmaps, offsets, logits]: [Vec<f32>; 3] = out
            .try_into()
            .map_err(|_| ModelError::OutputShape("card-detection"))?;
        let mut classes = [0.0; CLASSES];
        classes.copy_from_slice(&logits);
        Ok(RawOutput {
            heatmaps,
            offsets,
            classes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_runs_with_expected_shapes() {
        let net = CardNet::shared().unwrap();
        let out = net.infer(vec![128.0; IN_W * IN_H]).unwrap();
        assert_eq!(out.heatmaps.len(), 4 * HM_W * HM_H);
        assert_eq!(out.offsets.len(), 8 * HM_W * HM_H);
        assert!(out.classes.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn wrong_input_size_is_an_error_not_a_panic() {
        let net = CardNet::shared().unwrap();
        assert!(net.infer(vec![0.0; 10]).is_err());
    }
}
