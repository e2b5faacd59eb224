"""Trains the side check (cardnet/side_check.py) and exports
core/models/sidecheck.onnx.

Samples: for a random side of a random card of the training scenes (the
detector's 320 x 180 luma caches, `training/out/<dir>.npz`, built by
train.py), a strip across a line, seen from a detector-like reference
outline (the true corners moved by about 1 % of the perimeter, as the
network's are). Positives: the true side, moved by half a pixel. Negatives:
lines parallel to it on the strongest edges across the side (what the Hough
transform would find: printed bands, stripes, text rows, the paper under the
card, shadows), parallel lines anywhere within the strip, and lines at an
angle to it (ends anywhere in the strip); an end is never nearer the true
side than max(2.5 px, 1 % of the perimeter) on both ends.

Seeded and reproducible: the strips are a pure function of --seed.
Validation: the last 600 scenes of the first --data cache, never trained on.

    training/.venv/bin/python training/train_side_check.py \
        --caches training/out/train-gen2-640x360-{a,b,c}.npz
"""
import argparse
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cardnet.side_check import SPAN, STRIP_H, STRIP_W, SideCheckNet, sample, strip_points

ROOT = Path(__file__).resolve().parent.parent
VAL_SCENES = 600
BATCH_EXPORT = 36  # runtime: 4 sides x (8 lines + the network's own side)


def args_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--caches", nargs="+", required=True, help="luma caches written by train.py")
    p.add_argument("--samples", type=int, default=600_000)
    p.add_argument("--val-samples", type=int, default=6_000)
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=str(ROOT / "training/out/side_check"))
    p.add_argument("--model", default=str(ROOT / "core/models/sidecheck.onnx"))
    return p


_IMAGES = _CORNERS = None


def _init(images, corners):
    global _IMAGES, _CORNERS
    _IMAGES, _CORNERS = images, corners


def edge_offsets(img, a, b, n, extent):
    """Offsets (pixels along n) of the strongest edges parallel to a-b within
    +-SPAN x extent, strongest first."""
    offs = np.arange(-SPAN * extent, SPAN * extent, 0.5)
    u = np.linspace(0.05, 0.95, 32)
    pts = a + u[None, :, None] * (b - a) + offs[:, None, None] * n
    s = sample(img, pts)  # normalised, but only differences matter
    prof = np.abs(np.diff(s[0], axis=0)).mean(1)
    peaks = [i for i in range(1, len(prof) - 1) if prof[i] >= prof[i - 1] and prof[i] >= prof[i + 1]]
    peaks.sort(key=lambda i: -prof[i])
    return [0.5 * (offs[i] + offs[i + 1]) for i in peaks]


def make(job):
    """One strip: (seed, index, scene) -> (strip, label)."""
    seed, j, s = job
    rng = np.random.default_rng([seed, j])
    img, c = _IMAGES[s], _CORNERS[s].astype(np.float64)
    per = np.linalg.norm(c - np.roll(c, -1, 0), axis=1).sum()
    near = c + rng.normal(0, 0.01 * per, (4, 2))
    k = int(rng.integers(4))
    a, b = c[k], c[(k + 1) % 4]
    t = (b - a) / max(np.linalg.norm(b - a), 1e-9)
    n = np.array([t[1], -t[0]])
    if (0.5 * (a + b) - c.mean(0)) @ n < 0:
        n = -n
    extent = 0.5 * (np.linalg.norm(c[(k + 2) % 4] - b) + np.linalg.norm(a - c[(k + 3) % 4]))
    positive = rng.random() < 0.4
    min_neg = max(2.5, 0.01 * per)
    da = db = 0.0
    r = rng.random()
    if positive:
        pass
    elif r < 0.35:
        peaks = [o for o in edge_offsets(img, a, b, n, extent) if abs(o) >= min_neg][:5]
        da = db = peaks[int(rng.integers(len(peaks)))] if peaks else min_neg
    elif r < 0.65:
        da = db = rng.uniform(min_neg, max(SPAN * extent, min_neg + 1)) * (-1 if rng.random() < 0.6 else 1)
    else:
        # A line at an angle to the side (a row of text, a shadow's edge,
        # a stripe seen in perspective): its ends anywhere in the strip.
        reach = max(SPAN * extent, min_neg + 1)
        while max(abs(da), abs(db)) < min_neg:
            da, db = rng.uniform(-reach, reach, 2)
    p = a + (da + rng.normal(0, 0.5)) * n
    q = b + (db + rng.normal(0, 0.5)) * n
    return sample(img, strip_points(p, q, near, k)).astype(np.float16), positive


