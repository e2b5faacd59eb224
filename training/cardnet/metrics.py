"""The evaluation rules of `cardscan eval` (issue 3), in Python, for the
validation split during training: polygon IoU, "found correctly" (IoU >= 0.9
or worst corner <= 0.017 x perimeter), false positives, side accuracy."""
import numpy as np


def _area(poly):
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _clip(subject, a, b):
    """Sutherland-Hodgman: part of `subject` left of edge a->b (for a
    clockwise-in-image, i.e. positive-area-in-y-down, clip polygon)."""
    def inside(p):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def cross(p, q):
        d1, d2 = q - p, b - a
        den = d1[0] * d2[1] - d1[1] * d2[0]
        if abs(den) < 1e-12:
            return p
        t = ((a[0] - p[0]) * d2[1] - (a[1] - p[1]) * d2[0]) / den
        return p + t * d1

    out = []
    for i in range(len(subject)):
        cur, prev = subject[i], subject[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
    return np.array(out) if out else np.zeros((0, 2))


def _oriented(poly):
    s = np.dot(poly[:, 0], np.roll(poly[:, 1], -1)) - np.dot(poly[:, 1], np.roll(poly[:, 0], -1))
    return poly if s > 0 else poly[::-1]


def iou(p, q):
    p, q = _oriented(np.asarray(p, float)), _oriented(np.asarray(q, float))
    inter = p
    for i in range(len(q)):
        if len(inter) == 0:
            break
        inter = _clip(inter, q[i], q[(i + 1) % len(q)])
    ai = _area(inter) if len(inter) >= 3 else 0.0
    union = _area(p) + _area(q) - ai
    return ai / union if union > 0 else 0.0


def found_correctly(pred, truth):
    per = sum(np.linalg.norm(truth[i] - truth[(i + 1) % 4]) for i in range(4))
    worst = max(np.linalg.norm(pred[i] - truth[i]) for i in range(4))
    return iou(pred, truth) >= 0.9 or worst <= 0.017 * per


def summarise(rows):
    """rows: (truth_label, pred_label, truth_pts, pred_pts) per scene."""
    cards = [r for r in rows if r[0] != 0]
    empty = [r for r in rows if r[0] == 0]
    ious = [iou(r[3], r[2]) if r[1] != 0 else 0.0 for r in cards]
    found = [r[1] != 0 and found_correctly(r[3], r[2]) for r in cards]
    side = [r[1] == r[0] for r in cards if r[1] != 0]
    return {
        "cards": len(cards),
        "card_free": len(empty),
        "mean_iou": float(np.mean(ious)) if ious else 0.0,
        "found": float(np.mean(found)) if found else 0.0,
        "false_positive": float(np.mean([r[1] != 0 for r in empty])) if empty else 0.0,
        "side_accuracy": float(np.mean(side)) if side else 0.0,
    }
