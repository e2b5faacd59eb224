//! A second look at a candidate outline: a small network
//! (`core/models/secondlook.onnx`, trained by `training/train_second_look.py`)
//! that sees the outline's rectified view and says whether it is on a card
//! at all, where the card's corners are, which side it shows and whether it
//! is upside down.
//!
//! Why: a rectangle is not a card. Paper sheets, phones, screens and book
//! covers give the classical detector the same four strong edges; what tells
//! a card is its content and its proportions in context, which a network
//! reads and edge statistics do not. Its corner head was meant to correct the
//! learned detector's outline (whose misses are one side off by 5–30 % of the
//! card's width); measured, it adds little after snapping, so it is opt-in
//! there ([`super::LearnedDetector::with_corner_refiner`]).
//!
//! The view: [`VIEW_W`] × [`VIEW_H`] pixels sampled bilinearly from a working
//! luma image (the frame box-downscaled to about 320 × 180 in training;
//! the classical detector passes its 400-wide working image, which tested
//! the same) through the
//! homography that maps the canonical card rectangle onto the outline; two
//! channels, luma (0 outside the frame) and "inside the frame" (255 / 0).
//! Must match `training/cardnet/second_look.py`.

use super::homography::Homography;
use super::learned::decode::{self, Grid};
use super::{Point, Quad};
use crate::frame::ScaledLuma;
use crate::onnx::{sigmoid, Embedded, ModelError};

pub(crate) const VIEW_W: usize = 112;
pub(crate) const VIEW_H: usize = 80;
/// The canonical card rectangle in the view (x0, y0, x1, y1): 80 × 50
/// pixels with 20 % of the card's width and 30 % of its height as margin
/// for the detector's errors.
const CARD: [f32; 4] = [16.0, 15.0, 96.0, 65.0];
const GRID: Grid = Grid {
    w: VIEW_W / 8,
    h: VIEW_H / 8,
    stride: 8,
};

static NET: Embedded = Embedded::new(
    "second-look",
    include_bytes!("../../models/secondlook.onnx"),
    &[1, 2, VIEW_H, VIEW_W],
);

/// Parses and optimises the network (about 27 ms), so that the first frame
/// that needs it (a fallback or a second opinion) does not pay for it.
pub(crate) fn load() -> Result<(), ModelError> {
    NET.get().map(|_| ())
}

/// What the second look says about one outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SecondLook {
    /// Corners in frame pixels, in the order of the outline given.
    pub quad: Quad,
    /// Probability that the outline is on a card at all.
    pub card_probability: f32,
    /// If it is a card: probability that it shows its back.
    pub back_probability: f32,
    /// If it is a card (outline given long side first): probability that
    /// the card is upside down, i.e. its top-left is the outline's third
    /// corner rather than its first.
    pub upside_down_probability: f32,
}

/// Looks at `quad` (frame pixels) on `work`, the frame's downscaled luma.
/// `Ok(None)` when the outline maps to a degenerate view or the output does
/// not decode.
pub(crate) fn look(work: &ScaledLuma, quad: &Quad) -> Result<Option<SecondLook>, ModelError> {
    let to_work = |p: Point| {
        Point::new(
            (p.x - work.offset_x) / work.scale_x,
            (p.y - work.offset_y) / work.scale_y,
        )
    };
    let Some(h) = Homography::from_points(&canonical(), &quad.corners.map(to_work)) else {
        return Ok(None);
    };
    let Some(view) = sample_view(work, &h) else {
        return Ok(None);
    };
    let plane = GRID.plane();
    let out = NET.get()?.run(&view, &[4 * plane, 8 * plane, 1, 2])?;
    let Some(pts) = decode::corners(GRID, &out[0], &out[1]) else {
        return Ok(None);
    };
    let mut corners = [Point::new(0.0, 0.0); 4];
    for (c, (x, y)) in corners.iter_mut().zip(pts) {
        let Some(p) = h.apply(Point::new(x, y)) else {
            return Ok(None);
        };
        *c = Point::new(
            p.x * work.scale_x + work.offset_x,
            p.y * work.scale_y + work.offset_y,
        );
    }
    Ok(Some(SecondLook {
        quad: Quad::new(corners),
        card_probability: sigmoid(out[2][0]),
        back_probability: sigmoid(out[3][0]),
        upside_down_probability: sigmoid(out[3][1]),
    }))
}

fn canonical() -> [Point; 4] {
    let [x0, y0, x1, y1] = CARD;
    [
        Point::new(x0, y0),
        Point::new(x1, y0),
        Point::new(x1, y1),
        Point::new(x0, y1),
    ]
}

