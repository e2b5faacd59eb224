//! The classical card detector: edges → Hough lines → quadrilateral
//! hypotheses scored by edge support and the ID-1 shape prior → rejection of
//! look-alikes → sub-pixel refinement at full resolution → side cue.
//!
//! All searching happens on a box-filtered luma image whose longest side is
//! at most [`WORK_SIDE`] pixels; only the final refinement and the checks
//! touch the full-resolution frame, at a few thousand points.

mod edges;
mod hough;
mod profile;
mod quads;
mod shape;
pub mod side;
mod support;

use super::refine::refine_quad;
use super::{CardSide, DetectError, Detection, Detector, Quad};
use crate::frame::{Frame, ScaledLuma};
use image::GrayImage;

/// Longest side of the working image.
pub const WORK_SIDE: u32 = 400;
/// Hough peaks kept per frame.
const MAX_LINES: usize = 32;
/// Minimum Sobel strength of an edge pixel (≈ 4 grey levels of step).
const MIN_EDGE_STRENGTH: u16 = 16;
/// Chroma steps count this many times a luma step of the same size.
const CHROMA_GAIN: i16 = 2;
/// Hough peaks considered when snapping to another detector's outline.
const NEAR_MAX_LINES: usize = 128;
/// Lines kept per side of the other detector's outline when snapping.
const NEAR_LINES_PER_SIDE: usize = 10;
/// Hypotheses tried (best first) before giving up.
const MAX_TRIES: usize = 40;

/// Tunable thresholds of the classical detector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassicalConfig {
    /// Detections below this confidence are reported as "no card".
    pub min_confidence: f32,
}

impl Default for ClassicalConfig {
    fn default() -> Self {
        ClassicalConfig {
            min_confidence: 0.5,
        }
    }
}

/// Edge-and-line card detector (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct ClassicalDetector {
    config: ClassicalConfig,
}

impl ClassicalDetector {
    pub fn new(config: ClassicalConfig) -> Self {
        ClassicalDetector { config }
    }

    /// The `n` best coarse hypotheses (upright frame pixels, raw score), for
    /// debugging and visualisation.
    pub fn coarse_candidates(
        &self,
        frame: &Frame<'_>,
        n: usize,
    ) -> Result<Vec<(Quad, f32)>, DetectError> {
        let search = Search::prepare(frame)?;
        let luma = &search.luma;
        let mut out: Vec<(Quad, f32)> = quads::hypotheses(&search.lines, &search.area)
            .into_iter()
            .take(n)
            .map(|hy| (search.to_frame(&hy.quad), hy.score))
            .collect();
        // Lines as degenerate quads (both ends) with score −1, for drawing.
        for l in &search.lines {
            let (nx, ny) = l.line.normal();
            let (dx, dy) = l.dir;
            let p = |t: f32| {
                let (x, y) = luma.to_frame(l.line.rho * nx + t * dx, l.line.rho * ny + t * dy);
                super::Point::new(x, y)
            };
            out.push((Quad::new([p(-600.0), p(600.0), p(600.0), p(-600.0)]), -1.0));
        }
        Ok(out)
    }

    /// The best hypothesis in upright frame pixels with its confidence,
    /// before the `min_confidence` cut (for evaluation and calibration).
    pub fn best_candidate(&self, frame: &Frame<'_>) -> Result<Option<(Quad, f32)>, DetectError> {
        let search = Search::prepare(frame)?;
        let planes = profile::Planes {
            luma: &search.luma.image,
            chroma: search.chroma.as_ref().map(|(u, v)| (u, v)),
        };
        let Some(best) = rerank(quads::hypotheses(&search.lines, &search.area), &planes) else {
            return Ok(None);
        };
        let coarse = search.to_frame(&best.quad);
        let refined = refine_quad(frame, &coarse, search.refine_radius());
        Ok(Some((
            Quad::from_unordered(refined.corners),
            calibrate(best.score),
        )))
    }

    /// The best line-bounded outline whose corners all lie within
    /// `tolerance` × perimeter of `near` (a coarse outline from another
    /// detector), refined at full resolution and returned in `near`'s corner
    /// order; `None` when no such outline is found.
    ///
    /// Why: a network knows *where* the card is (and which corner is its
    /// top-left) but is only good to a few of its input pixels; the lines
    /// here are good to a pixel but cannot tell a card from a sheet of paper.
    pub fn snap(
        &self,
        frame: &Frame<'_>,
        near: &Quad,
        tolerance: f32,
    ) -> Result<Option<Quad>, DetectError> {
        let search = Search::prepare_near(frame, Some((near, tolerance)))?;
        let tol = tolerance * near.perimeter();
        let Some(best) = quads::hypotheses(&search.lines, &search.area)
            .into_iter()
            .map(|h| search.to_frame(&h.quad))
            .find(|q| q.max_corner_distance_any_start(near) <= tol)
        else {
            return Ok(None);
        };
        let refined = refine_quad(frame, &best, search.refine_radius()).clockwise();
        Ok(Some(refined.rotated(refined.start_nearest(near))))
    }
}

