//! Where the zoomed look crops: the working image around the network's own
//! guess of the corners, for a card it saw too small to be sure of.
//!
//! Why: the network sees the frame at 160 × 96; a card 150 px wide in a
//! 1280-px frame is 19 px there, and the class head is then often unsure
//! (and the classical fallback finds no lines around a small card in
//! clutter). Its corner heatmaps still point near the card, so a crop
//! around them, run through the network again, shows the card about twice
//! as large.

use crate::detect::Quad;
use crate::frame::ScaledLuma;

/// Crop side over the guess's extent (its bounding box, per axis, taken
/// against the working image's side): room for the guess being off and
/// for the card's surroundings, which the network needs to see an edge.
const MARGIN: f32 = 2.0;

/// Smallest crop, as a share of the working image's sides: half, which the
/// network sees at the working image's own resolution (160 × 90 of
/// 320 × 180), so no crop is upsampled.
pub(super) const MIN_CROP: f32 = 0.5;

/// Largest crop worth the second run: above 3/4 of the working image the
/// network's view gains less than a factor 1.33. Test and train splits,
/// found (normal / hard), crops up to 3/4 against up to the whole image:
/// the same cards on all four (93.1 / 72.0 %, 90.9 / 71.9 %).
pub(super) const MAX_CROP: f32 = 0.75;

/// The crop of `work` (same aspect ratio, clamped inside it) centred on
/// `guess` (upright frame pixels), or `None` when the guess is not finite
/// or needs a crop larger than [`MAX_CROP`].
fn focus_crop(work: &ScaledLuma, guess: &Quad) -> Option<ScaledLuma> {
    let (w, h) = work.image.dimensions();
    if w < 2 || h < 2 {
        return None;
    }
    let pts = guess.corners.map(|p| work.from_frame(p.x, p.y));
    if pts.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
        return None;
    }
    let (min_x, max_x) = span(pts.map(|p| p.0));
    let (min_y, max_y) = span(pts.map(|p| p.1));
    let extent = ((max_x - min_x) / w as f32).max((max_y - min_y) / h as f32);
    let share = (extent * MARGIN).max(MIN_CROP);
    if share > MAX_CROP {
        return None;
    }
    crop_around(work, (min_x + max_x) / 2.0, (min_y + max_y) / 2.0, share)
}

/// Crops for the zoomed look, in the order tried: the one around the whole
/// guess when it is small enough (see [`focus_crop`]), then, with
/// `corners`, a smallest crop ([`MIN_CROP`]) around each of the guess's
/// corners inside the image, corners closer than a quarter crop to one
/// already taken left out.
///
/// Why: on a small card each corner heatmap peaks on its own, and one or
/// two of them often land on something else in the scene (a notebook, a
/// phone, a shadow) while the others sit on the card; the box around all
/// four then spans most of the frame (no crop) or is centred off the card.
/// Found on test / test hard / train / train hard with the box crop only:
/// 93.7 / 72.0 / 91.2 / 73.8 %; corner crops only when there is no box
/// crop: 93.7 / 73.2 / 91.2 / 74.4 %; corner crops always: 94.0 / 73.8 /
/// 91.2 / 75.0 %; corner crops from a card probability of 0.2 (the
/// caller's choice, shipped): 93.7 / 73.8 / 91.2 / 75.0 % (mean IoU test
/// hard 0.8312 → 0.8632, train hard 0.8639 → 0.8781, normal splits
/// unchanged); no false positive in any.
pub(super) fn focus_crops(work: &ScaledLuma, guess: &Quad, corners: bool) -> Vec<ScaledLuma> {
    let mut crops: Vec<ScaledLuma> = focus_crop(work, guess).into_iter().collect();
    if !corners {
        return crops;
    }
    let (w, h) = work.image.dimensions();
    let (w, h) = (w as f32, h as f32);
    let apart = MIN_CROP * w / 4.0;
    let mut centres: Vec<(f32, f32)> = Vec::new();
    for p in guess.corners {
        let (x, y) = work.from_frame(p.x, p.y);
        // (A NaN is in no range.)
        let inside = (0.0..w).contains(&x) && (0.0..h).contains(&y);
        if inside
            && centres
                .iter()
                .all(|&(cx, cy)| (cx - x).hypot(cy - y) >= apart)
        {
            centres.push((x, y));
        }
    }
    crops.extend(
        centres
            .into_iter()
            .filter_map(|(x, y)| crop_around(work, x, y, MIN_CROP)),
    );
    crops
}

/// The crop of `work` a share `share` of its sides, centred on working
/// pixel (`x`, `y`) and clamped inside it.
fn crop_around(work: &ScaledLuma, x: f32, y: f32, share: f32) -> Option<ScaledLuma> {
    let (w, h) = work.image.dimensions();
    if w < 2 || h < 2 {
        return None;
    }
    let (cw, ch) = (
        ((w as f32 * share).round() as u32).clamp(1, w),
        ((h as f32 * share).round() as u32).clamp(1, h),
    );
    let (x0, y0) = (origin(x, cw, w), origin(y, ch, h));
    Some(ScaledLuma {
        image: image::imageops::crop_imm(&work.image, x0, y0, cw, ch).to_image(),
        scale_x: work.scale_x,
        scale_y: work.scale_y,
        offset_x: work.offset_x + x0 as f32 * work.scale_x,
        offset_y: work.offset_y + y0 as f32 * work.scale_y,
    })
}

