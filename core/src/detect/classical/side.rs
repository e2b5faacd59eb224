//! Front/back from simple print cues on the rectified card.
//!
//! Insurance-card backs carry a magnetic stripe, a barcode, or dense fine print
//! (claims addresses, phone lists); fronts carry a logo and a few larger
//! fields. So: a dark uniform full-width band (stripe) → back; otherwise the
//! density of fine, text-sized edges decides. Only a cue — the learned
//! detector reads layouts far better — so weak evidence gives `Unknown`.

use crate::detect::{CardSide, Point, Quad};
use crate::frame::Frame;

const W: usize = 128;
const H: usize = 81;

/// Measured print cues of one card face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideCues {
    /// Longest run of dark, uniform full-width rows, as a share of height.
    pub stripe: f32,
    /// Share of interior pixels on a fine edge.
    pub fine_edges: f32,
}

/// Rectified luma of the card at `W`×`H` (about 1.5 px/mm).
fn rectified(frame: &Frame<'_>, quad: &Quad) -> Option<Vec<f32>> {
    let h = quad.homography_to_rect(W as f32, H as f32)?.inverse()?;
    let mut out = Vec::with_capacity(W * H);
    for y in 0..H {
        for x in 0..W {
            let p = h.apply(Point::new(x as f32 + 0.5, y as f32 + 0.5))?;
            out.push(frame.sample_luma(p.x, p.y).unwrap_or(f32::NAN));
        }
    }
    Some(out)
}

pub fn cues(frame: &Frame<'_>, quad: &Quad) -> Option<SideCues> {
    let img = rectified(frame, quad)?;
    let valid: Vec<f32> = img.iter().copied().filter(|v| v.is_finite()).collect();
    if valid.len() < W * H / 2 {
        return None;
    }
    let mean = valid.iter().sum::<f32>() / valid.len() as f32;
    Some(SideCues {
        stripe: stripe_share(&img, mean),
        fine_edges: fine_edge_share(&img),
    })
}

fn stripe_share(img: &[f32], mean: f32) -> f32 {
    let (mut best, mut run) = (0usize, 0usize);
    for row in img.chunks_exact(W) {
        let inner = &row[W / 20..W - W / 20];
        let m = inner.iter().sum::<f32>() / inner.len() as f32;
        let var = inner.iter().map(|v| (v - m).powi(2)).sum::<f32>() / inner.len() as f32;
        let dark_uniform = m.is_finite() && m < 0.6 * mean && var.sqrt() < 12.0;
        run = if dark_uniform { run + 1 } else { 0 };
        best = best.max(run);
    }
    best as f32 / H as f32
}

fn fine_edge_share(img: &[f32]) -> f32 {
    let (mut edges, mut total) = (0u32, 0u32);
    for y in H / 10..H - H / 10 {
        for x in W / 16..W - W / 16 {
            let c = img[y * W + x];
            let (r, d) = (img[y * W + x + 1], img[(y + 1) * W + x]);
            if !(c.is_finite() && r.is_finite() && d.is_finite()) {
                continue;
            }
            total += 1;
            edges += u32::from((r - c).abs() + (d - c).abs() > 24.0);
        }
    }
    edges as f32 / total.max(1) as f32
}

/// Stripe → back; dense fine print → back; sparse print → front.
pub fn classify(c: &SideCues) -> CardSide {
    if c.stripe >= 0.08 || c.fine_edges >= 0.2 {
        CardSide::Back
    } else if c.fine_edges <= 0.14 {
        CardSide::Front
    } else {
        CardSide::Unknown
    }
}
