//! Sensor-to-upright rotation, in Android `ImageProxy.imageInfo.rotationDegrees`
//! semantics: the clockwise rotation that must be applied to the buffer to make
//! it upright. All public coordinates (quads, samples) are upright.

use serde::{Deserialize, Serialize};

/// Clockwise rotation that turns the buffer upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Rotation {
    #[default]
    Deg0,
    Deg90,
    Deg180,
    Deg270,
}

impl Rotation {
    /// From degrees as the platforms report them (0, 90, 180, 270; negative and
    /// ≥ 360 values are normalised). `None` for angles that are not a multiple of 90.
    pub fn from_degrees(degrees: i32) -> Option<Rotation> {
        match degrees.rem_euclid(360) {
            0 => Some(Rotation::Deg0),
            90 => Some(Rotation::Deg90),
            180 => Some(Rotation::Deg180),
            270 => Some(Rotation::Deg270),
            _ => None,
        }
    }

    /// Clockwise degrees.
    pub fn degrees(self) -> u32 {
        match self {
            Rotation::Deg0 => 0,
            Rotation::Deg90 => 90,
            Rotation::Deg180 => 180,
            Rotation::Deg270 => 270,
        }
    }

    /// Whether width and height swap between buffer and upright image.
    pub fn swaps_axes(self) -> bool {
        matches!(self, Rotation::Deg90 | Rotation::Deg270)
    }

    /// Upright size of a `width`×`height` buffer.
    pub fn upright_size(self, width: u32, height: u32) -> (u32, u32) {
        if self.swaps_axes() {
            (height, width)
        } else {
            (width, height)
        }
    }

    /// Maps a continuous upright coordinate (origin at the top-left corner of
    /// the top-left pixel) to the buffer's continuous coordinate.
    pub fn upright_to_buffer(self, x: f32, y: f32, width: u32, height: u32) -> (f32, f32) {
        let (w, h) = (width as f32, height as f32);
        match self {
            Rotation::Deg0 => (x, y),
            Rotation::Deg90 => (y, h - x),
            Rotation::Deg180 => (w - x, h - y),
            Rotation::Deg270 => (w - y, x),
        }
    }

    /// Maps an integer upright pixel index to the buffer's pixel index.
    pub fn upright_to_buffer_px(self, x: u32, y: u32, width: u32, height: u32) -> (u32, u32) {
        match self {
            Rotation::Deg0 => (x, y),
            Rotation::Deg90 => (y, height.saturating_sub(1 + x)),
            Rotation::Deg180 => (width.saturating_sub(1 + x), height.saturating_sub(1 + y)),
            Rotation::Deg270 => (width.saturating_sub(1 + y), x),
        }
    }
}

impl Rotation {
    /// Inverse of [`Rotation::upright_to_buffer`].
    pub fn buffer_to_upright(self, x: f32, y: f32, width: u32, height: u32) -> (f32, f32) {
        let (w, h) = (width as f32, height as f32);
        match self {
            Rotation::Deg0 => (x, y),
            Rotation::Deg90 => (h - y, x),
            Rotation::Deg180 => (w - x, h - y),
            Rotation::Deg270 => (y, w - x),
        }
    }
}
