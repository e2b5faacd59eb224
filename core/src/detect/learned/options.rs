//! What can be switched on the learned detector: each step after the
//! network is a `with_*` builder, so that `cardscan eval --no-…` and the
//! benches can measure what it gains, and an app can turn a step off.

use super::LearnedDetector;
use crate::detect::SideJudging;

impl LearnedDetector {
    /// Sets the "card present" probability below which no card is reported.
    pub fn with_min_confidence(mut self, min_confidence: f32) -> Self {
        self.min_confidence = min_confidence.clamp(0.0, 1.0);
        self
    }

    /// Turns the full-resolution corner refinement on or off (on by default;
    /// off is for measuring what the network alone does).
    pub fn with_refinement(mut self, refine: bool) -> Self {
        self.refine = refine;
        self
    }

    /// Turns snapping to edge lines on or off (on by default). Off skips the
    /// guided line search, most of the detection time after the network, and
    /// loses about 11 points of "found correctly" on the test split (72.9 →
    /// 62.0 % with the epoch-18 model).
    pub fn with_snapping(mut self, snap: bool) -> Self {
        self.snap = snap;
        self
    }

    /// Turns the corner refiner on or off (off by default): a second, small
    /// network looks again at the detector's outline on a rectified view of
    /// the card and moves its corners before snapping (`detect/second_look.rs`).
    ///
    /// Measured on the test split (model r8): with snapping it finds 88.9 %
    /// of 334 normal cards against 88.6 % without (59.8 % of hard ones
    /// either way), for about 0.7 ms more per 1080p frame, which the 5 ms
    /// budget does not have. Without snapping it lifts the network's own
    /// outlines from 79.3 to 85.3 %.
    pub fn with_corner_refiner(mut self, on: bool) -> Self {
        self.corner_refiner = on;
        self
    }

    /// Turns the classical fallback on or off (on by default): when the
    /// network is unsure whether there is a card (probability between
    /// [`FALLBACK_MIN_CONFIDENCE`](super::FALLBACK_MIN_CONFIDENCE) and the minimum confidence) or its
    /// corners do not form a card, the classical detector
    /// ([`ClassicalDetector`](crate::detect::ClassicalDetector), edges and lines judged by the second look)
    /// searches the frame and its answer is reported.
    ///
    /// Why: small, dark or partly hidden cards leave the network unsure,
    /// while their edges are still there. Test split (model r8), found
    /// without → with: normal 296 → 298 of 334 cards (88.6 → 89.2 %), hard
    /// 98 → 110 of 164 (59.8 → 67.1 %), no false positive either way. It
    /// costs the classical search (4–5 ms per 1080p frame) on the frames
    /// that take it; frames where the network is sure pay nothing.
    ///
    /// With the side check on, the classical detector also gives a second
    /// opinion on an outline whose sides the check doubts (see
    /// `second_opinion`; session 15: test split 92.5 → 92.8 %, hard 70.7 →
    /// 71.3 %, train 90.3 → 90.9 %, hard 66.2 → 69.4 %).
    pub fn with_classical_fallback(mut self, on: bool) -> Self {
        self.classical_fallback = on;
        self
    }

    /// Turns the side check on or off (on by default): while snapping, a
    /// third small network (`detect/side_check.rs`) looks across every
    /// candidate line and says whether it is the card's outer edge, and
    /// outlines made of doubtful lines cost more.
    ///
    /// Why: edge support and the ID-1 shape score the edge of a band
    /// printed inside the card (a coloured footer, a magnetic stripe) or
    /// of the paper under it as high as the card's own edge; what lies on
    /// either side of the line tells them apart.
    pub fn with_side_check(mut self, on: bool) -> Self {
        self.side_check = on;
        self
    }

    /// Turns faint lines on or off (on by default; they need the side
    /// check): a side of the network's outline with no candidate line the
    /// side check trusts also gets the lines found by averaging luma
    /// profiles along it (`detect/classical/faint.rs`), judged the same way.
    ///
    /// Why: the edge of a white card on a white table, or a dark card on a
    /// dark one, is a step of a grey level or two that gives no Hough line,
    /// so snapping could only pick a band printed inside the card.
    pub fn with_faint_lines(mut self, on: bool) -> Self {
        self.faint_lines = on;
        self
    }