/// The strongest [`NEAR_LINES_PER_SIDE`] lines (input is strongest first)
/// running along each side of `q` within `tol`.
fn lines_along(lines: Vec<hough::Line>, q: &Quad, tol: f32) -> Vec<hough::Line> {
    let mut per_side = [0usize; 4];
    lines
        .into_iter()
        .filter(|l| {
            let mut keep = false;
            for (s, n) in per_side.iter_mut().enumerate() {
                if *n < NEAR_LINES_PER_SIDE
                    && runs_along(l, q.corners[s], q.corners[(s + 1) % 4], tol)
                {
                    *n += 1;
                    keep = true;
                }
            }
            keep
        })
        .collect()
}

/// Whether both ends of the segment a–b lie within `tol` of `line`.
fn runs_along(line: &hough::Line, a: super::Point, b: super::Point, tol: f32) -> bool {
    let (nx, ny) = line.normal();
    let d = |p: super::Point| (p.x * nx + p.y * ny - line.rho).abs();
    d(a) <= tol && d(b) <= tol
}

/// The working images and the lines found in them: what every search over
/// hypotheses starts from.
struct Search {
    luma: ScaledLuma,
    chroma: Option<(GrayImage, GrayImage)>,
    lines: Vec<support::SupportedLine>,
    area: quads::Frame2,
}

impl Search {
    /// Downscales the frame, finds its edges (luma and chroma steps) and the
    /// strongest lines among them.
    fn prepare(frame: &Frame<'_>) -> Result<Search, DetectError> {
        Search::prepare_near(frame, None)
    }

    /// [`Search::prepare`], keeping only lines that run along a side of
    /// `near` (frame pixels) within `tolerance` × its perimeter, from a
    /// longer list of Hough peaks (a weak card edge may rank low in a
    /// cluttered frame, but few lines survive the filter).
    fn prepare_near(frame: &Frame<'_>, near: Option<(&Quad, f32)>) -> Result<Search, DetectError> {
        let luma = frame.luma_downscaled(WORK_SIDE)?;
        let (w, h) = luma.image.dimensions();
        let chroma = frame.chroma_downscaled(WORK_SIDE)?;
        let edges = edges::edge_map(
            &luma.image,
            chroma.as_ref().map(|(u, v)| (u, v)),
            CHROMA_GAIN,
            MIN_EDGE_STRENGTH,
        );
        let along = near.map(|(q, tolerance)| {
            let work = q.map(|p| {
                let (x, y) = luma.from_frame(p.x, p.y);
                super::Point::new(x, y)
            });
            (work, tolerance * work.perimeter())
        });
        let max_lines = if along.is_some() {
            NEAR_MAX_LINES
        } else {
            MAX_LINES
        };
        let mut lines = hough::detect_lines(&edges, max_lines);
        if let Some((q, tol)) = &along {
            lines = lines_along(lines, q, *tol);
        }
        let lines = lines
            .into_iter()
            .map(|l| support::SupportedLine::new(l, &edges))
            .collect();
        let area = quads::Frame2 {
            width: w as f32,
            height: h as f32,
            focal: 1.5 * w.max(h) as f32,
        };
        Ok(Search {
            luma,
            chroma,
            lines,
            area,
        })
    }

    /// Full-resolution refinement search distance: a few working-image
    /// pixels, in frame pixels.
    fn refine_radius(&self) -> f32 {
        2.5 * self.luma.scale_x.abs().max(self.luma.scale_y.abs()) + 2.0
    }

    /// A working-image quad in upright frame pixels.
    fn to_frame(&self, quad: &Quad) -> Quad {
        quad.map(|p| {
            let (x, y) = self.luma.to_frame(p.x, p.y);
            super::Point::new(x, y)
        })
    }
}

/// Re-scores the best [`MAX_TRIES`] hypotheses by whether their sides are
/// consistent steps between two regions (see [`profile`]), which the edge
/// support alone cannot tell from overlay ridges and texture.
fn rerank(hyps: Vec<quads::Hypothesis>, planes: &profile::Planes<'_>) -> Option<quads::Hypothesis> {
    hyps.into_iter()
        .take(MAX_TRIES)
        .map(|mut h| {
            let (mean, min) = profile::step_consistency(planes, &h.quad);
            h.score *= step_factor(mean, min);

            h
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
}

/// Score multiplier from the step consistency of a hypothesis' sides: 1 for
/// a card whose sides are steps along most of their length (so its
/// confidence is unchanged), lower for ridges and texture-backed outlines.
fn step_factor(mean: f32, min: f32) -> f32 {
    (0.3 + 0.7 * mean) * (0.5 + 0.5 * min) / 0.7
}

/// Maps the raw hypothesis score to a probability-like confidence.
fn calibrate(score: f32) -> f32 {
    1.0 / (1.0 + (-(score - 0.35) / 0.06).exp())
}

impl Detector for ClassicalDetector {
    fn detect(&self, frame: &Frame<'_>) -> Result<Option<Detection>, DetectError> {
        let Some((quad, confidence)) = self.best_candidate(frame)? else {
            return Ok(None);
        };
        if confidence < self.config.min_confidence {
            return Ok(None);
        }
        let side = side::cues(frame, &quad)
            .map(|c| side::classify(&c))
            .unwrap_or(CardSide::Unknown);
        Ok(Some(Detection {
            quad,
            confidence,
            side,
        }))
    }

    fn name(&self) -> &'static str {
        "classical"
    }
}

#[cfg(test)]
mod tests;
