//! The card as the quality checks see it: rectified to a fixed small size.
//!
//! Judging the card at one fixed size (rather than the frame at whatever size
//! the card happens to have) makes the scores independent of distance: a far,
//! sharp card and a near, sharp card give the same sharpness.

/// A small rectified view of the card: luma plus a per-pixel "chroma spread"
/// (max − min of R, G, B), which separates washed-out white glare from
/// coloured print.
#[derive(Debug, Clone, PartialEq)]
pub struct CardView {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Luma (BT.601, full range), row-major, `width * height` values.
    pub luma: Vec<u8>,
    /// max(R,G,B) − min(R,G,B) per pixel, row-major.
    pub chroma: Vec<u8>,
}

impl CardView {
    /// A view filled from a luma/chroma sampler called for each pixel centre.
    pub fn from_fn(
        width: usize,
        height: usize,
        mut sample: impl FnMut(usize, usize) -> (u8, u8),
    ) -> Self {
        let mut luma = Vec::with_capacity(width * height);
        let mut chroma = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let (l, c) = sample(x, y);
                luma.push(l);
                chroma.push(c);
            }
        }
        CardView {
            width,
            height,
            luma,
            chroma,
        }
    }

    /// Number of pixels.
    pub fn len(&self) -> usize {
        self.luma.len()
    }

    /// Whether the view has no pixels.
    pub fn is_empty(&self) -> bool {
        self.luma.is_empty()
    }
}
