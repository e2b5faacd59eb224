"""The second look: a small network that sees a candidate outline's
rectified view, at about twice the detector network's resolution, and says
whether it is on a card at all and where the card's corners are.

Why: a rectangle is not a card. Paper sheets, phones, screens and book covers
give the classical detector four strong edges just like a card's; what tells a
card is its content in context, which a network reads. The corner head was
meant to correct the learned detector's outlines (most of its misses are one
side off by 5-30 % of the card's width): looking again at a view centred on
the card, upright and always the same size, asks "which of these edges is the
card's". Measured, it helps the network's own outlines but adds little after
snapping, so the runtime uses it there only on request.

The view, exactly as the runtime builds it (`core/src/detect/second_look.rs`):
VIEW_W x VIEW_H pixels sampled bilinearly from the 320 x 180 working luma
(the frame box-downscaled) through the homography that maps the canonical
card rectangle CARD onto the outline. Two channels: luma (0 outside the
frame) and "inside the frame" (255 / 0), so a corner outside the frame is
told from a black table.

Outputs: per corner (in the order of the outline given), a heatmap on a
stride-8 grid and a (dx, dy) offset in cells at each cell, decoded like the
detector's (arg-max cell + its offset); one "card" logit; and two layout
logits for a card: "back" (not front) and "upside down" (the card's top edge
is the view's bottom edge, so its top-left is the outline's third corner).
The layout lets the classical detector, whose outlines come from edges and
so have no printed top, report the side and the card's own corner order.
"""
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from .augment import apply_h, homography
from .data import targets as corner_targets
from .model import DwSep, conv_bn, decode_corners, up2

VIEW_W, VIEW_H = 112, 80
# The canonical card rectangle in the view (x0, y0, x1, y1): 80 x 50 pixels
# (ID-1 is 1.586:1), with 16 / 15 pixels of margin, 20 % of the card's width
# and 30 % of its height, for the outline's errors. Symmetric, so mirroring
# the view keeps it in place.
CARD = (16.0, 15.0, 96.0, 65.0)
STRIDE = 8
HM_W, HM_H = VIEW_W // STRIDE, VIEW_H // STRIDE


def canonical_corners():
    x0, y0, x1, y1 = CARD
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


_GRID = np.stack(np.meshgrid(np.arange(VIEW_W) + 0.5, np.arange(VIEW_H) + 0.5), -1).reshape(-1, 2)


def bilinear(img, x, y):
    """(luma, inside) of `img` (uint8 H x W) at continuous points x, y (any
    shape): bilinear between pixel centres (edge pixels repeated), luma 0
    outside the image. The runtime's `ScaledLuma::sample`."""
    h_img, w_img = img.shape
    inside = (x >= 0) & (x < w_img) & (y >= 0) & (y < h_img)
    fx, fy = np.clip(x - 0.5, 0, w_img - 1), np.clip(y - 0.5, 0, h_img - 1)
    x0, y0 = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    x1, y1 = np.minimum(x0 + 1, w_img - 1), np.minimum(y0 + 1, h_img - 1)
    ax, ay = fx - x0, fy - y0
    im = img.astype(np.float32)
    top = im[y0, x0] * (1 - ax) + im[y0, x1] * ax
    bot = im[y1, x0] * (1 - ax) + im[y1, x1] * ax
    return np.where(inside, top * (1 - ay) + bot * ay, 0.0), inside


def sample_view(img, quad):
    """(2, VIEW_H, VIEW_W) float32: luma and inside-mask of `img` (uint8 H x W)
    seen through the outline `quad` (4 x 2, image pixels, continuous
    coordinates), as the runtime samples it: each view pixel's centre mapped
    through the homography, then `bilinear`."""
    p = apply_h(homography(canonical_corners(), quad), _GRID)
    luma, inside = bilinear(img, p[:, 0], p[:, 1])
    return np.stack([luma, inside * 255.0]).reshape(2, VIEW_H, VIEW_W).astype(np.float32)


def perturb(rng, corners):
    """A detector-like wrong outline around the true one: a global shift,
    scale and turn, every corner moved a little, and often one side moved
    along its normal (the typical miss: a side taken from a nearby edge)."""
    c = np.asarray(corners, np.float64)
    w = 0.5 * (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3]))
    r = rng.random()
    if r < 0.15:
        return c + rng.normal(0, 0.004 * w, (4, 2))
    centre = c.mean(0)
    ang = np.deg2rad(rng.normal(0, 2.0))
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    s = np.exp(rng.normal(0, 0.04))
    q = (c - centre) @ rot.T * s + centre
    q += np.clip(rng.normal(0, 0.03, 2), -0.1, 0.1) * w
    q += np.clip(rng.normal(0, 0.02, (4, 2)), -0.07, 0.07) * w
    if rng.random() < 0.4:
        k = rng.integers(4)
        a, b = q[k], q[(k + 1) % 4]
        d = b - a
        normal = np.array([d[1], -d[0]]) / max(np.linalg.norm(d), 1e-6)
        amount = rng.uniform(-0.13, 0.13) * w
        q[k] += normal * amount
        q[(k + 1) % 4] += normal * amount
    return q


