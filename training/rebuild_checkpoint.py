"""Rebuild a training checkpoint from an exported cardnet ONNX model.

Why: a warm restart (`train.py --init`) needs the PyTorch weights, and the
committed model's checkpoint (r8) was lost with the machine it was trained
on. The export folds each BatchNorm into the convolution before it, so the
ONNX holds, per convolution, the folded weight W and bias b. This script
puts them back into a `CardNet`:

1. The ONNX `Conv` nodes, in graph order, are the model's `Conv2d` modules in
   the order a forward pass calls them (checked shape by shape).
2. Each convolution gets W; its BatchNorm is set so that in eval mode it adds
   b and nothing else, with running statistics measured on real training
   samples (mean m and variance v of the convolution's output): running
   mean m, running variance v, weight sqrt(v + eps), bias m + b. Eval-mode
   output is then exactly the export's, and train-mode batches (normalised
   by their own statistics, close to m and v) behave like it, so training
   resumes where the model was instead of from rescaled activations.
3. Check: the rebuilt model is exported again and every initialiser is
   compared with the original's.

    training/.venv/bin/python training/rebuild_checkpoint.py \\
        --onnx core/models/cardnet.onnx --data training/data/train-gen2-640x360-a \\
        --cache training/out/train-gen2-640x360-a.npz --out training/out/r8-rebuilt.pt
"""
import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cardnet.data import SceneDataset, load_cached  # noqa: E402
from cardnet.model import IN_H, IN_W, CardNet  # noqa: E402
from cardnet.textures import load_textures  # noqa: E402
from train import export_onnx  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def onnx_convs(path):
    """(weight, bias) of every Conv node in graph order, and the Gemm's."""
    m = onnx.load(str(path))
    init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    convs, gemm = [], None
    for node in m.graph.node:
        if node.op_type == "Conv":
            w = init[node.input[1]]
            b = init[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0], np.float32)
            convs.append((w, b))
        elif node.op_type == "Gemm":
            gemm = (init[node.input[1]], init[node.input[2]])
    return convs, gemm


def conv_call_order(model):
    """The model's Conv2d modules in the order a forward pass calls them,
    each with the BatchNorm that follows it (None for the heads)."""
    bn_after = {}
    for mod in model.modules():
        if isinstance(mod, nn.Sequential):
            kids = list(mod)
            for a, b in zip(kids, kids[1:]):
                if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                    bn_after[a] = b
    order = []
    hooks = [m.register_forward_hook(lambda mod, i, o: order.append(mod))
             for m in model.modules() if isinstance(m, nn.Conv2d)]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 1, IN_H, IN_W))
    for h in hooks:
        h.remove()
    return [(c, bn_after.get(c)) for c in order]


def output_stats(model, convs, batch):
    """Per-channel mean and variance of each convolution's output on `batch`
    (the model in eval mode, so every layer sees what the export computes)."""
    stats, hooks = {}, []
    for conv, bn in convs:
        if bn is None:
            continue

        def hook(mod, i, o, conv=conv):
            stats[conv] = (o.mean(dim=(0, 2, 3)), o.var(dim=(0, 2, 3), unbiased=False))
        hooks.append(conv.register_forward_hook(hook))
    model.eval()
    with torch.no_grad():
        model(batch)
    for h in hooks:
        h.remove()
    return stats


def load_folded(model, convs, folded, gemm, stats=None):
    """Folded weights into `model`; BatchNorms add the folded bias (and, with
    `stats`, carry those running statistics with an exactly compensating
    scale and shift)."""
    with torch.no_grad():
        for (conv, bn), (w, b) in zip(convs, folded):
            if tuple(conv.weight.shape) != w.shape:
                raise SystemExit(f"shape mismatch: model {tuple(conv.weight.shape)} vs onnx {w.shape}")
            conv.weight.copy_(torch.from_numpy(w.copy()))
            b = torch.from_numpy(b.copy())
            if bn is None:
                conv.bias.copy_(b)
                continue
            m, v = stats[conv] if stats else (torch.zeros_like(b), torch.ones_like(b) - bn.eps)
            bn.running_mean.copy_(m)
            bn.running_var.copy_(v)
            bn.weight.copy_(torch.sqrt(v + bn.eps))
            bn.bias.copy_(m + b)
        model.cls_fc.weight.copy_(torch.from_numpy(gemm[0].copy()))
        model.cls_fc.bias.copy_(torch.from_numpy(gemm[1].copy()))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--onnx", default=str(ROOT / "core/models/cardnet.onnx"))
    p.add_argument("--data", default=str(ROOT / "training/data/train-gen2-640x360-a"))
    p.add_argument("--cache", default=str(ROOT / "training/out/train-gen2-640x360-a.npz"),
                   help="the scenes' cache (train.py's, written there if missing)")
    p.add_argument("--samples", type=int, default=512, help="training samples for the BatchNorm statistics")
    p.add_argument("--out", default=str(ROOT / "training/out/rebuilt.pt"))
    a = p.parse_args()

    folded, gemm = onnx_convs(a.onnx)
    model = CardNet()
    convs = conv_call_order(model)
    if len(convs) != len(folded):
        raise SystemExit(f"{len(convs)} convolutions in the model, {len(folded)} in the ONNX")
    load_folded(model, convs, folded, gemm)

    images, corners, labels = load_cached(a.data, a.cache)
    n = min(a.samples, len(images))
    ds = SceneDataset(images[:n], corners[:n], labels[:n], load_textures(), seed=1, train=True)
    batch = torch.stack([ds[i][0] for i in range(n)])
    load_folded(model, convs, folded, gemm, output_stats(model, convs, batch))

    with tempfile.TemporaryDirectory() as tmp:
        again = Path(tmp) / "again.onnx"
        export_onnx(model, again)
        convs_again, gemm_again = onnx_convs(again)
        pairs = [(x, y) for (xw, xb), (yw, yb) in zip(convs_again, folded)
                 for x, y in ((xw, yw), (xb, yb))] + list(zip(gemm_again, gemm))
        worst = max(float(np.abs(x - y).max() / (np.abs(y).max() + 1e-12)) for x, y in pairs)
    print(f"{len(folded)} convolutions restored; re-exported weights differ by at most "
          f"{worst:.2e} of each tensor's largest value")
    if worst > 1e-4:
        raise SystemExit("the rebuilt model does not reproduce the ONNX")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "rebuilt_from": str(a.onnx)}, a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