    /// Turns the zoomed look on or off (on by default; it needs the side
    /// check): when neither the network nor the classical fallback reports
    /// a card, the network looks again at a crop of the frame around its
    /// own guess of the corners (`learned/zoom.rs`) and, when its card
    /// probability is at least [`CORNER_CROPS_MIN_CONFIDENCE`](super::CORNER_CROPS_MIN_CONFIDENCE), at a crop
    /// around each corner of the guess; what it finds is reported if the
    /// side check does not doubt the outline's sides (mean doubt at most
    /// [`ZOOM_MAX_DOUBT`](super::ZOOM_MAX_DOUBT); the least doubted outline when several pass).
    ///
    /// Why: a small card (15–25 px wide at the network's 160 × 96 input)
    /// leaves the class head unsure while its corner heatmaps still point
    /// near it. Found, without → with: test split 92.8 → 93.1 %, hard 71.3
    /// → 72.0 %; train split (not tuned) 90.9 % both, hard 69.4 → 71.9 %;
    /// no card lost, no false positive. Corner crops (session 17): test
    /// hard 72.0 → 73.8 %, train hard 73.8 → 75.0 %, normal splits
    /// unchanged, no false positive. It costs one more network run on
    /// frames with no card found whose guess is small, and up to four more
    /// when the network thinks a card may be there.
    pub fn with_zoomed_look(mut self, on: bool) -> Self {
        self.zoomed_look = on;
        self
    }

    /// Turns the zoomed look's crops around each corner of the network's
    /// guess on or off (on by default; see
    /// [`LearnedDetector::with_zoomed_look`]): off, it looks only at the
    /// crop around the whole guess, as before session 17.
    pub fn with_corner_crops(mut self, on: bool) -> Self {
        self.corner_crops = on;
        self
    }

    /// Turns side placement on or off (on by default; it needs the side
    /// check): when the side check rejects one side of the outline
    /// (probability below 0.1) and trusts the other three (0.9 and up),
    /// the side is placed where an ID-1 card with those three sides would
    /// have it, in perspective (with the frame's focal length, or with each
    /// of a few likely ones), the placement whose side the check likes best
    /// is snapped to the edge lines near it (at twice the working image's
    /// resolution), and the result replaces the outline when the check
    /// trusts all four of its sides, doubts it less and it moved by at most
    /// 5 % of the perimeter (`learned/rejected_side.rs`).
    ///
    /// Why: where a card's edge barely shows, snapping takes a printed band
    /// or a shadow within reach for it. Measured (train and test splits,
    /// 400 normal + 200 hard scenes each), mean IoU without → with: test
    /// 0.9661 → 0.9676, hard 0.8297 → 0.8319, train 0.9620 → 0.9638; found
    /// rates unchanged. About one card frame in eleven takes the step (one
    /// more snap).
    ///
    /// With the camera's focal length ([`Frame::with_focal_length`](crate::frame::Frame::with_focal_length)) a
    /// second case is placed the same way (session 18,
    /// `learned/misshapen.rs`): an outline whose rectified aspect ratio is
    /// far from ID-1's though the side check trusts its sides; each side is
    /// placed from the other three (corners moved up to 20 % of the
    /// perimeter) and the outline is replaced when exactly one placement is
    /// trusted on all four sides, doubted no more and card-shaped. Found
    /// with the scenes' focal lengths, test / test hard / train / train
    /// hard: 94.0 / 75.0 / 92.1 / 74.4 → 94.3 / 75.0 / 92.5 / 75.6 % (five
    /// cards gained, one lost of 1 200 scenes); without the focal length
    /// nothing changes. About one normal card frame in thirty takes it (up
    /// to four placements and snaps).
    pub fn with_side_placement(mut self, on: bool) -> Self {
        self.side_placement = on;
        self
    }

    /// Turns side placement's second case on or off (on by default; see
    /// [`LearnedDetector::with_side_placement`], which turns both off):
    /// with the camera's focal length, an outline that is no card in
    /// perspective has its wrong side placed again. Off, only a side the
    /// side check rejects is, as before session 18.
    pub fn with_misshapen_outlines(mut self, on: bool) -> Self {
        self.misshapen_outlines = on;
        self
    }

    /// Turns the other readings of the heatmaps on or off (on by default;
    /// needs the side check): when a corner's heatmap has a second peak
    /// nearly as strong as its first, the outline through it is snapped
    /// too, and the one whose sides the side check doubts less is reported
    /// (see [`decode::alternatives`](super::decode::alternatives)).
    pub fn with_other_peaks(mut self, on: bool) -> Self {
        self.other_peaks = on;
        self
    }

    /// Turns reading the focal length from the card's print on or off (on
    /// by default): a card with a side out of frame, in a frame without
    /// the camera's focal length, has that side placed with the focal
    /// length at which the print's rows line up with the visible opposite
    /// side (see `hidden_side/print_focal.rs`), else with an assumed one.
    /// Cards partly out of frame found (train 1500 / train hard 600 / test
    /// hard 300 scenes): 58 / 38 / 10 → 61 / 42 / 12 of 94 / 84 / 43.
    pub fn with_print_focal(mut self, on: bool) -> Self {
        self.print_focal = on;
        self
    }

    /// How snapping judges its candidate lines with these settings.
    pub(super) fn judging(&self) -> SideJudging {
        match (self.side_check, self.faint_lines) {
            (false, _) => SideJudging::Off,
            (true, false) => SideJudging::Check,
            (true, true) => SideJudging::CheckWithFaintLines,
        }
    }
}
