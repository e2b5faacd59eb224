//! The embedded ONNX networks (the card detector, the second look, the side
//! check and the glare judge), parsed and optimised by tract with a fixed
//! input shape.
//!
//! Why fixed shapes: tract's optimiser then plans every buffer ahead, and a
//! network built for one input size cannot be fed another by mistake.

use std::sync::OnceLock;

use tract_onnx::prelude::*;

/// A network embedded in the library, loaded on first use and shared by the
/// whole process afterwards (a `static`).
pub(crate) struct Embedded {
    name: &'static str,
    onnx: &'static [u8],
    shape: &'static [usize],
    net: OnceLock<Result<Network, ModelError>>,
}

impl Embedded {
    pub(crate) const fn new(
        name: &'static str,
        onnx: &'static [u8],
        shape: &'static [usize],
    ) -> Self {
        Embedded {
            name,
            onnx,
            shape,
            net: OnceLock::new(),
        }
    }

    /// The input shape the network is loaded for.
    pub(crate) fn shape(&self) -> &'static [usize] {
        self.shape
    }

    /// The loaded network: parsed and optimised on the first call (tens of
    /// milliseconds); the same result, success or error, afterwards.
    pub(crate) fn get(&'static self) -> Result<&'static Network, ModelError> {
        self.net
            .get_or_init(|| Network::load(self.name, self.onnx, self.shape))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Why an embedded network could not be used. Only a broken build (a
/// corrupt committed model) or a tract bug can produce these; they carry no
/// image data.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModelError {
    #[error("the embedded {0} model failed to load: {1}")]
    Load(&'static str, String),
    #[error("the {0} model failed to run: {1}")]
    Run(&'static str, String),
    #[error("the {0} model returned an unexpected output shape")]
    OutputShape(&'static str),
}

/// The probability a network's logit stands for.
pub(crate) fn sigmoid(logit: f32) -> f32 {
    1.0 / (1.0 + (-logit).exp())
}

/// One loaded network with a fixed input shape.
pub(crate) struct Network {
    name: &'static str,
    shape: Vec<usize>,
    plan: Arc<TypedSimplePlan>,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("name", &self.name)
            .field("input", &self.shape)
            .finish()
    }
}

impl Network {
    /// Parses and optimises `onnx` (tens of milliseconds) for `shape`.
    pub(crate) fn load(
        name: &'static str,
        onnx: &[u8],
        shape: &[usize],
    ) -> Result<Self, ModelError> {
        let err = |e: TractError| ModelError::Load(name, e.to_string());
        let plan = tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(onnx))
            .map_err(err)?
            .with_input_fact(0, f32::fact(shape).into())
            .map_err(err)?
            .into_optimized()
            .map_err(err)?
            .into_runnable()
            .map_err(err)?;
        Ok(Network {
            name,
            shape: shape.to_vec(),
            plan,
        })
    }

    /// Runs the network on `input` (row-major, the load shape) and returns
    /// each output flattened, checked against `lens`.
    pub(crate) fn run(&self, input: &[f32], lens: &[usize]) -> Result<Vec<Vec<f32>>, ModelError> {
        let tensor = Tensor::from_shape(&self.shape, input)
            .map_err(|e| ModelError::Run(self.name, e.to_string()))?;
        let out = self
            .plan
            .run(tvec!(tensor.into()))
            .map_err(|e| ModelError::Run(self.name, e.to_string()));
        clear_upper_vector_state();
        let out = out?;
        lens.iter()
            .enumerate()
            .map(|(i, &len)| {
                let values = out
                    .get(i)
                    .and_then(|t| t.try_as_plain_ram().ok())
                    .and_then(|view| view.as_slice::<f32>().ok())
                    .filter(|v| v.len() == len)
                    .ok_or(ModelError::OutputShape(self.name))?;
                Ok(values.to_vec())
            })
            .collect()
    }
}

/// Clears the upper halves of the AVX registers after a network run.
///
/// Why: tract's x86-64 kernels use 256- and 512-bit AVX and return without
/// `vzeroupper`, and the rest of the core is compiled for baseline x86-64
/// (SSE, not VEX-encoded). On this project's benchmark machine (AMD EPYC,
/// AVX-512) every SSE instruction after a network run then paid a
/// transition penalty: measured on one 1080p frame, the classical detector
/// with its card check took 9.8 ms instead of 5.6 ms, and the learned
/// detection 4.1 instead of 3.1 ms. Phones (ARM) are unaffected; x86-64
/// simulators and desktops are.
fn clear_upper_vector_state() {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") {
        #[target_feature(enable = "avx")]
        unsafe fn zero_upper() {
            std::arch::x86_64::_mm256_zeroupper();
        }
        // SAFETY: the CPU was just checked to support AVX, the only
        // requirement of `vzeroupper`, which touches no memory.
        unsafe { zero_upper() }
    }
}