def build(images, corners, scenes, count, seed, workers):
    rng = np.random.default_rng(seed)
    jobs = [(seed, j, int(s)) for j, s in enumerate(rng.choice(scenes, count))]
    with Pool(workers, initializer=_init, initargs=(images, corners)) as pool:
        out = pool.map(make, jobs, chunksize=512)
    x = np.stack([o[0] for o in out])
    y = np.asarray([o[1] for o in out], np.float32)
    return x, y


def load(caches):
    images, corners, labels = [], [], []
    for c in caches:
        z = np.load(c)
        images.append(z["images"]), corners.append(z["corners"]), labels.append(z["labels"])
    first = len(labels[0])
    images, corners, labels = np.concatenate(images), np.concatenate(corners), np.concatenate(labels)
    idx = np.arange(len(labels))
    val = (idx >= first - VAL_SCENES) & (idx < first)
    cards = labels > 0
    return images, corners, idx[cards & ~val], idx[cards & val]


def evaluate(net, x, y):
    net.eval()
    with torch.no_grad():
        logits = torch.cat([net(torch.from_numpy(x[i:i + 1024].astype(np.float32)))[:, 0]
                            for i in range(0, len(x), 1024)]).numpy()
    pred = logits > 0
    acc = float((pred == (y > 0.5)).mean())
    pos, neg = logits[y > 0.5], logits[y < 0.5]
    # AUC by ranks: how often a true side outscores a wrong line.
    ranks = np.argsort(np.argsort(np.concatenate([pos, neg])))
    auc = (ranks[:len(pos)].sum() - len(pos) * (len(pos) - 1) / 2) / (len(pos) * len(neg))
    return acc, float(auc)


def main():
    a = args_parser().parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    images, corners, train_scenes, val_scenes = load(a.caches)
    x, y = build(images, corners, train_scenes, a.samples, a.seed, a.threads)
    xv, yv = build(images, corners, val_scenes, a.val_samples, a.seed + 1, a.threads)
    print(f"strips: {len(x)} train, {len(xv)} val, {time.time() - t0:.0f} s", flush=True)
    net = SideCheckNet()
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)
    steps = a.epochs * (len(x) // a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.1)
    rng = np.random.default_rng(a.seed + 2)
    for epoch in range(a.epochs):
        net.train()
        order = rng.permutation(len(x))
        total = 0.0
        for i in range(len(x) // a.batch):
            b = order[i * a.batch:(i + 1) * a.batch]
            xb = torch.from_numpy(x[b].astype(np.float32))
            flip = torch.from_numpy(rng.random(len(b)) < 0.5)
            xb[flip] = xb[flip].flip(3)  # along the line: the same side seen from its other end
            loss = F.binary_cross_entropy_with_logits(net(xb)[:, 0], torch.from_numpy(y[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        acc, auc = evaluate(net, xv, yv)
        print(f"epoch {epoch + 1}: loss {total / (len(x) // a.batch):.4f} val acc {acc:.4f} auc {auc:.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)
    torch.save(net.state_dict(), out / "side_check.pt")
    net.eval()
    torch.onnx.export(net, torch.zeros(BATCH_EXPORT, 2, STRIP_H, STRIP_W), a.model, opset_version=13,
                      input_names=["strips"], output_names=["edge_logit"], dynamo=False)
    params = sum(p.numel() for p in net.parameters())
    print(f"exported {a.model}: {params} parameters, {Path(a.model).stat().st_size} bytes")


if __name__ == "__main__":
    main()
