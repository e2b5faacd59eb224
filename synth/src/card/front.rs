//! Front layouts: a payer band or a logo on the stock, the member block, the Rx
//! block, copays and the plan name, in a few arrangements.

use super::canvas::{mix, Canvas};
use super::logo::draw_logo;
use super::{CardSpec, CARD_H_MM, CARD_W_MM};
use crate::rng::{chance, uniform, Rng};

pub fn draw(cv: &mut Canvas, spec: &CardSpec, rng: &mut Rng) {
    let p = &spec.palette;
    let f = &spec.face;
    let t = &spec.text;
    let header = spec.layout.header_mm;
    let margin = uniform(rng, 4.0, 6.0);

    if spec.layout.side_stripe {
        cv.rect(0.0, 0.0, 3.0, CARD_H_MM, p.accent2);
    }
    if spec.layout.wave {
        let base = CARD_H_MM - uniform(rng, 8.0, 14.0);
        let pts: Vec<(f32, f32)> = (0..=20)
            .map(|i| {
                let x = i as f32 * CARD_W_MM / 20.0;
                (x, base + (x / 14.0).sin() * 2.5)
            })
            .chain([(CARD_W_MM, CARD_H_MM), (0.0, CARD_H_MM)])
            .collect();
        cv.polygon(&pts, mix(p.accent2, p.base_bottom, 0.35));
    }
    let (logo_fg, logo_bg, top) = if header > 0.0 {
        cv.rect(0.0, 0.0, CARD_W_MM, header, p.accent);
        (p.on_accent, p.accent, header + 3.0)
    } else {
        let fg = if p.is_dark() { p.ink } else { p.accent };
        (fg, p.base_top, 15.0)
    };
    let logo_h = if header > 0.0 {
        (header * 0.6).min(8.0)
    } else {
        uniform(rng, 6.0, 8.5)
    };
    let logo_y = if header > 0.0 {
        (header - logo_h) / 2.0
    } else {
        4.0
    };
    let word = f.title(logo_h);
    draw_logo(
        cv, spec.mark, margin, logo_y, logo_h, &t.payer, &word, logo_fg, logo_bg,
    );
    let tag_style = f.label().sized(2.2).bold();
    cv.text_right(
        CARD_W_MM - margin,
        logo_y + logo_h * 0.3,
        &t.payer_tag,
        &tag_style,
        logo_fg,
    );

    // Member block.
    let (label, value) = (f.label(), f.value());
    let line = value.size + label.size + 1.4;
    let mut y = top;
    for (k, v) in [
        ("MEMBER NAME", &t.member_name),
        ("MEMBER ID", &t.member_id),
        ("GROUP NO", &t.group),
    ] {
        cv.text(margin, y, k, &label, p.label);
        cv.text(margin, y + label.size + 0.4, v, &value, p.ink);
        y += line;
    }
    // Rx block on the right.
    let rx_x = CARD_W_MM * uniform(rng, 0.6, 0.66);
    let mut ry = top;
    let rx = f.small();
    for (k, v) in [
        ("RxBIN", &t.rx_bin),
        ("RxPCN", &t.rx_pcn),
        ("RxGRP", &t.rx_grp),
    ] {
        cv.text(rx_x, ry, &format!("{k} {v}"), &rx, p.ink);
        ry += rx.size + 1.0;
    }
    if chance(rng, 0.7) {
        ry += 1.0;
        for (k, v) in &t.copays {
            cv.text(rx_x, ry, &format!("{k:<5}{v}"), &rx, p.ink);
            ry += rx.size + 0.8;
        }
    }
    // Plan line at the bottom, on a band or on the stock.
    let plan = format!("{} {}", t.payer_tag, t.plan);
    let plan_style = f.value().sized(f.body.size * 1.05);
    if spec.layout.footer {
        let fh = plan_style.size + 3.0;
        cv.rect(0.0, CARD_H_MM - fh, CARD_W_MM, fh, p.accent);
        cv.text(
            margin,
            CARD_H_MM - fh + 1.5,
            &plan,
            &plan_style,
            p.on_accent,
        );
    } else {
        cv.text(
            margin,
            CARD_H_MM - plan_style.size - 3.5,
            &plan,
            &plan_style,
            p.ink,
        );
        cv.text_right(
            CARD_W_MM - margin,
            CARD_H_MM - rx.size - 3.5,
            &format!("EFF {}", t.effective),
            &rx,
            p.label,
        );
    }
}
