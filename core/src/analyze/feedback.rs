//! The one instruction shown to the user per frame: a stable code for apps
//! (localise by code) and a default English message worded like the official
//! CardScan widget ("Hold Card in Frame", "Keep Card Still While Scanning", …).

use serde::{Deserialize, Serialize};

/// What the user should do now. Serialised in `snake_case` (e.g. `"move_closer"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeedbackCode {
    /// No card in view.
    NoCard,
    /// A corner touches or leaves the frame.
    OutOfFrame,
    /// The card is too small in the frame (below the minimum DPI).
    MoveCloser,
    /// The card is seen at an angle.
    Tilt,
    /// The card is too dark.
    TooDark,
    /// The card is too bright overall.
    TooBright,
    /// A reflection washes out part of the card.
    ReduceGlare,
    /// The card or phone is moving (motion blur or corners not steady).
    HoldStill,
    /// The card is out of focus.
    Blurry,
    /// The back is showing while the front is expected.
    FlipToFront,
    /// The front was captured; the back is expected next.
    FlipToBack,
    /// Everything passes; holding steady will capture (single image: good to capture).
    Scanning,
    /// A side was captured on this frame.
    Captured,
    /// Auto-capture timed out; the app should show its shutter button.
    ManualShutter,
    /// Two attempts failed; the app should offer the web-to-mobile handoff.
    ScanFailed,
    /// Every requested side is captured.
    Done,
}

impl FeedbackCode {
    /// Stable string code (same as the JSON form).
    pub fn as_str(self) -> &'static str {
        use FeedbackCode::*;
        match self {
            NoCard => "no_card",
            OutOfFrame => "out_of_frame",
            MoveCloser => "move_closer",
            Tilt => "tilt",
            TooDark => "too_dark",
            TooBright => "too_bright",
            ReduceGlare => "reduce_glare",
            HoldStill => "hold_still",
            Blurry => "blurry",
            FlipToFront => "flip_to_front",
            FlipToBack => "flip_to_back",
            Scanning => "scanning",
            Captured => "captured",
            ManualShutter => "manual_shutter",
            ScanFailed => "scan_failed",
            Done => "done",
        }
    }

    /// Default English headline.
    pub fn title(self) -> &'static str {
        use FeedbackCode::*;
        match self {
            NoCard => "Hold Card in Frame",
            OutOfFrame => "Keep the Whole Card in Frame",
            MoveCloser => "Move Closer to the Card",
            Tilt => "Hold the Phone Flat Above the Card",
            TooDark => "More Light Needed",
            TooBright => "Too Bright - Move Out of Direct Light",
            ReduceGlare => "Reduce Glare",
            HoldStill => "Keep Card Still While Scanning",
            Blurry => "Card Is Blurry",
            FlipToFront => "Show the Front of the Card",
            FlipToBack => "Front side scan is complete",
            Scanning => "Keep Card Still While Scanning",
            Captured => "Card Captured",
            ManualShutter => "Tap the Button to Take the Photo",
            ScanFailed => "Scanning Failed - Please Try Again",
            Done => "Scan Complete",
        }
    }

    /// Default English second line ("" when the headline says it all).
    pub fn detail(self) -> &'static str {
        use FeedbackCode::*;
        match self {
            NoCard => "It Will Scan Automatically",
            OutOfFrame => "Move the phone back a little",
            ReduceGlare => "Tilt the card or move away from the light",
            Blurry => "Hold still to let the camera focus",
            FlipToBack => "Rotate card to scan back",
            ScanFailed => "You can continue on another device",
            _ => "",
        }
    }

    /// Headline and detail on one line.
    pub fn message(self) -> String {
        match self.detail() {
            "" => self.title().to_string(),
            d => format!("{} - {}", self.title(), d),
        }
    }
}

impl std::fmt::Display for FeedbackCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_like_as_str() {
        for c in [
            FeedbackCode::NoCard,
            FeedbackCode::MoveCloser,
            FeedbackCode::ReduceGlare,
            FeedbackCode::ScanFailed,
        ] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert_eq!(
            FeedbackCode::NoCard.message(),
            "Hold Card in Frame - It Will Scan Automatically"
        );
        assert_eq!(
            FeedbackCode::FlipToBack.message(),
            "Front side scan is complete - Rotate card to scan back"
        );
    }
}