def random_quad(rng, w_img, h_img):
    """An ID-1-shaped outline anywhere in the image, for negatives."""
    width = rng.uniform(0.15, 0.6) * w_img
    height = width / 1.586 * np.exp(rng.normal(0, 0.15))
    cx, cy = rng.uniform(0.1, 0.9) * w_img, rng.uniform(0.1, 0.9) * h_img
    ang = rng.uniform(-0.5, 0.5)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    base = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [width / 2, height / 2]
    return base @ rot.T + [cx, cy] + rng.normal(0, 0.03 * width, (4, 2))


def targets(pts):
    """Heatmap, offset and offset-mask targets of one card sample on this
    network's grid: the detector's recipe (`data.targets`)."""
    return corner_targets(pts, (VIEW_W, VIEW_H), 1, grid=(HM_W, HM_H, STRIDE))


def photometric(rng, view):
    """Exposure, contrast, gamma and noise on the luma channel (the scenes
    already vary lighting; this widens it)."""
    if rng.random() < 0.3:
        return view
    luma, inside = view[0], view[1] > 0
    g = np.exp(rng.normal(0, 0.25))
    gamma = np.exp(rng.normal(0, 0.2))
    x = 255.0 * (np.clip(luma / 255.0, 0, 1) ** gamma) * g + rng.normal(0, 6)
    x += rng.normal(0, rng.uniform(0, 6), x.shape)
    view[0] = np.where(inside, np.clip(x, 0, 255), 0.0)
    return view


def flip(rng, view, pts):
    """Mirror either way, swapping corner identities so corner k stays the
    one nearest canonical corner k: the corner head must not depend on layout.
    Also says whether the view was mirrored top to bottom (which turns an
    upright card's top edge to the bottom)."""
    vertical = False
    if rng.random() < 0.5:
        view = view[:, :, ::-1]
        pts = pts[[1, 0, 3, 2]] * [-1, 1] + [VIEW_W, 0]
    if rng.random() < 0.5:
        view = view[:, ::-1, :]
        pts = pts[[3, 2, 1, 0]] * [1, -1] + [0, VIEW_H]
        vertical = True
    return np.ascontiguousarray(view), pts, vertical


class SecondLookNet(nn.Module):
    """Stem (stride 2) and depthwise-separable blocks to stride 16 (8-16-32-48
    channels, dilated at the bottom so each cell sees the whole card), one
    lateral step back to stride 8, heatmap and offset heads; the card logit
    from the stride-16 features."""

    def __init__(self):
        super().__init__()
        c = (8, 16, 32, 48)
        self.stem = conv_bn(2, c[0], 3, 2)
        self.s4 = nn.Sequential(DwSep(c[0], c[1], 2), DwSep(c[1], c[1]))
        self.s8 = nn.Sequential(DwSep(c[1], c[2], 2), DwSep(c[2], c[2]))
        self.s16 = nn.Sequential(DwSep(c[2], c[3], 2), DwSep(c[3], c[3], dilation=2), DwSep(c[3], c[3], dilation=2))
        d = 32
        self.lat16 = nn.Sequential(nn.Conv2d(c[3], d, 1, bias=False), nn.BatchNorm2d(d))
        self.lat8 = nn.Sequential(nn.Conv2d(c[2], d, 1, bias=False), nn.BatchNorm2d(d))
        self.dec8 = DwSep(d, d)
        self.heat = nn.Conv2d(d, 4, 1)
        self.off = nn.Conv2d(d, 8, 1)
        self.card = nn.Linear(2 * c[3], 1)
        # Side and orientation: global features plus the mean of the top,
        # bottom, left and right stride-16 rows / columns (where the print
        # is, which global pooling alone cannot tell).
        self.layout = nn.Linear(6 * c[3], 2)

    def forward(self, x):
        # x: (N, 2, VIEW_H, VIEW_W), raw 0..255 as the runtime feeds it.
        x = (x - 127.5) / 64.0
        f8 = self.s8(self.s4(self.stem(x)))
        f16 = self.s16(f8)
        p = self.dec8(F.relu(up2(self.lat16(f16)) + self.lat8(f8)))
        g = torch.cat([f16.mean(dim=(2, 3)), f16.amax(dim=(2, 3))], dim=1)
        edges = torch.cat([f16[:, :, :2].mean(dim=(2, 3)), f16[:, :, -2:].mean(dim=(2, 3)),
                           f16[:, :, :, :3].mean(dim=(2, 3)), f16[:, :, :, -3:].mean(dim=(2, 3))], dim=1)
        return self.heat(p), self.off(p), self.card(g), self.layout(torch.cat([g, edges], dim=1))


def decode(heat, off):
    """Arg-max cell + its offset per corner: (N, 4, 2) view pixels."""
    return decode_corners(heat, off, STRIDE)


if __name__ == "__main__":
    m = SecondLookNet()
    print(sum(p.numel() for p in m.parameters()), "params")
    h, o, c, lay = m(torch.zeros(2, 2, VIEW_H, VIEW_W))
    print(h.shape, o.shape, c.shape, lay.shape, decode(h, o).shape)
