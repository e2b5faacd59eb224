"""The side check: a tiny network that looks across one candidate line of a
card's side and says whether it is the card's outer edge (card inside,
something else outside) or another line near it (a band printed inside the
card, a magnetic stripe, the edge of the paper the card lies on, a shadow).

Why: snapping (core/src/detect/classical/snap.rs) builds outlines from the
lines found near the network's sides and picks by edge support and ID-1
shape; both are as strong for the edge of a printed band as for the card's
own edge. On the test split, 16 of the learned detector's 36 misses had the
right line for every side among the candidates.

The strip must match `core/src/detect/side_check.rs`: STRIP_H rows across
the line (inside first) spanning +-SPAN x the card's extent across that side,
STRIP_W columns along the line between the reference outline's two corners
projected onto it; bilinear between pixel centres (edge pixels repeated), 0
outside the image; two channels: luma normalised by the mean and spread of
the in-image samples, and the in-image mask (1 / 0).
"""
import numpy as np
import torch
from torch import nn

from .second_look import bilinear

STRIP_W = 32
STRIP_H = 16
SPAN = 0.3
FEATURES = 64


def strip_points(p, q, near, side):
    """(STRIP_H, STRIP_W, 2) sample points in image pixels for the line
    through p and q as side `side` of the outline `near` (4 x 2)."""
    near = np.asarray(near, np.float64)
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    a0, b0 = near[side], near[(side + 1) % 4]
    t = q - p
    t /= max(np.linalg.norm(t), 1e-9)
    if (b0 - a0) @ t < 0:
        t = -t
    a = p + ((a0 - p) @ t) * t
    b = p + ((b0 - p) @ t) * t
    n = np.array([t[1], -t[0]])
    if (0.5 * (a + b) - near.mean(0)) @ n < 0:
        n = -n
    extent = 0.5 * (np.linalg.norm(near[(side + 2) % 4] - near[(side + 1) % 4])
                    + np.linalg.norm(near[side] - near[(side + 3) % 4]))
    u = (np.arange(STRIP_W) + 0.5) / STRIP_W
    v = (-SPAN + 2 * SPAN * (np.arange(STRIP_H) + 0.5) / STRIP_H) * extent
    return a + u[None, :, None] * (b - a) + v[:, None, None] * n


def sample(img, pts):
    """(2, STRIP_H, STRIP_W) float32 strip of `img` (uint8 H x W) at `pts`."""
    luma, inside = bilinear(img, pts[..., 0], pts[..., 1])
    return normalise(luma, inside)


def normalise(luma, inside):
    """Luma minus the in-image mean, over the in-image spread + 10 (so a flat
    strip stays near 0 rather than amplifying noise); 0 outside."""
    m = inside.astype(np.float32)
    n = max(m.sum(), 1.0)
    mean = (luma * m).sum() / n
    spread = np.sqrt((((luma - mean) * m) ** 2).sum() / n)
    return np.stack([(luma - mean) / (spread + 10.0) * m, m]).astype(np.float32)


class SideCheckNet(nn.Module):
    """Each run of 4 columns (the whole profile across the line, 4 samples
    along it) becomes FEATURES features in one strided convolution, a 1 x 1
    convolution mixes them, a mean along the line pools the runs, and a
    small classifier gives one logit: outer edge. The first layer sees every
    row across at once, so where the card and the background lie relative
    to the line stays known; it is one matrix product per layer, which
    tract runs fast for a batch of strips (a stack of small 3 x 3
    convolutions cost about 1 ms per frame)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(2, FEATURES, (STRIP_H, 4), (STRIP_H, 4), bias=False), nn.BatchNorm2d(FEATURES), nn.ReLU(),
            nn.Conv2d(FEATURES, FEATURES, 1, bias=False), nn.BatchNorm2d(FEATURES), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(FEATURES, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        f = self.features(x).mean(dim=3)
        return self.head(f)
