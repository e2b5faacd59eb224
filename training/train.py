#!/usr/bin/env python3
"""Trains cardnet on generated scenes and exports the ONNX model the Rust core
embeds. Seeded and reproducible for a fixed --epochs (a --max-minutes stop is
a safety valve that trades exact reproducibility for a bounded run).

Usage (normally through training/train.sh):
    python training/train.py --data training/data/train --epochs 12
"""
import argparse
import json
import math
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cardnet.data import SceneDataset, hard_scenes, load_cached
from cardnet.metrics import summarise
from cardnet.model import CLASSES, HM_H, HM_W, IN_H, IN_W, CardNet, decode_corners
from cardnet.textures import load_textures

ROOT = Path(__file__).resolve().parent.parent


def args_parser():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", nargs="+", default=[str(ROOT / "training/data/train")],
                   help="scene directories; validation comes from the tail of the first")
    p.add_argument("--out", default=str(ROOT / "training/out"))
    p.add_argument("--model", default=str(ROOT / "core/models/cardnet.onnx"))
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--val", type=int, default=300, help="scenes held out of the train split for validation")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--max-minutes", type=float, default=0, help="stop after the epoch that passes this (0: off)")
    p.add_argument("--cache-name", nargs="+", default=["train_cache.npz"], help="one cache file per --data directory")
    p.add_argument("--init", help="start from this checkpoint's weights with a fresh optimiser and schedule (a warm restart)")
    p.add_argument("--hard-repeat", type=int, default=1,
                   help="draw hard scenes (card partly out of frame or small) this many times per epoch")
    p.add_argument("--keep-epochs", action="store_true", help="also save checkpoint-eN.pt after every epoch")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--export-only", action="store_true")
    return p


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def losses(heat, off, logits, label, t_heat, t_off, t_mask):
    """Class cross-entropy + spatial-softmax cross-entropy against Gaussian
    corner targets + L1 on corner offsets (in cells) around each corner."""
    cls = F.cross_entropy(logits, label)
    n = heat.shape[0]
    has = (label > 0).float()
    logp = F.log_softmax(heat.reshape(n, 4, -1), dim=-1)
    hm = -(t_heat.reshape(n, 4, -1) * logp).sum(-1).mean(-1)
    hm = (hm * has).sum() / has.sum().clamp(min=1)
    m = t_mask.repeat_interleave(2, dim=1)
    l1 = (F.smooth_l1_loss(off, t_off, reduction="none", beta=0.1) * m).sum() / m.sum().clamp(min=1)
    return cls + hm + 2.0 * l1, (cls.item(), hm.item(), l1.item())


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    rows = []
    for img, pts, label, *_ in loader:
        heat, off, logits = model(img)
        pred = logits.argmax(-1)
        dec = decode_corners(heat, off)
        for b in range(img.shape[0]):
            rows.append((int(label[b]), int(pred[b]), pts[b].numpy(), dec[b].numpy()))
    model.train()
    return summarise(rows)


def export_onnx(model, path):
    model.eval()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model, (torch.zeros(1, 1, IN_H, IN_W),), str(path),
        input_names=["luma"], output_names=["heatmaps", "offsets", "classes"],
        opset_version=13, dynamo=False,
    )
    return path.stat().st_size