/// The network input (`2 × VIEW_H × VIEW_W`, row-major): each view pixel's
/// centre mapped through `h` into `work`, bilinear between pixel centres
/// (edge pixels repeated), 0 and "outside" beyond the image. `None` if a
/// pixel maps to infinity.
fn sample_view(work: &ScaledLuma, h: &Homography) -> Option<Vec<f32>> {
    let (w, hgt) = work.image.dimensions();
    if w == 0 || hgt == 0 {
        return None;
    }
    let plane = VIEW_W * VIEW_H;
    let mut out = vec![0.0f32; 2 * plane];
    for j in 0..VIEW_H {
        for i in 0..VIEW_W {
            let p = h.apply(Point::new(i as f32 + 0.5, j as f32 + 0.5))?;
            if let Some(v) = work.sample(p.x, p.y) {
                out[j * VIEW_W + i] = v;
                out[plane + j * VIEW_W + i] = 255.0;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GrayImage;

    fn work(img: GrayImage, scale: f32) -> ScaledLuma {
        ScaledLuma {
            image: img,
            scale_x: scale,
            scale_y: scale,
            offset_x: 0.0,
            offset_y: 0.0,
        }
    }

    /// A bright ID-1 card on a dark table, as the working image sees it.
    fn card_scene(card: [f32; 4]) -> GrayImage {
        GrayImage::from_fn(320, 180, |x, y| {
            let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
            let inside = x > card[0] && x < card[2] && y > card[1] && y < card[3];
            image::Luma([if inside { 220 } else { 40 }])
        })
    }

    fn rect(r: [f32; 4]) -> Quad {
        Quad::new([
            Point::new(r[0], r[1]),
            Point::new(r[2], r[1]),
            Point::new(r[2], r[3]),
            Point::new(r[0], r[3]),
        ])
    }

    #[test]
    fn view_of_the_canonical_outline_is_the_image_itself() {
        // Outline = the canonical rectangle on a 1:1 image: the view is
        // the image's top-left VIEW_W × VIEW_H pixels, all inside.
        let img = GrayImage::from_fn(200, 100, |x, y| {
            image::Luma([((x * 3 + y * 7) % 251) as u8])
        });
        let w = work(img.clone(), 1.0);
        let h = Homography::from_points(&canonical(), &canonical()).unwrap();
        let v = sample_view(&w, &h).unwrap();
        for (j, i) in [(0, 0), (10, 37), (79, 111)] {
            assert!(
                (v[j * VIEW_W + i] - img.get_pixel(i as u32, j as u32).0[0] as f32).abs() < 1e-3
            );
            assert_eq!(v[VIEW_W * VIEW_H + j * VIEW_W + i], 255.0);
        }
    }

    #[test]
    fn pixels_outside_the_frame_are_zero_and_marked() {
        let w = work(GrayImage::from_pixel(320, 180, image::Luma([200])), 1.0);
        // A card whose left part is outside the frame.
        let q = rect([-60.0, 40.0, 60.0, 115.0]);
        let h = Homography::from_points(&canonical(), &q.corners).unwrap();
        let v = sample_view(&w, &h).unwrap();
        let plane = VIEW_W * VIEW_H;
        assert_eq!((v[40 * VIEW_W + 5], v[plane + 40 * VIEW_W + 5]), (0.0, 0.0));
        assert_eq!(
            (v[40 * VIEW_W + 100], v[plane + 40 * VIEW_W + 100]),
            (200.0, 255.0)
        );
    }

    #[test]
    fn a_sloppy_outline_moves_toward_the_card() {
        // The card spans 100..220 × 60..136 of the working image (frame
        // pixels ×4, a 720p frame); the outline given has its right side
        // 18 working pixels (15 % of the width) short and its top 6 low.
        let card = [100.0, 60.0, 220.0, 136.0];
        let w = work(card_scene(card), 4.0);
        let frame = |r: [f32; 4]| rect(r.map(|v| v * 4.0));
        let sloppy = frame([100.0, 66.0, 202.0, 136.0]);
        let truth = frame(card);
        let r = look(&w, &sloppy).unwrap().unwrap();
        let err = |q: &Quad| {
            q.corners
                .iter()
                .zip(truth.corners)
                .map(|(a, b)| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt())
                .fold(0.0f32, f32::max)
        };
        assert!(
            err(&r.quad) < 0.4 * err(&sloppy),
            "{:?} vs {:?}",
            r.quad,
            truth
        );
        assert!(r.card_probability.is_finite());
    }

    #[test]
    fn degenerate_outline_is_none_not_a_panic() {
        let w = work(GrayImage::new(320, 180), 4.0);
        let p = Point::new(10.0, 10.0);
        assert_eq!(look(&w, &Quad::new([p; 4])).unwrap(), None);
        let empty = work(GrayImage::new(0, 0), 4.0);
        assert_eq!(look(&empty, &rect([0.0, 0.0, 40.0, 25.0])).unwrap(), None);
    }
}
