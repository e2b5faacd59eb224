//! The card-to-frame mapping: a homography from the output rectangle to the
//! detected quad, via imageproc's four-point `Projection`.

use imageproc::geometric_transformations::Projection;

use super::RectifyError;

/// Maps output pixel coordinates (continuous, `0..width` × `0..height`) of a
/// rectified card to upright frame coordinates.
#[derive(Debug, Clone, Copy)]
pub struct CardToFrame {
    projection: Projection,
}

impl CardToFrame {
    /// The mapping that sends the output rectangle's corners (top-left,
    /// top-right, bottom-right, bottom-left) onto `corners`, which are
    /// clockwise from the card's top-left in upright frame pixels.
    pub fn new(corners: &[[f32; 2]; 4], width: u32, height: u32) -> Result<Self, RectifyError> {
        if corners.iter().flatten().any(|v| !v.is_finite()) {
            return Err(RectifyError::InvalidQuad("a corner is not a finite number"));
        }
        if signed_area(corners).abs() < 1.0 {
            return Err(RectifyError::InvalidQuad("the corners enclose no area"));
        }
        let (w, h) = (width as f32, height as f32);
        let from = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
        let to = corners.map(|[x, y]| (x, y));
        let projection = Projection::from_control_points(from, to).ok_or(
            RectifyError::InvalidQuad("no perspective mapping fits these corners"),
        )?;
        Ok(CardToFrame { projection })
    }

    /// Frame coordinate of output coordinate (x, y).
    #[inline]
    pub fn map(&self, x: f32, y: f32) -> (f32, f32) {
        self.projection * (x, y)
    }
}

/// Shoelace area (positive when clockwise in image coordinates).
pub(crate) fn signed_area(c: &[[f32; 2]; 4]) -> f32 {
    (0..4)
        .map(|i| {
            let (a, b) = (c[i], c[(i + 1) % 4]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f32>()
        / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_corners_land_on_the_quad() {
        let q = [[110.0, 80.0], [690.0, 120.0], [650.0, 470.0], [90.0, 430.0]];
        let m = CardToFrame::new(&q, 1011, 638).unwrap();
        for (out, want) in [(0.0, 0.0), (1011.0, 0.0), (1011.0, 638.0), (0.0, 638.0)]
            .iter()
            .zip(q)
        {
            let (x, y) = m.map(out.0, out.1);
            assert!(
                (x - want[0]).abs() < 0.05 && (y - want[1]).abs() < 0.05,
                "{out:?} -> {x},{y}"
            );
        }
    }

    #[test]
    fn degenerate_quads_are_refused() {
        let line = [[0.0, 0.0], [10.0, 0.0], [20.0, 0.0], [30.0, 0.0]];
        assert!(matches!(
            CardToFrame::new(&line, 100, 60),
            Err(RectifyError::InvalidQuad(_))
        ));
        let nan = [[f32::NAN, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert!(CardToFrame::new(&nan, 100, 60).is_err());
    }
}