def main():
    a = args_parser().parse_args()
    torch.set_num_threads(a.threads)
    seed_everything(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if len(a.data) != len(a.cache_name):
        raise SystemExit("give one --cache-name per --data directory")
    sets = [load_cached(d, out / c) for d, c in zip(a.data, a.cache_name)]
    images, corners, labels = sets[0]
    textures = load_textures()
    nval = min(a.val, len(images) // 10)
    va = SceneDataset(images[-nval:], corners[-nval:], labels[-nval:], textures, a.seed, train=False)
    tr_images, tr_corners, tr_labels = list(images[:-nval]), [corners[:-nval]], [labels[:-nval]]
    for im, co, la in sets[1:]:
        tr_images += list(im)
        tr_corners.append(co)
        tr_labels.append(la)
    tr_corners, tr_labels = np.concatenate(tr_corners), np.concatenate(tr_labels)
    order = np.arange(len(tr_images))
    if a.hard_repeat > 1:
        hard = np.flatnonzero(hard_scenes(tr_images, tr_corners, tr_labels))
        order = np.concatenate([order] + [hard] * (a.hard_repeat - 1))
        print(f"{len(hard)} hard scenes drawn {a.hard_repeat} times per epoch", flush=True)
    tr = SceneDataset(tr_images, tr_corners, tr_labels, textures, a.seed, order=order)
    print(f"{len(tr)} training samples per epoch, {len(va)} validation scenes, {len(textures)} textures", flush=True)

    model = CardNet()
    nparams = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    steps_per_epoch = len(tr) // a.batch
    total = steps_per_epoch * a.epochs
    warm = max(1, min(300, total // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / max(1, total))))
    )
    ckpt = out / "checkpoint.pt"
    start_epoch, elapsed, history = 0, 0.0, []
    if a.init:
        model.load_state_dict(torch.load(a.init, weights_only=False)["model"])
        print(f"initialised from {a.init}", flush=True)
    if (a.resume or a.export_only) and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start_epoch, elapsed, history = state["epoch"], state["elapsed"], state["history"]
        print(f"resumed after epoch {start_epoch}", flush=True)

    va_loader = torch.utils.data.DataLoader(va, batch_size=64, num_workers=0)
    for epoch in range(start_epoch, 0 if a.export_only else a.epochs):
        t0 = time.time()
        tr.epoch = epoch
        g = torch.Generator().manual_seed(a.seed * 1000 + epoch)
        loader = torch.utils.data.DataLoader(
            tr, batch_size=a.batch, shuffle=True, drop_last=True, generator=g, num_workers=a.workers,
        )
        run = np.zeros(3)
        for step, (img, _pts, label, t_heat, t_off, t_mask) in enumerate(loader):
            heat, off, logits = model(img)
            loss, parts = losses(heat, off, logits, label, t_heat, t_off, t_mask)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            run += parts
            if step % 25 == 24:
                c, h, l = run / 25
                print(f"epoch {epoch} step {step + 1}/{steps_per_epoch} cls {c:.3f} heat {h:.3f} l1 {l:.2f} "
                      f"lr {sched.get_last_lr()[0]:.2e} {time.time() - t0:.0f}s", flush=True)
                run[:] = 0
        elapsed += time.time() - t0
        m = evaluate(model, va_loader)
        m["epoch"] = epoch + 1
        history.append(m)
        print(f"epoch {epoch + 1} val {json.dumps(m)} total {elapsed / 60:.1f} min", flush=True)
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "epoch": epoch + 1, "elapsed": elapsed, "history": history}, ckpt)
        if a.keep_epochs:
            shutil.copyfile(ckpt, out / f"checkpoint-e{epoch + 1}.pt")
        if a.max_minutes and elapsed / 60 > a.max_minutes:
            print("time budget reached: stopping early", flush=True)
            break

    size = export_onnx(model, a.model)
    summary = {
        "params": nparams, "onnx_bytes": size, "input": [1, 1, IN_H, IN_W],
        "heatmaps": [1, 4, HM_H, HM_W], "offsets": [1, 8, HM_H, HM_W], "classes": list(CLASSES),
        "train_scenes": len(tr_images), "hard_repeat": a.hard_repeat,
        "val_scenes": len(va), "epochs": len(history), "batch": a.batch, "seed": a.seed,
        "train_minutes": round(elapsed / 60, 1), "val": history[-1] if history else None,
        "textures": [n for n, _ in textures], "torch": torch.__version__,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2), flush=True)


if __name__ == "__main__":
    main()
