//! The working images a frame is searched in (box-downscaled luma and
//! chroma, their edge map) and the lines found in them: the common start of
//! the full search for a card and of snapping near a given outline.

use super::{edges, hough, quads, support, WORK_SIDE};
use crate::detect::{DetectError, Point, Quad};
use crate::frame::{Frame, ScaledLuma};
use image::GrayImage;

/// Which Hough peaks become the frame's lines: the 32 strongest with at
/// least 4 % of the strongest one's votes, 6 working pixels apart.
///
/// Why: a card missing one side's line cannot be found at all, and that was
/// the cause of 36 of the 44 test-split misses of fully visible cards left
/// after `DUPLICATE_IOU` and the 4 % floor. A side with little contrast to the table (a white
/// card on cream paper, a dark card in a dim room) gets a fraction of the
/// strongest edge's votes; in clutter, rows of print and the stroke pairs of
/// drawn shapes fill the 32 places with near-parallel neighbours. More
/// places cost too much (the quads grow with their fourth power: 40 lines,
/// 1080p analysis 5.6 ms). Test split, 400 scenes, found (hard scenes): floor
/// 0.08 → 0.04: 79.9 → 80.8 % (55.5 → 58.5 %); then gap 3 / 4 / 5 / 6 / 7 /
/// 8 px, snapping's lines too: 80.8 / 82.6 / 83.2 / 85.0 / 84.7 / 83.8 %.
/// Taken: 6 px here only, snapping keeps its own rule (`snap.rs`), which
/// the learned detector shares: 84.7 % (hard 62.2 %), IoU 0.844 → 0.880;
/// false positives 0 (hard: 0 → 1 of 36 card-free scenes).
pub(super) const LINES: hough::Peaks = hough::Peaks {
    max: 32,
    floor: 0.04,
    min_gap: 6.0,
};
/// Minimum Sobel strength of an edge pixel (≈ 4 grey levels of step).
const MIN_EDGE_STRENGTH: u16 = 16;
/// Chroma steps count this many times a luma step of the same size.
const CHROMA_GAIN: i16 = 2;
/// The working images and the lines found in them: what every search over
/// hypotheses starts from.
pub(super) struct Search {
    pub(super) luma: ScaledLuma,
    pub(super) chroma: Option<(GrayImage, GrayImage)>,
    pub(super) lines: Vec<support::SupportedLine>,
    pub(super) area: quads::Frame2,
    /// Kept so that snapping near an outline found here need not find the
    /// frame's edges again.
    pub(super) edges: edges::EdgeMap,
}

/// The downscaled luma and chroma of a frame and their edge map: the
/// common start of a full search and of snapping.
pub(super) struct Working {
    pub(super) luma: ScaledLuma,
    pub(super) chroma: Option<(GrayImage, GrayImage)>,
    pub(super) edges: edges::EdgeMap,
}

impl Working {
    /// The frame downscaled to at most `side` pixels on its longer side.
    pub(super) fn new(frame: &Frame<'_>, side: u32) -> Result<Working, DetectError> {
        let k = frame.downscale_factor(side)?;
        Working::from_luma(frame, frame.luma_downscaled_by(k)?, k, None)
    }

    /// The working images from a luma already downscaled by `k`, with edges
    /// only inside `region` (everywhere for `None`).
    pub(super) fn from_luma(
        frame: &Frame<'_>,
        luma: ScaledLuma,
        k: u32,
        region: Option<edges::Region>,
    ) -> Result<Working, DetectError> {
        let chroma = frame.chroma_downscaled_by(k)?;
        let edges = edges::edge_map(
            &luma.image,
            chroma.as_ref().map(|(u, v)| (u, v)),
            CHROMA_GAIN,
            MIN_EDGE_STRENGTH,
            region,
        );
        Ok(Working {
            luma,
            chroma,
            edges,
        })
    }

    /// The search over `lines`, with their edge support measured.
    pub(super) fn into_search(self, lines: Vec<hough::Line>) -> Search {
        let (w, h) = self.luma.image.dimensions();
        let lines = lines
            .into_iter()
            .map(|l| support::SupportedLine::new(l, &self.edges))
            .collect();
        Search {
            luma: self.luma,
            chroma: self.chroma,
            lines,
            area: quads::Frame2 {
                width: w as f32,
                height: h as f32,
                focal: 1.5 * w.max(h) as f32,
            },
            edges: self.edges,
        }
    }
}

impl Search {
    /// Downscales the frame, finds its edges (luma and chroma steps) and the
    /// strongest lines among them.
    pub(super) fn prepare(frame: &Frame<'_>) -> Result<Search, DetectError> {
        let work = Working::new(frame, WORK_SIDE)?;
        let lines = hough::detect_lines(&work.edges, LINES, |_, _, _, _| true);
        Ok(work.into_search(lines))
    }

    /// The working images again, for a second search (snapping) in them.
    pub(super) fn working(&self) -> Working {
        Working {
            luma: self.luma.clone(),
            chroma: self.chroma.clone(),
            edges: self.edges.clone(),
        }
    }

    /// Full-resolution refinement search distance: a few working-image
    /// pixels, in frame pixels.
    pub(super) fn refine_radius(&self) -> f32 {
        2.5 * self.luma.scale_x.abs().max(self.luma.scale_y.abs()) + 2.0
    }

    /// A working-image quad in upright frame pixels.
    pub(super) fn to_frame(&self, quad: &Quad) -> Quad {
        quad.map(|p| {
            let (x, y) = self.luma.to_frame(p.x, p.y);
            Point::new(x, y)
        })
    }
}
