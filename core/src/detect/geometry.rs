//! Quadrilateral geometry shared by detectors, quality, capture and rectify.
//!
//! Coordinates are upright, continuous frame pixels (see [`crate::frame`]):
//! origin at the top-left corner of the top-left pixel, y pointing down.
//! "Clockwise" is as seen on screen (y down).

use serde::{Deserialize, Serialize};

use super::Homography;

/// A point in upright frame pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }

    pub fn distance(self, other: Point) -> f32 {
        // Not `hypot`: pixel coordinates cannot overflow, and glibc's hypotf is
        // several times slower than a square root (it showed in profiles).
        let (dx, dy) = (self.x - other.x, self.y - other.y);
        (dx * dx + dy * dy).sqrt()
    }
}

/// A card outline: four corners clockwise from the card's top-left
/// (`[top_left, top_right, bottom_right, bottom_left]` as the card is read).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quad {
    pub corners: [Point; 4],
}

impl Quad {
    pub const fn new(corners: [Point; 4]) -> Self {
        Quad { corners }
    }

    /// Orders four points of a convex outline clockwise and starts at the
    /// corner that is the card's top-left *if the card is roughly upright*:
    /// the first edge is a long edge pointing rightwards (or, for a card held
    /// exactly vertical, upwards). A detector without a reading-direction cue
    /// cannot tell a card from the same card turned 180°.
    pub fn from_unordered(points: [Point; 4]) -> Quad {
        let cx = points.iter().map(|p| p.x).sum::<f32>() / 4.0;
        let cy = points.iter().map(|p| p.y).sum::<f32>() / 4.0;
        let mut sorted = points;
        sorted.sort_by(|a, b| {
            let ta = (a.y - cy).atan2(a.x - cx);
            let tb = (b.y - cy).atan2(b.x - cx);
            ta.total_cmp(&tb)
        });
        Quad::new(sorted).canonical_start()
    }

    /// Same corners, clockwise, restarted per [`Quad::from_unordered`]'s rule.
    pub fn canonical_start(&self) -> Quad {
        let c = &self.clockwise().corners;
        let long_first = {
            let l = self.clockwise().side_lengths();
            if l[0] + l[2] >= l[1] + l[3] {
                0
            } else {
                1
            }
        };
        let candidates = [long_first, long_first + 2];
        let score = |i: usize| {
            let (a, b) = (c[i], c[(i + 1) % 4]);
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            // Rightwards is best; among vertical edges prefer upwards.
            dx * 1000.0 - dy
        };
        let start = if score(candidates[0]) >= score(candidates[1]) {
            candidates[0]
        } else {
            candidates[1]
        };
        self.clockwise().rotated(start)
    }

    /// Corners restarted at index `start` (keeping the winding).
    pub fn rotated(&self, start: usize) -> Quad {
        let c = &self.corners;
        Quad::new([
            c[start % 4],
            c[(start + 1) % 4],
            c[(start + 2) % 4],
            c[(start + 3) % 4],
        ])
    }

    /// The same quad wound clockwise on screen.
    pub fn clockwise(&self) -> Quad {
        if self.signed_area() >= 0.0 {
            *self
        } else {
            let c = self.corners;
            Quad::new([c[0], c[3], c[2], c[1]])
        }
    }

    /// Shoelace area; positive when clockwise on screen (y down).
    pub fn signed_area(&self) -> f32 {
        polygon_signed_area(&self.corners)
    }

    pub fn area(&self) -> f32 {
        self.signed_area().abs()
    }

    /// Lengths of the edges 0→1, 1→2, 2→3, 3→0.
    pub fn side_lengths(&self) -> [f32; 4] {
        let c = &self.corners;
        [
            c[0].distance(c[1]),
            c[1].distance(c[2]),
            c[2].distance(c[3]),
            c[3].distance(c[0]),
        ]
    }

    pub fn perimeter(&self) -> f32 {
        self.side_lengths().iter().sum()
    }

    pub fn centroid(&self) -> Point {
        let c = &self.corners;
        Point::new(
            (c[0].x + c[1].x + c[2].x + c[3].x) / 4.0,
            (c[0].y + c[1].y + c[2].y + c[3].y) / 4.0,
        )
    }

    /// Mean long side over mean short side (≥ 1). An ID-1 card seen head-on
    /// gives [`super::CARD_ASPECT`]; perspective moves it.
    pub fn aspect_ratio(&self) -> f32 {
        let l = self.side_lengths();
        let (a, b) = ((l[0] + l[2]) / 2.0, (l[1] + l[3]) / 2.0);
        let (long, short) = if a >= b { (a, b) } else { (b, a) };
        if short <= f32::EPSILON {
            f32::INFINITY
        } else {
            long / short
        }
    }

    /// Interior angles in degrees at corners 0..4.
    pub fn interior_angles(&self) -> [f32; 4] {
        self.interior_cosines()
            .map(|cos| cos.clamp(-1.0, 1.0).acos().to_degrees())
    }

    /// Cosines of the interior angles: cheaper than the angles when only a
    /// range is checked.
    pub fn interior_cosines(&self) -> [f32; 4] {
        let c = &self.corners;
        std::array::from_fn(|i| {
            let (p, a, b) = (c[i], c[(i + 3) % 4], c[(i + 1) % 4]);
            let (ux, uy, vx, vy) = (a.x - p.x, a.y - p.y, b.x - p.x, b.y - p.y);
            (ux * vx + uy * vy)
                / ((ux * ux + uy * uy).sqrt() * (vx * vx + vy * vy).sqrt()).max(f32::EPSILON)
        })
    }

