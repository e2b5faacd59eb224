"""Trains the second look (cardnet/second_look.py) and exports
core/models/secondlook.onnx.

Samples: every card of the training scenes (the detector's 320 x 180 luma
caches, `training/out/<dir>.npz`, built by train.py) seen through a
detector-like wrong outline (`second_look.perturb`), with the true corners as
targets (the outline turned half a turn in half the samples, so the card's
top-left is its first or third corner, as the classical detector's
image-ordered outlines give it); the card's side and that half turn are the
layout head's targets; and, for the "card" logit, outlines that are not on a card: the
distractors of card-free scenes (paper, phones, screens, books, guide
frames) and random ID-1-shaped outlines.

Seeded and reproducible: sample i of epoch e is a pure function of (seed, e,
i). Validation: the last 600 scenes of the first --data directory, never
trained on, with fixed outlines; the runtime figures come from `cardscan
eval`.

    training/.venv/bin/python training/train_second_look.py \
        --data training/data/train-gen2-640x360-{a,b,c,d,e,f}
"""
import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cardnet.data import CACHE_W, load_cached
from cardnet.second_look import (VIEW_H, VIEW_W, SecondLookNet, apply_h, canonical_corners, decode, flip,
                             homography, perturb, photometric, random_quad, sample_view, targets)

ROOT = Path(__file__).resolve().parent.parent
VAL_SCENES = 600


def args_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", nargs="+", required=True, help="generated scene directories")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--layout-weight", type=float, default=0.3, help="weight of the layout (side, upside down) loss")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--cache-dir", default=str(ROOT / "training/out"))
    p.add_argument("--out", default=str(ROOT / "training/out/second_look"))
    p.add_argument("--model", default=str(ROOT / "core/models/secondlook.onnx"))
    return p


def distractors(directory, out):
    """Per scene, the outlines (in cache pixels) of the distractors of
    card-free scenes; cached as one flat array + scene index."""
    cache = out / f"distractors-{Path(directory).name}.npz"
    if cache.exists():
        z = np.load(cache)
        return z["scene"], z["quad"]
    scene, quads = [], []
    for i, js in enumerate(sorted(Path(directory).glob("*.json"))):
        meta = json.loads(js.read_text())
        if meta.get("kind") == "card":
            continue
        k = max(1, round(meta["width"] / CACHE_W))
        for d in meta.get("distractors", []):
            scene.append(i)
            quads.append(np.asarray(d["corners"], np.float32).reshape(4, 2) / k)
    scene, quads = np.asarray(scene, np.int64), np.asarray(quads, np.float32).reshape(-1, 4, 2)
    np.savez(cache, scene=scene, quad=quads)
    return scene, quads


class Samples(torch.utils.data.Dataset):
    """items: (kind, scene, extra) with kind 0 = card (perturbed truth),
    1 = distractor outline (extra = its index), 2 = random outline."""

    def __init__(self, images, corners, labels, dquads, items, seed, train):
        self.images, self.corners, self.labels, self.dquads = images, corners, labels, dquads
        self.items, self.seed, self.train, self.epoch = items, seed, train, 0

    def __len__(self):
        return len(self.items)

    def __getitem__(self, j):
        rng = np.random.default_rng([self.seed, self.epoch if self.train else 10_000, j])
        kind, s, extra = self.items[j]
        img = self.images[s]
        h_img, w_img = img.shape
        turned = kind == 0 and rng.random() < 0.5
        if kind == 0:
            quad = perturb(rng, self.corners[s])
            if turned:
                quad = quad[[2, 3, 0, 1]]
        elif kind == 1:
            quad = self.dquads[extra] + rng.normal(0, 1.0, (4, 2))
        else:
            quad = random_quad(rng, w_img, h_img)
        view = sample_view(img, quad)
        if kind == 0:
            h_inv = np.linalg.inv(homography(canonical_corners(), quad))
            pts = apply_h(h_inv, self.corners[s])
            if turned:  # corner k of the targets stays the one nearest canonical corner k
                pts = pts[[2, 3, 0, 1]]
        else:
            pts = canonical_corners()
        upside_down = turned
        if self.train:
            view = photometric(rng, view)
            view, pts, vertical = flip(rng, view, pts)
            upside_down ^= vertical
        heat, off, mask = targets(pts)
        truth = self.corners[s][[2, 3, 0, 1]] if turned else self.corners[s]  # in the outline's order
        layout = torch.tensor([float(self.labels[s] == 2), float(upside_down)])
        return (torch.from_numpy(view), torch.tensor(float(kind == 0)), layout,
                torch.from_numpy(heat), torch.from_numpy(off), torch.from_numpy(mask),
                torch.from_numpy(quad.astype(np.float32)), torch.from_numpy(truth.astype(np.float32)))


