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

/// The image of the object seen as `q` (centred on the principal point
/// `center`, by a camera of focal length `focal` pixels) after the camera
/// turns so that the object appears moved by `shift` pixels.
///
/// Why not move the quad: a translated perspective image is no pinhole
/// image (its vanishing geometry still assumes the old centre), so the
/// card's true shape could not be recovered from it, as the detectors'
/// ID-1 prior does on real photos. Turning the camera is a homography
/// K·R·K⁻¹ that keeps every view physically possible.
pub fn pan(q: &Quad, shift: [f32; 2], focal: f32, center: [f32; 2]) -> Quad {
    let f = focal.max(1.0);
    // Rotation taking the optical axis a = (0, 0, 1) to the ray b through
    // the shifted centre (Rodrigues, axis a × b).
    let b = [shift[0] / f, shift[1] / f, 1.0];
    let nb = (b[0] * b[0] + b[1] * b[1] + 1.0).sqrt();
    let (bx, by, cos) = (b[0] / nb, b[1] / nb, 1.0 / nb);
    let sin = (bx * bx + by * by).sqrt();
    if sin < 1e-7 {
        return *q;
    }
    let k = [-by / sin, bx / sin, 0.0];
    q.map(|p| {
        let r = [(p[0] - center[0]) / f, (p[1] - center[1]) / f, 1.0];
        let kr = k[0] * r[0] + k[1] * r[1];
        let kxr = [k[1] * r[2], -k[0] * r[2], k[0] * r[1] - k[1] * r[0]];
        let rot: [f32; 3] =
            std::array::from_fn(|i| r[i] * cos + kxr[i] * sin + k[i] * kr * (1.0 - cos));
        let z = rot[2].max(1e-3);
        [center[0] + f * rot[0] / z, center[1] + f * rot[1] / z]
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    const C: [f32; 2] = [640.0, 360.0];
    const F: f32 = 1000.0;

    fn ray(p: [f32; 2]) -> [f32; 3] {
        let r = [(p[0] - C[0]) / F, (p[1] - C[1]) / F, 1.0];
        let n = (r[0] * r[0] + r[1] * r[1] + 1.0).sqrt();
        r.map(|v| v / n)
    }

    fn angle(a: [f32; 2], b: [f32; 2]) -> f32 {
        let (u, v) = (ray(a), ray(b));
        (u[0] * v[0] + u[1] * v[1] + u[2] * v[2])
            .clamp(-1.0, 1.0)
            .acos()
    }

    #[test]
    fn panning_is_a_camera_rotation() {
        let pose = Pose {
            pitch: 0.4,
            yaw: -0.3,
            roll: 0.2,
            size_px: 400.0,
            cx: C[0],
            cy: C[1],
        };
        let q = project(85.6, 53.98, &pose, F / 400.0);
        for shift in [[0.0, 0.0], [300.0, -150.0], [-500.0, 250.0]] {
            let p = pan(&q, shift, F, C);
            // The principal point's ray (the object's centre) lands at the shift.
            let centre = pan(&[C; 4], shift, F, C)[0];
            assert!(
                (centre[0] - C[0] - shift[0]).abs() < 0.05
                    && (centre[1] - C[1] - shift[1]).abs() < 0.05
            );
            // A rotation keeps the angle between any two corner rays, which a
            // translation in the image does not.
            for (i, j) in [(0, 1), (1, 2), (0, 2), (3, 1)] {
                assert!(
                    (angle(q[i], q[j]) - angle(p[i], p[j])).abs() < 1e-4,
                    "{shift:?} {i} {j}"
                );
            }
        }
        let moved = q.map(|p| [p[0] + 300.0, p[1] - 150.0]);
        assert!((angle(q[0], q[2]) - angle(moved[0], moved[2])).abs() > 1e-3);
    }
}