    /// True when the outline does not self-intersect and bends one way.
    pub fn is_convex(&self) -> bool {
        let c = &self.corners;
        let crosses: [f32; 4] = std::array::from_fn(|i| {
            let (a, b, d) = (c[i], c[(i + 1) % 4], c[(i + 2) % 4]);
            (b.x - a.x) * (d.y - b.y) - (b.y - a.y) * (d.x - b.x)
        });
        crosses.iter().all(|&v| v > 0.0) || crosses.iter().all(|&v| v < 0.0)
    }

    /// Finite corners forming a convex outline, clockwise on screen: an
    /// outline a detector can report.
    pub fn is_convex_clockwise(&self) -> bool {
        self.is_finite() && self.signed_area() > 0.0 && self.is_convex()
    }

    /// Intersection over union of the two outlines (0 when either is degenerate).
    pub fn iou(&self, other: &Quad) -> f32 {
        let (a, b) = (self.clockwise(), other.clockwise());
        let inter = polygon_signed_area(&clip_convex(&a.corners, &b.corners)).abs();
        let union = a.area() + b.area() - inter;
        if union <= f32::EPSILON {
            0.0
        } else {
            (inter / union).clamp(0.0, 1.0)
        }
    }

    /// Largest distance between corresponding corners (same index).
    pub fn max_corner_distance(&self, other: &Quad) -> f32 {
        self.corners
            .iter()
            .zip(&other.corners)
            .map(|(a, b)| a.distance(*b))
            .fold(0.0, f32::max)
    }

    /// [`Quad::max_corner_distance`] minimised over the four starting corners,
    /// for comparing outlines regardless of which corner is called top-left.
    pub fn max_corner_distance_any_start(&self, other: &Quad) -> f32 {
        let o = other.clockwise();
        let s = self.clockwise();
        s.max_corner_distance(&o.rotated(o.start_nearest(&s)))
    }

    /// The starting corner `k` for which `self.rotated(k)` lies closest
    /// (smallest [`Quad::max_corner_distance`]) to `other`.
    pub fn start_nearest(&self, other: &Quad) -> usize {
        (0..4)
            .min_by(|&a, &b| {
                let d = |k: usize| self.rotated(k).max_corner_distance(other);
                d(a).total_cmp(&d(b))
            })
            .unwrap_or(0)
    }

    /// Whether `p` lies inside the (convex) outline.
    pub fn contains(&self, p: Point) -> bool {
        let c = &self.clockwise().corners;
        (0..4).all(|i| {
            let (a, b) = (c[i], c[(i + 1) % 4]);
            (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0.0
        })
    }

    /// Applies `f` to every corner.
    pub fn map(&self, f: impl Fn(Point) -> Point) -> Quad {
        Quad::new(self.corners.map(f))
    }

    /// Scales coordinates (e.g. from a downscaled image to the frame).
    pub fn scaled(&self, sx: f32, sy: f32) -> Quad {
        self.map(|p| Point::new(p.x * sx, p.y * sy))
    }

    /// Axis-aligned bounds `(min_x, min_y, max_x, max_y)`.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        self.corners.iter().fold(
            (
                f32::INFINITY,
                f32::INFINITY,
                f32::NEG_INFINITY,
                f32::NEG_INFINITY,
            ),
            |b, p| (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y)),
        )
    }

    /// The homography taking this quad's corners to the rectangle
    /// `(0,0) (width,0) (width,height) (0,height)` (corner 0 → origin).
    /// `None` for degenerate quads.
    pub fn homography_to_rect(&self, width: f32, height: f32) -> Option<Homography> {
        let rect = [
            Point::new(0.0, 0.0),
            Point::new(width, 0.0),
            Point::new(width, height),
            Point::new(0.0, height),
        ];
        Homography::from_points(&self.corners, &rect)
    }

    /// Whether every coordinate is finite.
    pub fn is_finite(&self) -> bool {
        self.corners
            .iter()
            .all(|p| p.x.is_finite() && p.y.is_finite())
    }
}

fn polygon_signed_area(points: &[Point]) -> f32 {
    let n = points.len();
    if n < 3 {
        return 0.0;
    }
    let twice: f32 = (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    twice / 2.0
}

/// Sutherland–Hodgman: clips `subject` by the convex clockwise polygon `clip`.
fn clip_convex(subject: &[Point], clip: &[Point]) -> Vec<Point> {
    let mut output: Vec<Point> = subject.to_vec();
    for i in 0..clip.len() {
        if output.is_empty() {
            break;
        }
        let (a, b) = (clip[i], clip[(i + 1) % clip.len()]);
        let inside = |p: Point| (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0.0;
        let input = std::mem::take(&mut output);
        for j in 0..input.len() {
            let (p, q) = (input[j], input[(j + 1) % input.len()]);
            match (inside(p), inside(q)) {
                (true, true) => output.push(q),
                (true, false) => output.extend(segment_line_intersection(p, q, a, b)),
                (false, true) => {
                    output.extend(segment_line_intersection(p, q, a, b));
                    output.push(q);
                }
                (false, false) => {}
            }
        }
    }
    output
}

fn segment_line_intersection(p: Point, q: Point, a: Point, b: Point) -> Option<Point> {
    let (dx, dy) = (q.x - p.x, q.y - p.y);
    let (ex, ey) = (b.x - a.x, b.y - a.y);
    let denom = dx * ey - dy * ex;
    if denom.abs() <= f32::EPSILON {
        return None;
    }
    let t = ((a.x - p.x) * ey - (a.y - p.y) * ex) / denom;
    Some(Point::new(p.x + t * dx, p.y + t * dy))
}
