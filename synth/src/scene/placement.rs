//! Where a flat rectangle (card, paper, phone) lands in the frame: a 3-D tilt seen
//! through a pinhole camera, then scaled, rotated in-plane and moved.

use crate::geom::{bounds, Quad};
use crate::rng::{uniform, Rng};

/// A pose drawn for one object.
#[derive(Debug, Clone, Copy)]
pub struct Pose {
    /// Tilt of the object's plane about its x and y axes, radians.
    pub pitch: f32,
    pub yaw: f32,
    /// In-plane rotation, radians.
    pub roll: f32,
    /// Width in pixels of the object as it would appear untilted.
    pub size_px: f32,
    /// Centre in pixels.
    pub cx: f32,
    pub cy: f32,
}

/// Projects a `w_mm`×`h_mm` rectangle under `pose`: corners clockwise from the
/// object's top-left, in pixels; the longer projected dimension matches `size_px`
/// scaled by the object's own aspect.
pub fn project(w_mm: f32, h_mm: f32, pose: &Pose, focal_ratio: f32) -> Quad {
    let corners = [
        [-w_mm / 2.0, -h_mm / 2.0],
        [w_mm / 2.0, -h_mm / 2.0],
        [w_mm / 2.0, h_mm / 2.0],
        [-w_mm / 2.0, h_mm / 2.0],
    ];
    let (sp, cp) = pose.pitch.sin_cos();
    let (sy, cy) = pose.yaw.sin_cos();
    // Distance such that the object spans about `focal_ratio` focal lengths.
    let z0 = w_mm.max(h_mm) * focal_ratio;
    let mut q = corners.map(|[x, y]| {
        // Rotate about x (pitch), then y (yaw).
        let (y1, z1) = (y * cp, y * sp);
        let (x2, z2) = (x * cy + z1 * sy, -x * sy + z1 * cy);
        let z = z0 + z2;
        [x2 / z, y1 / z]
    });
    // Normalise so the undistorted width maps to size_px.
    let scale = pose.size_px / (w_mm / z0);
    let (sr, cr) = pose.roll.sin_cos();
    for p in &mut q {
        let (x, y) = (p[0] * scale, p[1] * scale);
        *p = [x * cr - y * sr + pose.cx, x * sr + y * cr + pose.cy];
    }
    q
}

/// Random pose for an object of longer side `size_px` centred somewhere in a
/// `w`×`h` frame with `margin` pixels kept free at the borders (negative margin
/// lets it cross the border).
pub fn random_pose(rng: &mut Rng, w: f32, h: f32, size_px: f32, max_tilt: f32, roll: f32) -> Pose {
    Pose {
        pitch: uniform(rng, -max_tilt, max_tilt),
        yaw: uniform(rng, -max_tilt, max_tilt),
        roll,
        size_px,
        cx: w / 2.0,
        cy: h / 2.0,
    }
}

/// Moves `q` so its bounding box lies inside the frame with `margin` pixels, at a
/// random spot; returns `None` when it cannot fit.
pub fn place_inside(rng: &mut Rng, q: &Quad, w: f32, h: f32, margin: f32) -> Option<Quad> {
    let (x0, y0, x1, y1) = bounds(q);
    let (bw, bh) = (x1 - x0, y1 - y0);
    if bw + 2.0 * margin > w || bh + 2.0 * margin > h {
        return None;
    }
    let nx = uniform(rng, margin, w - margin - bw);
    let ny = uniform(rng, margin, h - margin - bh);
    Some(q.map(|p| [p[0] - x0 + nx, p[1] - y0 + ny]))
}

/// Moves `q` so its centroid sits at (cx, cy).
pub fn center_at(q: &Quad, cx: f32, cy: f32) -> Quad {
    let mx = q.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let my = q.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    q.map(|p| [p[0] - mx + cx, p[1] - my + cy])
}