def losses(heat, off, logit, layout, card, t_layout, t_heat, t_off, t_mask, layout_weight=1.0):
    """Card BCE + (cards only) layout BCE (back, upside down), spatial-softmax
    CE on the heatmaps and smooth L1 on the offsets, as the detector's loss."""
    bce = F.binary_cross_entropy_with_logits(logit[:, 0], card)
    lay = F.binary_cross_entropy_with_logits(layout, t_layout, reduction="none").sum(-1)
    bce = bce + layout_weight * (lay * card).sum() / card.sum().clamp(min=1)
    n = heat.shape[0]
    logp = F.log_softmax(heat.reshape(n, 4, -1), dim=-1)
    hm = -(t_heat.reshape(n, 4, -1) * logp).sum(-1).mean(-1)
    hm = (hm * card).sum() / card.sum().clamp(min=1)
    m = t_mask.repeat_interleave(2, dim=1) * card[:, None, None, None]
    l1 = (F.smooth_l1_loss(off, t_off, reduction="none", beta=0.1) * m).sum() / m.sum().clamp(min=1)
    return bce + hm + 2.0 * l1


def corner_error(quads, truth):
    """Worst corner distance over the outline's perimeter, per sample."""
    per = np.linalg.norm(truth - np.roll(truth, -1, axis=1), axis=-1).sum(-1)
    return np.linalg.norm(quads - truth, axis=-1).max(-1) / per


@torch.no_grad()
def evaluate(model, loader):
    """Share of card outlines within 1.7 % of the perimeter (eval's corner
    criterion) before and after refining, mean worst-corner error, the card
    logit's accuracy, and on cards the side's and the orientation's."""
    model.eval()
    before, after, hits, side, turn = [], [], [], [], []
    for view, card, t_layout, _h, _o, _m, quad, truth in loader:
        heat, off, logit, layout = model(view)
        hits.append(((logit[:, 0] > 0).float() == card).numpy())
        right = ((layout > 0).float() == t_layout).numpy()[card.numpy() > 0]
        side.append(right[:, 0])
        turn.append(right[:, 1])
        pred = decode(heat, off).numpy()
        for b in np.nonzero(card.numpy() > 0)[0]:
            q = quad[b].numpy().astype(np.float64)
            refined = apply_h(homography(canonical_corners(), q), pred[b])
            before.append(corner_error(q[None], truth[b].numpy()[None])[0])
            after.append(corner_error(refined[None], truth[b].numpy()[None])[0])
    model.train()
    before, after = np.asarray(before), np.asarray(after)
    return {"good_before": float((before <= 0.017).mean()), "good_after": float((after <= 0.017).mean()),
            "err_before": float(before.mean()), "err_after": float(after.mean()),
            "card_accuracy": float(np.concatenate(hits).mean()),
            "side_accuracy": float(np.concatenate(side).mean()),
            "orientation_accuracy": float(np.concatenate(turn).mean())}


