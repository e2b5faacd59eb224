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


def targets(pts, size, label, sigma=1.0, grid=(HM_W, HM_H, STRIDE)):
    """Training targets for one sample.

    heat (4, HM_H, HM_W): per corner, a Gaussian around the corner clamped
    into the visible content (a corner outside the frame peaks at the border),
    normalised to sum 1 — the target distribution of the spatial softmax.
    off (8, HM_H, HM_W) and off_mask (4, HM_H, HM_W): in the 3x3 cells around
    that peak, the true corner's offset from each cell centre, in cells.
    `grid` is (cells across, cells down, stride): the detector's by default."""
    hm_w, hm_h, stride = grid
    heat = np.zeros((4, hm_h, hm_w), np.float32)
    off = np.zeros((8, hm_h, hm_w), np.float32)
    mask = np.zeros((4, hm_h, hm_w), np.float32)
    if not label:
        return heat, off, mask
    cw, ch = size
    xs = np.arange(hm_w, dtype=np.float32) * stride + stride / 2
    ys = np.arange(hm_h, dtype=np.float32) * stride + stride / 2
    for c in range(4):
        px = float(np.clip(pts[c, 0], 0, cw - 1e-3))
        py = float(np.clip(pts[c, 1], 0, ch - 1e-3))
        gx = np.exp(-((xs - px) / stride) ** 2 / (2 * sigma * sigma))
        gy = np.exp(-((ys - py) / stride) ** 2 / (2 * sigma * sigma))
        g = np.outer(gy, gx)
        heat[c] = g / max(g.sum(), 1e-8)
        cx, cy = int(px // stride), int(py // stride)
        for j in range(max(0, cy - 1), min(hm_h, cy + 2)):
            for i in range(max(0, cx - 1), min(hm_w, cx + 2)):
                off[2 * c, j, i] = (pts[c, 0] - xs[i]) / stride
                off[2 * c + 1, j, i] = (pts[c, 1] - ys[j]) / stride
                mask[c, j, i] = 1.0
    return heat, off, mask


def hard_scenes(images, corners, labels, small_area=0.07):
    """Card scenes the network finds hardest (session 5 and 6 miss lists):
    the card partly out of frame, or covering less than `small_area` of it."""
    hard = np.zeros(len(images), bool)
    for i, (img, c, label) in enumerate(zip(images, corners, labels)):
        if not label:
            continue
        h, w = img.shape
        x, y = c[:, 0], c[:, 1]
        outside = bool(((x < 0) | (x > w) | (y < 0) | (y > h)).any())
        area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))) / (w * h)
        hard[i] = outside or area < small_area
    return hard


class SceneDataset(torch.utils.data.Dataset):
    """A randomised view of stored scenes; sample i of epoch e is a pure
    function of (seed, e, i), so runs are reproducible whatever the number of
    loader workers."""

    def __init__(self, images, corners, labels, textures, seed, train=True, order=None):
        self.images, self.corners, self.labels = images, corners, labels
        self.textures, self.seed, self.train = textures, seed, train
        # Sample index -> scene index; a scene listed twice is drawn twice per
        # epoch, each time with its own randomisation (keyed on the sample).
        self.order = np.arange(len(images)) if order is None else np.asarray(order)
        self.epoch = 0

    def __len__(self):
        return len(self.order)

    def __getitem__(self, j):
        rng = np.random.default_rng([self.seed, self.epoch if self.train else 0, j])
        i = int(self.order[j])
        scene = (self.images[i], self.corners[i], int(self.labels[i]))
        img, pts, size, label = make_sample(rng, scene, self.textures, self.train)
        heat, off, mask = targets(pts, size, label)
        return (
            torch.from_numpy(img[None].astype(np.float32)),
            torch.from_numpy(pts),
            torch.tensor(label),
            torch.from_numpy(heat),
            torch.from_numpy(off),
            torch.from_numpy(mask),
        )
