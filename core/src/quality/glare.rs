//! Glare: the share of the card washed out by a reflection, and where.
//!
//! A reflection washes the card out toward white: pixels much brighter than
//! the card's own paper, with little colour left. Printed white areas are also
//! bright and colourless, so the threshold is relative to the card's paper
//! level (its 75th luma percentile) and only connected blobs of a minimum size
//! count. On a card whose paper is itself near white a reflection over blank
//! paper is invisible in the pixels; there the measure reports no glare rather
//! than flagging the whole card (which would block auto-capture forever).

use image::{GrayImage, Luma};
use imageproc::region_labelling::{connected_components, Connectivity};

use super::card_view::CardView;

pub mod net;

/// A rectangle in card coordinates, each value in [0, 1] (0,0 = card's top-left).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct NormRect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// Glare found on the card view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlareBlobs {
    /// Share of the card covered by glare blobs, in [0, 1].
    pub fraction: f32,
    /// Bounding box of all glare blobs, when there are any.
    pub bbox: Option<NormRect>,
}

/// Parameters of the glare mask.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlareParams {
    /// Minimum luma (0–255) of a washed-out pixel.
    pub min_luma: u8,
    /// How much brighter than the card's paper level a washed-out pixel is.
    pub paper_margin: u8,
    /// Paper level above which glare cannot be told from paper (white cards).
    pub max_paper_luma: u8,
    /// Maximum chroma spread (max − min of R, G, B) of a washed-out pixel.
    pub max_chroma: u8,
    /// Minimum blob area as a share of the card.
    pub min_blob_fraction: f32,
}

/// Finds glare blobs in the view.
pub fn measure(view: &CardView, p: &GlareParams) -> GlareBlobs {
    let Some(mask) = washed_out_mask(view, p) else {
        return GlareBlobs {
            fraction: 0.0,
            bbox: None,
        };
    };
    let labels = connected_components(&mask, Connectivity::Eight, Luma([0u8]));
    let blobs = blob_stats(&labels);
    let min_area = (p.min_blob_fraction * view.len() as f32).max(1.0) as u32;
    let mut area = 0u32;
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    for b in blobs.iter().filter(|b| b.area >= min_area) {
        area += b.area;
        bbox = Some(match bbox {
            None => (b.x0, b.y0, b.x1, b.y1),
            Some((x0, y0, x1, y1)) => (x0.min(b.x0), y0.min(b.y0), x1.max(b.x1), y1.max(b.y1)),
        });
    }
    let (w, h) = (view.width as f32, view.height as f32);
    GlareBlobs {
        fraction: area as f32 / view.len().max(1) as f32,
        bbox: bbox.map(|(x0, y0, x1, y1)| NormRect {
            x: x0 as f32 / w,
            y: y0 as f32 / h,
            w: (x1 + 1 - x0) as f32 / w,
            h: (y1 + 1 - y0) as f32 / h,
        }),
    }
}

/// 255 where the pixel is washed out, 0 elsewhere; `None` when nothing is.
fn washed_out_mask(view: &CardView, p: &GlareParams) -> Option<GrayImage> {
    let paper = paper_level(view);
    if paper > p.max_paper_luma {
        return None;
    }
    let min_luma = p.min_luma.max(paper.saturating_add(p.paper_margin));
    let data: Vec<u8> = view
        .luma
        .iter()
        .zip(&view.chroma)
        .map(|(&l, &c)| {
            if l >= min_luma && c <= p.max_chroma {
                255
            } else {
                0
            }
        })
        .collect();
    if data.iter().all(|&v| v == 0) {
        return None;
    }
    GrayImage::from_raw(view.width as u32, view.height as u32, data)
}

/// The card's paper level: its 75th luma percentile.
fn paper_level(view: &CardView) -> u8 {
    let mut hist = [0u32; 256];
    for &l in &view.luma {
        hist[l as usize] += 1;
    }
    let target = (view.len() as u64 * 3).div_ceil(4);
    let mut acc = 0u64;
    for (v, &c) in hist.iter().enumerate() {
        acc += c as u64;
        if acc >= target {
            return v as u8;
        }
    }
    u8::MAX
}

#[derive(Debug, Clone, Copy)]
struct Blob {
    area: u32,
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

/// Area and bounding box of every labelled component (label 0 = background).
fn blob_stats(labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>) -> Vec<Blob> {
    let mut blobs: Vec<Blob> = Vec::new();
    for (x, y, Luma([label])) in labels.enumerate_pixels() {
        if *label == 0 {
            continue;
        }
        let i = (*label - 1) as usize;
        if blobs.len() <= i {
            blobs.resize(
                i + 1,
                Blob {
                    area: 0,
                    x0: u32::MAX,
                    y0: u32::MAX,
                    x1: 0,
                    y1: 0,
                },
            );
        }
        if let Some(b) = blobs.get_mut(i) {
            b.area += 1;
            b.x0 = b.x0.min(x);
            b.y0 = b.y0.min(y);
            b.x1 = b.x1.max(x);
            b.y1 = b.y1.max(y);
        }
    }
    blobs
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: GlareParams = GlareParams {
        min_luma: 215,
        paper_margin: 25,
        max_paper_luma: 210,
        max_chroma: 30,
        min_blob_fraction: 0.004,
    };

    fn view_with_spot(cx: usize, cy: usize, r: usize) -> CardView {
        let (w, h) = (100, 60);
        CardView::from_fn(w, h, |x, y| {
            let d2 = (x as i64 - cx as i64).pow(2) + (y as i64 - cy as i64).pow(2);
            if d2 <= (r * r) as i64 {
                (255, 4)
            } else {
                (180, 60)
            }
        })
    }

    #[test]
    fn a_white_spot_is_found_with_its_location() {
        let g = measure(&view_with_spot(70, 20, 8), &P);
        assert!(g.fraction > 0.02 && g.fraction < 0.05, "{g:?}");
        let b = g.bbox.unwrap();
        assert!(
            (b.x - 0.62).abs() < 0.02 && (b.y - 0.2).abs() < 0.03,
            "{b:?}"
        );
    }

    #[test]
    fn specks_below_the_blob_size_are_ignored() {
        let g = measure(&view_with_spot(50, 30, 1), &P);
        assert_eq!(g.fraction, 0.0);
        assert!(g.bbox.is_none());
    }

    #[test]
    fn bright_colour_is_not_glare() {
        let v = CardView::from_fn(50, 30, |x, _| if x < 20 { (250, 120) } else { (150, 80) });
        assert_eq!(measure(&v, &P).fraction, 0.0);
    }

    #[test]
    fn a_white_card_is_not_glare() {
        let v = CardView::from_fn(
            50,
            30,
            |x, y| if (x + y) % 7 == 0 { (30, 0) } else { (252, 3) },
        );
        assert_eq!(measure(&v, &P).fraction, 0.0);
    }
}
