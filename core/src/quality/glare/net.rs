//! The glare judge: a tiny committed network (`core/models/glarenet.onnx`,
//! trained by `training/train_glare.py`) that says whether a reflection
//! washed out part of the card.
//!
//! Why, next to the blob measure: on a card whose paper is itself near
//! white, a reflection is no brighter than the paper and the blob measure
//! cannot see it (it reports nothing rather than flag every white card).
//! What is left to see is what the reflection erased: print fading out
//! toward a soft rim, a magnetic stripe or a coloured band turning white.
//! Those are patterns, which a network learns from the generator's labelled
//! scenes and thresholds do not capture.
//!
//! Input: the [`CardView`] at its default size (256 × 161), first 160 rows,
//! box-downscaled 2× to 128 × 80, two channels: luma and the view's colour
//! spread (255 where colour was not sampled), raw 0–255 values.

use crate::onnx::{sigmoid, Embedded, ModelError};
use crate::quality::CardView;

/// The view size the network was trained on.
pub const VIEW_W: usize = 256;
pub const VIEW_H: usize = 161;
const IN_W: usize = VIEW_W / 2;
const IN_H: usize = 80;

static NET: Embedded = Embedded::new(
    "glare",
    include_bytes!("../../../models/glarenet.onnx"),
    &[1, 2, IN_H, IN_W],
);

/// Parses and optimises the network (about 9 ms) ahead of the first card
/// frame, which would otherwise pay for it.
pub fn load() -> Result<(), ModelError> {
    NET.get().map(|_| ())
}

/// Probability (0–1) that glare washed out part of the card in `view`;
/// `Ok(None)` when the view is not the size the network was trained on.
pub fn probability(view: &CardView) -> Result<Option<f32>, ModelError> {
    let len = VIEW_W * VIEW_H;
    if view.width != VIEW_W
        || view.height != VIEW_H
        || view.luma.len() != len
        || view.chroma.len() != len
    {
        return Ok(None);
    }
    let input = input(view);
    let logit = NET.get()?.run(&input, &[1])?[0][0];
    Ok(Some(sigmoid(logit)))
}

/// The network input: per channel, 2 × 2 box means of the view's first
/// `2 · IN_H` rows.
fn input(view: &CardView) -> Vec<f32> {
    let mut out = Vec::with_capacity(2 * IN_H * IN_W);
    for plane in [&view.luma, &view.chroma] {
        for y in 0..IN_H {
            let (r0, r1) = (2 * y * VIEW_W, (2 * y + 1) * VIEW_W);
            out.extend((0..IN_W).map(|x| {
                let sum = u32::from(plane[r0 + 2 * x])
                    + u32::from(plane[r0 + 2 * x + 1])
                    + u32::from(plane[r1 + 2 * x])
                    + u32::from(plane[r1 + 2 * x + 1]);
                sum as f32 / 4.0
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_gives_a_probability() {
        let view = CardView::from_fn(VIEW_W, VIEW_H, |_, _| (128, 255));
        let p = probability(&view).unwrap().unwrap();
        assert!((0.0..=1.0).contains(&p));
    }

    #[test]
    fn a_view_of_another_size_is_not_judged() {
        let view = CardView::from_fn(100, 60, |_, _| (128, 255));
        assert_eq!(probability(&view).unwrap(), None);
    }

    #[test]
    fn a_view_whose_planes_do_not_match_its_size_is_not_judged() {
        let mut view = CardView::from_fn(VIEW_W, VIEW_H, |_, _| (128, 255));
        view.chroma.truncate(10);
        assert_eq!(probability(&view).unwrap(), None);
    }

    #[test]
    fn input_is_the_two_by_two_mean_of_each_channel() {
        let view = CardView::from_fn(VIEW_W, VIEW_H, |x, y| {
            ((x % 2 * 100) as u8, (y % 2 * 50) as u8)
        });
        let x = input(&view);
        assert_eq!(x.len(), 2 * IN_H * IN_W);
        assert_eq!(x[0], 50.0);
        assert_eq!(x[IN_H * IN_W], 25.0);
    }
}
