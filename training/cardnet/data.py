"""Scenes from `cardscan synth scenes` (NNNNNN.jpg + NNNNNN.json) loaded once
into a compact greyscale cache, and the torch Dataset that draws randomised
training samples from them."""
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .augment import make_sample
from .model import HM_W, HM_H, STRIDE

# Stored scenes are box-filtered to this width (about 2x the network input),
# so the random warps sample a pre-filtered image as the runtime's box
# downscale does.
CACHE_W = 320
LABELS = {"none": 0, "front": 1, "back": 2}


def parse_truth(meta):
    """(corners 4x2 in scene pixels, class) from a scene's ground truth."""
    card = meta.get("card")
    if not card:
        return np.zeros((4, 2), np.float32), 0
    corners = np.asarray(card["corners"], np.float32).reshape(4, 2)
    return corners, LABELS[str(card.get("side", "front")).lower()]


def load_dir(directory):
    """All scenes of one generated directory, box-downscaled to CACHE_W."""
    images, corners, labels, names = [], [], [], []
    for js in sorted(Path(directory).glob("*.json")):
        jpg = js.with_suffix(".jpg")
        if not jpg.exists():
            continue
        meta = json.loads(js.read_text())
        img = Image.open(jpg).convert("L")
        k = max(1, round(img.width / CACHE_W))
        if k > 1:
            img = img.reduce(k)  # box filter, like Frame::luma_downscaled
        pts, label = parse_truth(meta)
        images.append(np.asarray(img))
        corners.append(pts / k)
        labels.append(label)
        names.append(js.stem)
    return images, np.asarray(corners, np.float32), np.asarray(labels, np.int64), names


def load_cached(directory, cache_file):
    cache_file = Path(cache_file)
    if cache_file.exists():
        z = np.load(cache_file, allow_pickle=False)
        return list(z["images"]), z["corners"], z["labels"]
    images, corners, labels, _ = load_dir(directory)
    np.savez(cache_file, images=np.stack(images), corners=corners, labels=labels)
    return images, corners, labels


def heat_target(pts, vis, sigma=1.0):
    """Per-corner Gaussian on the heatmap grid, normalised to sum 1 (the
    target distribution of the spatial softmax)."""
    xs = (np.arange(HM_W, dtype=np.float32) * STRIDE + STRIDE / 2)
    ys = (np.arange(HM_H, dtype=np.float32) * STRIDE + STRIDE / 2)
    out = np.zeros((4, HM_H, HM_W), np.float32)
    for c in range(4):
        if not vis[c]:
            continue
        gx = np.exp(-((xs - pts[c, 0]) / STRIDE) ** 2 / (2 * sigma * sigma))
        gy = np.exp(-((ys - pts[c, 1]) / STRIDE) ** 2 / (2 * sigma * sigma))
        g = np.outer(gy, gx)
        out[c] = g / max(g.sum(), 1e-8)
    return out


class SceneDataset(torch.utils.data.Dataset):
    """A randomised view of stored scenes; sample i of epoch e is a pure
    function of (seed, e, i), so runs are reproducible whatever the number of
    loader workers."""

    def __init__(self, images, corners, labels, textures, seed, train=True):
        self.images, self.corners, self.labels = images, corners, labels
        self.textures, self.seed, self.train = textures, seed, train
        self.epoch = 0

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        rng = np.random.default_rng([self.seed, self.epoch if self.train else 0, i])
        scene = (self.images[i], self.corners[i], int(self.labels[i]))
        img, pts, vis, label = make_sample(rng, scene, self.textures, self.train)
        return (
            torch.from_numpy(img[None].astype(np.float32)),
            torch.from_numpy(pts),
            torch.from_numpy(vis),
            torch.tensor(label),
            torch.from_numpy(heat_target(pts, vis)),
        )