def export(model, path):
    model.eval()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, (torch.zeros(1, 2, VIEW_H, VIEW_W),), str(path), input_names=["view"],
                      output_names=["heatmaps", "offsets", "card_logit", "layout"], opset_version=13, dynamo=False)
    return path.stat().st_size


def load(a, out):
    """All scenes' images and corners, one flat list; train and validation
    items."""
    images, corners, labels_all, train, val = [], [], [], [], []
    dquads_all = []
    for d_i, d in enumerate(a.data):
        imgs, pts, labels = load_cached(d, Path(a.cache_dir) / f"{Path(d).name}.npz")
        dscene, dquads = distractors(d, out)
        base, dbase = len(images), sum(len(q) for q in dquads_all)
        images += list(imgs)
        corners.append(pts)
        labels_all.append(labels)
        dquads_all.append(dquads)
        n = len(imgs)
        for i in range(n):
            target = val if d_i == 0 and i >= n - VAL_SCENES else train
            if labels[i]:
                target.append((0, base + i, 0))
            else:
                target.append((2, base + i, 0))
        for k, s in enumerate(dscene):
            target = val if d_i == 0 and s >= n - VAL_SCENES else train
            target.append((1, base + int(s), dbase + k))
        print(f"{d}: {n} scenes, {int((labels > 0).sum())} cards, {len(dquads)} distractors", flush=True)
    return images, np.concatenate(corners), np.concatenate(labels_all), np.concatenate(dquads_all), train, val


def main():
    a = args_parser().parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    images, corners, labels, dquads, train_items, val_items = load(a, out)
    train_ds = Samples(images, corners, labels, dquads, train_items, a.seed, True)
    val_ds = Samples(images, corners, labels, dquads, val_items, a.seed, False)
    kw = dict(batch_size=a.batch, num_workers=a.workers, persistent_workers=False)
    val_loader = torch.utils.data.DataLoader(val_ds, shuffle=False, **kw)
    model = SecondLookNet()
    opt = torch.optim.AdamW(model.parameters(), a.lr, weight_decay=1e-4)
    steps = a.epochs * math.ceil(len(train_ds) / a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, a.lr, total_steps=steps, pct_start=0.05)
    gen = torch.Generator().manual_seed(a.seed)
    t0, history = time.time(), []
    print(f"{len(train_items)} training samples, {len(val_items)} validation", flush=True)
    for epoch in range(1, a.epochs + 1):
        train_ds.epoch = epoch
        loader = torch.utils.data.DataLoader(train_ds, shuffle=True, generator=gen, drop_last=True, **kw)
        total, count = 0.0, 0
        for view, card, t_layout, t_heat, t_off, t_mask, _q, _t in loader:
            heat, off, logit, layout = model(view)
            loss = losses(heat, off, logit, layout, card, t_layout, t_heat, t_off, t_mask, a.layout_weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total, count = total + loss.item(), count + 1
        metrics = evaluate(model, val_loader)
        history.append({"epoch": epoch, "loss": total / max(count, 1), **metrics})
        print(f"epoch {epoch} loss {total / max(count, 1):.3f} {json.dumps(metrics)} "
              f"({(time.time() - t0) / 60:.1f} min)", flush=True)
        torch.save(model.state_dict(), out / f"second-look-e{epoch}.pt")
    size = export(model, a.model)
    summary = {
        "params": sum(p.numel() for p in model.parameters()),
        "onnx_bytes": size,
        "input": [1, 2, VIEW_H, VIEW_W],
        "train_samples": len(train_items),
        "val_samples": len(val_items),
        "epochs": a.epochs, "layout_weight": a.layout_weight, "lr": a.lr, "batch": a.batch, "seed": a.seed, "data": a.data,
        "minutes": round((time.time() - t0) / 60, 1),
        "history": history,
        "torch": torch.__version__,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: v for k, v in summary.items() if k != "history"}))


if __name__ == "__main__":
    main()
