//! Cross-edge profiles: does a hypothesis side separate two different
//! regions? A real card edge is a *step* (card interior on one side,
//! background on the other) that holds along the whole side. The app's
//! guide-frame overlay, text rows and texture are thin *ridges* or short
//! scattered edges with similar luma/chroma on both sides, which the Hough
//! support alone cannot tell apart from a weak card edge.

use crate::detect::{Point, Quad};
use image::GrayImage;

/// Profiles sampled along each side (corner-trimmed).
const SAMPLES: usize = 20;
/// Share of a side skipped at each end (rounded corners).
const END_MARGIN: f32 = 0.15;
/// Distances (working pixels) across the edge at which both sides are read.
const OFFSETS: [f32; 3] = [2.0, 3.0, 4.0];
/// Minimum combined luma/chroma difference that counts as a step.
const MIN_STEP: f32 = 7.0;
/// Chroma differences count this many times a luma difference.
const CHROMA_WEIGHT: f32 = 2.0;

/// The working planes the profiles are read from.
pub struct Planes<'a> {
    pub luma: &'a GrayImage,
    pub chroma: Option<(&'a GrayImage, &'a GrayImage)>,
}

impl Planes<'_> {
    fn read(&self, x: f32, y: f32) -> Option<[f32; 3]> {
        let (w, h) = self.luma.dimensions();
        if x < 0.0 || y < 0.0 || x >= w as f32 || y >= h as f32 {
            return None;
        }
        let (px, py) = (x as u32, y as u32);
        let l = f32::from(self.luma.get_pixel_checked(px, py)?.0[0]);
        let (u, v) = match self.chroma {
            Some((u, v)) => (
                f32::from(u.get_pixel_checked(px, py).map_or(128, |p| p.0[0])),
                f32::from(v.get_pixel_checked(px, py).map_or(128, |p| p.0[0])),
            ),
            None => (128.0, 128.0),
        };
        Some([l, u, v])
    }

    /// Mean of the planes over the offsets on one side of the edge.
    fn side_mean(&self, p: Point, n: (f32, f32), sign: f32) -> Option<[f32; 3]> {
        let mut acc = [0.0f32; 3];
        for d in OFFSETS {
            let v = self.read(p.x + sign * d * n.0, p.y + sign * d * n.1)?;
            for c in 0..3 {
                acc[c] += v[c];
            }
        }
        Some(acc.map(|a| a / OFFSETS.len() as f32))
    }
}

/// Per side, the share of in-frame profiles showing a consistent step (same
/// luma polarity as the side's majority, or a clear chroma step). Returns the
/// mean and the weakest side's share; sides entirely out of frame are skipped.
pub fn step_consistency(planes: &Planes<'_>, quad: &Quad) -> (f32, f32) {
    let c = quad.corners;
    let centroid = quad.centroid();
    let (mut sum, mut n_sides, mut min) = (0.0, 0usize, 1.0f32);
    for s in 0..4 {
        if let Some(share) = side_share(planes, c[s], c[(s + 1) % 4], centroid) {
            sum += share;
            n_sides += 1;
            min = min.min(share);
        }
    }
    if n_sides < 3 {
        return (0.0, 0.0);
    }
    (sum / n_sides as f32, min)
}

fn side_share(planes: &Planes<'_>, a: Point, b: Point, centroid: Point) -> Option<f32> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    if len < 4.0 {
        return None;
    }
    let mut n = (-dy / len, dx / len);
    let mid = Point::new(0.5 * (a.x + b.x), 0.5 * (a.y + b.y));
    if (centroid.x - mid.x) * n.0 + (centroid.y - mid.y) * n.1 < 0.0 {
        n = (-n.0, -n.1);
    }
    let (mut pos, mut neg, mut chroma_only, mut total) = (0u32, 0u32, 0u32, 0u32);
    for i in 0..SAMPLES {
        let t = END_MARGIN + (1.0 - 2.0 * END_MARGIN) * (i as f32 + 0.5) / SAMPLES as f32;
        let p = Point::new(a.x + t * dx, a.y + t * dy);
        let (Some(inside), Some(outside)) =
            (planes.side_mean(p, n, 1.0), planes.side_mean(p, n, -1.0))
        else {
            continue;
        };
        total += 1;
        let dl = inside[0] - outside[0];
        let dc = CHROMA_WEIGHT * (inside[1] - outside[1]).hypot(inside[2] - outside[2]);
        if dl.abs() >= MIN_STEP && dl.abs() >= 0.5 * dc {
            if dl > 0.0 {
                pos += 1;
            } else {
                neg += 1;
            }
        } else if dc >= MIN_STEP {
            chroma_only += 1;
        }
    }
    if total < SAMPLES as u32 / 4 {
        return None;
    }
    Some((pos.max(neg) + chroma_only) as f32 / total as f32)
}
