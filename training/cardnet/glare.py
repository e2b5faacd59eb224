"""Glare judge: a tiny network that says whether a reflection washed out part
of the card, from the same rectified card view the runtime's quality checks
use (`core/src/quality/sample.rs`).

Why a network: on a card whose paper is itself near white, a reflection is no
brighter than the paper, so the brightness-blob measure
(`core/src/quality/glare.rs`) cannot see it. What is left to see is what the
reflection erased: print fading out toward a soft rim, a magnetic stripe or a
coloured band turning white. Those are patterns, not thresholds.

The view, exactly as the runtime builds it: 256 x 161 pixels, BT.601 luma,
and per pixel the colour spread (max - min of R, G, B) where luma >= 215,
else 255 (`CHROMA_NOT_SAMPLED`: colour is only read where glare is
possible). Pixels outside the frame are luma 0, spread 255. The network sees
its first 160 rows box-downscaled 2x (128 x 80), two channels.
"""
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from .augment import homography
from .model import DwSep, conv_bn

VIEW_W, VIEW_H = 256, 161
IN_W, IN_H = 128, 80
GLARE_MIN_LUMA = 215
NOT_SAMPLED = 255


class GlareNet(nn.Module):
    """A strided 3x3 stem and four depthwise-separable blocks to stride 16
    (12-24-48-48 channels), then mean and max pooling (glare may cover a
    small part of the card) and one logit: 8 k parameters, 37 KB of ONNX,
    0.28 ms per view in tract on one core of the development machine.

    Measured on the test split (cardscan eval, ground-truth outlines),
    normal / hard glare accuracy: this 98.2 / 95.7 %; plain 3x3
    convolutions (23 k parameters) 98.5 / 98.2 % but 1 ms per view; 8-16-32
    channels 97.6 / 95.1 % at 0.22 ms; the brightness blobs alone 91.3 /
    86.0 %."""

    def __init__(self):
        super().__init__()
        c = (12, 24, 48, 48)
        self.features = nn.Sequential(
            conv_bn(2, c[0], 3, 2), DwSep(c[0], c[1], 2), DwSep(c[1], c[2], 2), DwSep(c[2], c[3]),
            DwSep(c[3], c[3], 2),
        )
        self.fc = nn.Linear(2 * c[3], 1)

    def forward(self, x):
        # x: (N, 2, IN_H, IN_W), raw 0..255 (luma, colour spread); the
        # runtime feeds the view's values unchanged.
        h = self.features((x / 255.0 - 0.5) * 4.0)
        pooled = torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1)
        return self.fc(pooled)[:, 0]


def card_view(rgb, corners):
    """(luma, spread) uint8 arrays of VIEW_H x VIEW_W: the card bounded by
    `corners` (clockwise from its top-left) rectified as the runtime does."""
    rect = [(0, 0), (VIEW_W, 0), (VIEW_W, VIEW_H), (0, VIEW_H)]
    coeffs = homography(rect, corners).ravel()[:8]
    v = np.asarray(rgb.transform((VIEW_W, VIEW_H), Image.PERSPECTIVE, tuple(coeffs), Image.BILINEAR),
                   np.float32)
    luma = np.clip(np.round(v[..., 0] * 0.299 + v[..., 1] * 0.587 + v[..., 2] * 0.114), 0, 255)
    spread = np.where(luma >= GLARE_MIN_LUMA, v.max(-1) - v.min(-1), NOT_SAMPLED)
    return luma.astype(np.uint8), spread.astype(np.uint8)


def to_input(luma, spread):
    """Network input (2, IN_H, IN_W) float32 from one view: rows 0..160,
    2 x 2 box means."""
    x = np.stack([luma[: 2 * IN_H], spread[: 2 * IN_H]]).astype(np.float32)
    return x.reshape(2, IN_H, 2, IN_W, 2).mean(axis=(2, 4))


def load_views(directory, count, rng, jitter=0.01):
    """Inputs and labels (glare, glare fraction) for the cards among the
    first `count` scenes of a generated directory. Each card's corners are
    moved by up to `jitter` x its width, as a detector's would be."""
    xs, ys = [], []
    for js in sorted(Path(directory).glob("*.json"))[:count]:
        meta = json.loads(js.read_text())
        card = meta.get("card")
        if meta.get("kind") != "card" or not card:
            continue
        corners = np.asarray(card["corners"], np.float64).reshape(4, 2)
        width = np.linalg.norm(corners[1] - corners[0])
        corners = corners + rng.uniform(-jitter, jitter, size=(4, 2)) * width
        rgb = Image.open(js.with_suffix(".jpg")).convert("RGB")
        xs.append(to_input(*card_view(rgb, corners)))
        ys.append([float(meta["glare"]), float(meta["glare_fraction"])])
    return np.stack(xs), np.asarray(ys, np.float32)
