"""Trains the glare judge (cardnet/glare.py) on the cards of generated
training scenes and exports core/models/glarenet.onnx.

Seeded and reproducible: the views (with their corner jitter) come from the
seed, and so do the batches. Validation is the last 10 % of the views (cards
of the first --data directory's tail), never the test or eval split; the
runtime figures come from `cardscan eval`.

    training/.venv/bin/python training/train_glare.py \
        --data training/data/train-gen2-640x360-{a,b,c,d,e} --per-dir 4000
"""
import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cardnet.glare import IN_H, IN_W, GlareNet, load_views

ROOT = Path(__file__).resolve().parent.parent


def args_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", nargs="+", required=True, help="generated scene directories")
    p.add_argument("--per-dir", type=int, default=4000, help="scenes read from each directory")
    p.add_argument("--epochs", type=int, default=14)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=str(ROOT / "training/out/glare"))
    p.add_argument("--model", default=str(ROOT / "core/models/glarenet.onnx"))
    return p


def views(a, out):
    """All directories' views, cached in `out` per directory and seed."""
    xs, ys = [], []
    for i, d in enumerate(a.data):
        cache = out / f"views-{Path(d).name}-{a.per_dir}-s{a.seed}.npz"
        if cache.exists():
            z = np.load(cache)
            x, y = z["x"], z["y"]
        else:
            x, y = load_views(d, a.per_dir, np.random.default_rng(a.seed * 1000 + i))
            np.savez(cache, x=x.astype(np.uint8), y=y)
        xs.append(x.astype(np.float32))
        ys.append(y)
        print(f"{d}: {len(x)} cards, {int(y[:, 0].sum())} with glare", flush=True)
    return xs, ys


def augment(xb, gen):
    """Mirror the card either way: the reflection's place and the print's
    layout are not what decides."""
    if torch.rand(1, generator=gen) < 0.5:
        xb = xb.flip(3)
    if torch.rand(1, generator=gen) < 0.5:
        xb = xb.flip(2)
    return xb


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        p = torch.cat([torch.sigmoid(model(x[i:i + 256])) for i in range(0, len(x), 256)])
    return float(((p > 0.5) == (y > 0.5)).float().mean())


def export(model, path):
    model.eval()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, (torch.zeros(1, 2, IN_H, IN_W),), str(path), input_names=["view"],
                      output_names=["glare_logit"], opset_version=13, dynamo=False)
    return path.stat().st_size


def main():
    a = args_parser().parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    xs, ys = views(a, out)
    nval = len(xs[0]) // 10
    va_x, va_y = torch.tensor(xs[0][-nval:]), torch.tensor(ys[0][-nval:, 0])
    tr_x = torch.tensor(np.concatenate([xs[0][:-nval]] + xs[1:]))
    tr_y = torch.tensor(np.concatenate([ys[0][:-nval]] + ys[1:])[:, 0])
    model = GlareNet()
    opt = torch.optim.AdamW(model.parameters(), a.lr, weight_decay=1e-4)
    steps = a.epochs * math.ceil(len(tr_x) / 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, a.lr, total_steps=steps, pct_start=0.1)
    gen = torch.Generator().manual_seed(a.seed)
    t0, history = time.time(), []
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(len(tr_x), generator=gen)
        for i in range(0, len(tr_x), 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(augment(tr_x[idx], gen)), tr_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        acc = accuracy(model, va_x, va_y)
        history.append({"epoch": epoch, "val_accuracy": acc})
        print(f"epoch {epoch} val accuracy {acc:.3f} ({(time.time() - t0) / 60:.1f} min)", flush=True)
    torch.save(model.state_dict(), out / "glarenet.pt")
    size = export(model, a.model)
    summary = {
        "params": sum(p.numel() for p in model.parameters()),
        "onnx_bytes": size,
        "input": [1, 2, IN_H, IN_W],
        "train_cards": len(tr_x),
        "train_glare": int(tr_y.sum()),
        "val_cards": nval,
        "epochs": a.epochs,
        "lr": a.lr,
        "seed": a.seed,
        "data": a.data,
        "per_dir": a.per_dir,
        "minutes": round((time.time() - t0) / 60, 1),
        "history": history,
        "torch": torch.__version__,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: v for k, v in summary.items() if k != "history"}))


if __name__ == "__main__":
    main()