/// Smallest and largest of `v`.
fn span(v: [f32; 4]) -> (f32, f32) {
    v.iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// The first pixel of a crop `size` wide centred on `centre`, kept inside
/// an image `full` wide.
fn origin(centre: f32, size: u32, full: u32) -> u32 {
    let room = full.saturating_sub(size) as f32;
    (centre - size as f32 / 2.0).round().clamp(0.0, room) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Point;
    use image::{GrayImage, Luma};

    /// A 320 × 180 working image of a 1920 × 1080 frame (6 frame pixels per
    /// pixel) with a gradient, so crops can be checked pixel by pixel.
    fn work() -> ScaledLuma {
        ScaledLuma {
            image: GrayImage::from_fn(320, 180, |x, y| Luma([((x + 2 * y) % 251) as u8])),
            scale_x: 6.0,
            scale_y: 6.0,
            offset_x: 0.0,
            offset_y: 0.0,
        }
    }

    fn quad(x0: f32, y0: f32, x1: f32, y1: f32) -> Quad {
        Quad::new([
            Point::new(x0, y0),
            Point::new(x1, y0),
            Point::new(x1, y1),
            Point::new(x0, y1),
        ])
    }

    #[test]
    fn a_small_guess_gets_a_half_size_crop_around_it_that_maps_back_to_the_frame() {
        let w = work();
        // 120 × 72 frame pixels = 20 × 12 working pixels, centred at (100, 60).
        let guess = quad(540.0, 324.0, 660.0, 396.0);
        let crop = focus_crop(&w, &guess).expect("a crop");
        assert_eq!(crop.image.dimensions(), (160, 90));
        // Centred on the guess: (100, 60) - (80, 45) = (20, 15).
        assert_eq!((crop.offset_x, crop.offset_y), (120.0, 90.0));
        // Every crop pixel is the working pixel at the same frame point.
        for (x, y) in [(0, 0), (159, 89), (37, 41)] {
            let (fx, fy) = crop.to_frame(x as f32, y as f32);
            let (wx, wy) = w.from_frame(fx, fy);
            assert_eq!(
                crop.image.get_pixel(x, y),
                w.image.get_pixel(wx as u32, wy as u32)
            );
        }
    }

    #[test]
    fn crops_stay_inside_the_image_and_grow_with_the_guess() {
        let w = work();
        // Near the bottom-right corner: clamped inside.
        let crop = focus_crop(&w, &quad(1800.0, 1000.0, 1900.0, 1070.0)).unwrap();
        assert_eq!(crop.image.dimensions(), (160, 90));
        assert_eq!((crop.offset_x, crop.offset_y), (960.0, 540.0));
        // A guess 0.35 of the frame wide: a 0.7 crop.
        let crop = focus_crop(&w, &quad(600.0, 300.0, 1272.0, 500.0)).unwrap();
        assert_eq!(crop.image.dimensions(), (224, 126));
    }

    #[test]
    fn a_spread_guess_gets_a_smallest_crop_around_each_corner_in_the_image() {
        let w = work();
        // Three corners on a small card near (300, 300) frame px, one on
        // something far off: no box crop, two corner crops (the card's
        // other corners are within a quarter crop, 240 frame px, of its
        // first).
        let guess = Quad::new([
            Point::new(300.0, 300.0),
            Point::new(420.0, 310.0),
            Point::new(1700.0, 900.0),
            Point::new(290.0, 380.0),
        ]);
        assert!(focus_crop(&w, &guess).is_none());
        let crops = focus_crops(&w, &guess, true);
        assert_eq!(crops.len(), 2);
        for c in &crops {
            assert_eq!(c.image.dimensions(), (160, 90));
        }
        // The first is centred on the first corner (clamped at the left).
        assert_eq!((crops[0].offset_x, crops[0].offset_y), (0.0, 30.0));
        // The far corner's crop is clamped at the bottom-right.
        assert_eq!((crops[1].offset_x, crops[1].offset_y), (960.0, 540.0));
        // Corners outside the image or not finite get none.
        let off = Quad::new([
            Point::new(-500.0, 300.0),
            Point::new(f32::NAN, 310.0),
            Point::new(3000.0, 900.0),
            Point::new(290.0, 5000.0),
        ]);
        assert!(focus_crops(&w, &off, true).is_empty());
    }

    #[test]
    fn a_compact_guess_gets_its_box_crop_first() {
        let w = work();
        let guess = quad(540.0, 324.0, 660.0, 396.0);
        let crops = focus_crops(&w, &guess, true);
        // The box crop, then one corner crop: the other corners are within
        // a quarter crop (240 frame px) of the first.
        assert_eq!(crops.len(), 2);
        assert_eq!((crops[0].offset_x, crops[0].offset_y), (120.0, 90.0));
        assert_eq!((crops[1].offset_x, crops[1].offset_y), (60.0, 54.0));
    }

    #[test]
    fn large_or_broken_guesses_get_no_crop() {
        let w = work();
        assert!(focus_crop(&w, &quad(200.0, 200.0, 1400.0, 900.0)).is_none());
        assert!(focus_crop(&w, &quad(f32::NAN, 0.0, 10.0, 10.0)).is_none());
        assert!(focus_crop(&w, &quad(f32::INFINITY, 0.0, 10.0, 10.0)).is_none());
        let tiny = ScaledLuma {
            image: GrayImage::new(1, 1),
            ..work()
        };
        assert!(focus_crop(&tiny, &quad(0.0, 0.0, 1.0, 1.0)).is_none());
    }
}
