//! Rounding and angle helpers for per-pixel hot loops.
//!
//! Why not `f32::round` / `f32::atan2`: on baseline x86-64 (no SSE4.1) the
//! former is a libm call, and the latter is a libm call everywhere. In loops
//! that run hundreds of thousands of times per frame they dominated the
//! profile; these versions compile to a few instructions.

/// `v.round() as i32` (ties away from zero), exactly, for |v| < 2²³;
/// saturates outside `i32`.
#[inline]
pub(crate) fn round_i32(v: f32) -> i32 {
    let t = v as i32; // towards zero
    let f = v - t as f32; // exact: the integer part is representable
    t + i32::from(f >= 0.5) - i32::from(f <= -0.5)
}

/// `v` rounded and clamped to 0–255.
#[inline]
pub(crate) fn round_u8(v: f32) -> u8 {
    // `as` saturates (NaN → 0), so this is clamp + round in one.
    (v + 0.5) as u8
}

/// `atan2(y, x)` in (−π, π] with an absolute error below 1e-4 rad
/// (polynomial on [0, 1] after octant reduction).
#[inline]
pub(crate) fn atan2(y: f32, x: f32) -> f32 {
    use std::f32::consts::{FRAC_PI_2, PI};
    let (ax, ay) = (x.abs(), y.abs());
    let (lo, hi) = if ax < ay { (ax, ay) } else { (ay, ax) };
    if hi == 0.0 {
        return if x.is_sign_negative() { PI } else { 0.0 };
    }
    let t = lo / hi;
    let s = t * t;
    // Minimax odd polynomial for atan on [0, 1].
    let mut a =
        t * (0.999_866 + s * (-0.330_299_5 + s * (0.180_141 + s * (-0.085_133 + s * 0.020_835_1))));
    if ay > ax {
        a = FRAC_PI_2 - a;
    }
    if x < 0.0 {
        a = PI - a;
    }
    if y < 0.0 {
        -a
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_std() {
        for i in -4000..4000 {
            let v = i as f32 * 0.173 + 0.01;
            assert_eq!(round_i32(v), v.round() as i32, "{v}");
        }
        assert_eq!(round_u8(-3.0), 0);
        assert_eq!(round_u8(254.6), 255);
        assert_eq!(round_u8(300.0), 255);
        assert_eq!(round_u8(f32::NAN), 0);
        assert_eq!(round_u8(127.49), 127);
        assert_eq!(round_i32(-150.5), -151);
        assert_eq!(round_i32(2.5), 3);
    }

    #[test]
    fn atan2_is_close_to_std_in_every_octant() {
        let mut worst = 0.0f32;
        for i in 0..3600 {
            let a = i as f32 * 0.1f32.to_radians();
            for r in [0.5f32, 3.0, 200.0] {
                let (y, x) = (r * a.sin(), r * a.cos());
                let d = (atan2(y, x) - y.atan2(x)).abs();
                // The same angle on either side of the ±π cut.
                let d = d.min((2.0 * std::f32::consts::PI - d).abs());
                worst = worst.max(d);
            }
        }
        assert!(worst < 1e-4, "worst error {worst}");
        assert_eq!(atan2(0.0, 0.0), 0.0);
        assert_eq!(atan2(0.0, -1.0), std::f32::consts::PI);
    }
}
