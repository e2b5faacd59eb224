//! Pastes a flat RGBA picture (a card, a sheet of paper, a phone) into the scene
//! through a homography, with bilinear sampling and anti-aliased edges.

use crate::geom::{bounds, rect_quad, Homography, Quad};
use image::{RgbImage, RgbaImage};

/// Draws `src` so that its corners land on `quad` (clockwise from src's top-left).
/// Returns the homography from src pixels to scene pixels, or `None` for a
/// degenerate quad (nothing is drawn then).
pub fn warp_into(dst: &mut RgbImage, src: &RgbaImage, quad: &Quad) -> Option<Homography> {
    let (sw, sh) = (src.width() as f32, src.height() as f32);
    let h = Homography::from_quads(&rect_quad(sw, sh), quad)?;
    let inv = h.inverse()?;
    let (x0, y0, x1, y1) = bounds(quad);
    let xa = (x0.floor() - 1.0).max(0.0) as u32;
    let ya = (y0.floor() - 1.0).max(0.0) as u32;
    let xb = (x1.ceil() + 1.0).clamp(0.0, dst.width() as f32) as u32;
    let yb = (y1.ceil() + 1.0).clamp(0.0, dst.height() as f32) as u32;
    let (w, hgt) = (src.width() as i64, src.height() as i64);
    let raw = src.as_raw();
    for y in ya..yb {
        for x in xa..xb {
            let p = inv.apply(x as f32 + 0.5, y as f32 + 0.5);
            let (u, v) = (p[0] - 0.5, p[1] - 0.5);
            if u < -1.0 || v < -1.0 || u > sw || v > sh {
                continue;
            }
            let (iu, iv) = (u.floor() as i64, v.floor() as i64);
            let (tu, tv) = (u - iu as f32, v - iv as f32);
            let mut acc = [0.0f32; 3];
            let mut alpha = 0.0f32;
            for (dx, dy, wt) in [
                (0, 0, (1.0 - tu) * (1.0 - tv)),
                (1, 0, tu * (1.0 - tv)),
                (0, 1, (1.0 - tu) * tv),
                (1, 1, tu * tv),
            ] {
                let (sx, sy) = (iu + dx, iv + dy);
                if sx < 0 || sy < 0 || sx >= w || sy >= hgt || wt <= 0.0 {
                    continue;
                }
                let i = ((sy * w + sx) * 4) as usize;
                let a = raw[i + 3] as f32 / 255.0 * wt;
                acc[0] += raw[i] as f32 * a;
                acc[1] += raw[i + 1] as f32 * a;
                acc[2] += raw[i + 2] as f32 * a;
                alpha += a;
            }
            if alpha <= 0.0 {
                continue;
            }
            let px = dst.get_pixel_mut(x, y);
            for (v, acc) in px.0.iter_mut().zip(acc) {
                let src_c = acc / alpha;
                *v = (*v as f32 * (1.0 - alpha) + src_c * alpha)
                    .round()
                    .clamp(0.0, 255.0) as u8;
            }
        }
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::contains;
    use image::Rgba;

    /// An opaque white rectangle warped onto black covers exactly the quad: every
    /// pixel more than a pixel inside is white, every pixel more than a pixel
    /// outside is untouched.
    #[test]
    fn warped_mask_matches_the_quad() {
        let src = RgbaImage::from_pixel(200, 126, Rgba([255, 255, 255, 255]));
        let quad = [[103.3, 41.7], [402.9, 88.2], [371.5, 290.4], [80.1, 240.6]];
        let mut dst = RgbImage::new(480, 360);
        warp_into(&mut dst, &src, &quad).unwrap();
        let shrink = |q: &Quad, d: f32| {
            let c = [
                q.iter().map(|p| p[0]).sum::<f32>() / 4.0,
                q.iter().map(|p| p[1]).sum::<f32>() / 4.0,
            ];
            q.map(|p| {
                let (dx, dy) = (p[0] - c[0], p[1] - c[1]);
                let l = (dx * dx + dy * dy).sqrt();
                [p[0] - dx / l * d, p[1] - dy / l * d]
            })
        };
        let (inner, outer) = (shrink(&quad, 2.0), shrink(&quad, -2.0));
        let (mut inside, mut outside) = (0, 0);
        for (x, y, p) in dst.enumerate_pixels() {
            let (cx, cy) = (x as f32 + 0.5, y as f32 + 0.5);
            if contains(&inner, cx, cy) {
                assert_eq!(p.0, [255, 255, 255], "inside pixel {x},{y}");
                inside += 1;
            } else if !contains(&outer, cx, cy) {
                assert_eq!(p.0, [0, 0, 0], "outside pixel {x},{y}");
                outside += 1;
            }
        }
        assert!(inside > 40_000 && outside > 80_000);
    }
}
