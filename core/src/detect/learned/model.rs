//! The committed ONNX network, parsed and optimised once per process by tract.
//!
//! Shapes are fixed (the optimiser then plans every buffer ahead), and they
//! must match `training/cardnet/model.py`.

use std::sync::OnceLock;

use tract_onnx::prelude::*;

/// Network input width and height (a letterboxed, downscaled luma image).
pub(crate) const IN_W: usize = 160;
pub(crate) const IN_H: usize = 96;
/// Heatmap cell size in input pixels.
pub(crate) const STRIDE: usize = 4;
pub(crate) const HM_W: usize = IN_W / STRIDE;
pub(crate) const HM_H: usize = IN_H / STRIDE;
/// Class head outputs: no card, front, back.
pub(crate) const CLASSES: usize = 3;

/// The model bytes, embedded so the library needs no file at run time.
static ONNX: &[u8] = include_bytes!("../../../models/cardnet.onnx");

type Plan = Arc<TypedSimplePlan>;

/// Why the model could not be used. Only a broken build (a corrupt committed
/// model) or a tract bug can produce these; they carry no image data.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModelError {
    #[error("the embedded card-detection model failed to load: {0}")]
    Load(String),
    #[error("the card-detection model failed to run: {0}")]
    Run(String),
    #[error("the card-detection model returned an unexpected output shape")]
    OutputShape,
}

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
pub(crate) struct CardNet {
    plan: Plan,
}

impl std::fmt::Debug for CardNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardNet")
            .field("input", &[1, 1, IN_H, IN_W])
            .finish()
    }
}

impl CardNet {
    /// The process-wide instance: parsed and optimised on first use (tens of
    /// milliseconds), shared by every detector afterwards.
    pub(crate) fn shared() -> Result<&'static CardNet, ModelError> {
        static NET: OnceLock<Result<CardNet, ModelError>> = OnceLock::new();
        NET.get_or_init(CardNet::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn load() -> Result<CardNet, ModelError> {
        let err = |e: TractError| ModelError::Load(e.to_string());
        let plan = tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(ONNX))
            .map_err(err)?
            .with_input_fact(0, f32::fact([1, 1, IN_H, IN_W]).into())
            .map_err(err)?
            .into_optimized()
            .map_err(err)?
            .into_runnable()
            .map_err(err)?;
        Ok(CardNet { plan })
    }

    /// Runs the network on a `IN_H × IN_W` luma image (values 0–255; the
    /// network normalises internally).
    pub(crate) fn infer(&self, luma: Vec<f32>) -> Result<RawOutput, ModelError> {
        let input = Tensor::from_shape(&[1, 1, IN_H, IN_W], &luma)
            .map_err(|e| ModelError::Run(e.to_string()))?;
        let out = self
            .plan
            .run(tvec!(input.into()))
            .map_err(|e| ModelError::Run(e.to_string()))?;
        let slice = |i: usize| -> Result<&[f32], ModelError> {
            out.get(i)
                .ok_or(ModelError::OutputShape)?
                .try_as_plain_ram()
                .and_then(|view| view.as_slice::<f32>())
                .map_err(|_| ModelError::OutputShape)
        };
        let (heatmaps, offsets, logits) = (slice(0)?.to_vec(), slice(1)?.to_vec(), slice(2)?);
        let plane = HM_H * HM_W;
        if heatmaps.len() != 4 * plane || offsets.len() != 8 * plane || logits.len() != CLASSES {
            return Err(ModelError::OutputShape);
        }
        let mut classes = [0.0; CLASSES];
        classes.copy_from_slice(logits);
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
