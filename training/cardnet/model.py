"""The network: a MobileNet-style depthwise-separable encoder on a small luma
image, a two-step upsampling decoder to stride 4, four corner heatmaps (the
card's own top-left, top-right, bottom-right, bottom-left) and a three-way head
(no card / front / back).

Why this shape: corner heatmaps keep the geometry translation-equivariant and
decode to sub-cell precision with a local soft-argmax; the coarse bottleneck
sees the whole card, which the corner identities and the side need (an
upside-down card still has its own top-left).
"""
import torch
from torch import nn
import torch.nn.functional as F

# Fixed network input (width, height), in pixels of the downscaled luma image.
IN_W, IN_H = 160, 96
# Output stride of the heatmaps: cell (j, i) is centred on input pixel
# coordinate (STRIDE * j + STRIDE / 2, STRIDE * i + STRIDE / 2) with pixel
# edges at integers.
STRIDE = 4
HM_W, HM_H = IN_W // STRIDE, IN_H // STRIDE
CLASSES = ("none", "front", "back")


def conv_bn(cin, cout, k=3, s=1, groups=1, dilation=1):
    pad = dilation * (k // 2)
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, s, pad, dilation=dilation, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DwSep(nn.Module):
    """Depthwise 3x3 + pointwise 1x1, with a residual when shapes allow."""

    def __init__(self, cin, cout, s=1, dilation=1):
        super().__init__()
        self.dw = conv_bn(cin, cin, 3, s, groups=cin, dilation=dilation)
        self.pw = nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.res = s == 1 and cin == cout

    def forward(self, x):
        y = self.pw(self.dw(x))
        if self.res:
            y = y + x
        return F.relu(y)


class CardNet(nn.Module):
    def __init__(self, width=1.0):
        super().__init__()
        c = [int(round(v * width)) for v in (16, 32, 64, 128)]
        self.stem = conv_bn(1, c[0], 3, 2)                       # /2
        self.s4 = nn.Sequential(DwSep(c[0], c[1], 2), DwSep(c[1], c[1]))          # /4
        self.s8 = nn.Sequential(DwSep(c[1], c[2], 2), DwSep(c[2], c[2]), DwSep(c[2], c[2]))  # /8
        self.s16 = nn.Sequential(
            DwSep(c[2], c[3], 2), DwSep(c[3], c[3]), DwSep(c[3], c[3], dilation=2),
            DwSep(c[3], c[3], dilation=4),
        )  # /16
        d = 48
        self.lat16 = nn.Sequential(nn.Conv2d(c[3], d, 1, bias=False), nn.BatchNorm2d(d))
        self.lat8 = nn.Sequential(nn.Conv2d(c[2], d, 1, bias=False), nn.BatchNorm2d(d))
        self.lat4 = nn.Sequential(nn.Conv2d(c[1], d, 1, bias=False), nn.BatchNorm2d(d))
        self.dec8 = DwSep(d, d)
        self.dec4 = nn.Sequential(DwSep(d, d), DwSep(d, d))
        self.heat = nn.Conv2d(d, 4, 1)
        self.cls = nn.Sequential(nn.Conv2d(c[3], 64, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True))
        self.cls_fc = nn.Linear(64, len(CLASSES))

    def forward(self, x):
        # x: (N, 1, IN_H, IN_W) luma in 0..255 — normalised here so the
        # runtime feeds raw pixel values.
        x = (x - 127.5) / 64.0
        f2 = self.stem(x)
        f4 = self.s4(f2)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        p = self.lat16(f16)
        p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.lat8(f8)
        p = self.dec8(F.relu(p))
        p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.lat4(f4)
        p = self.dec4(F.relu(p))
        heat = self.heat(p)
        g = self.cls(f16).mean(dim=(2, 3))
        return heat, self.cls_fc(g)


def cell_centres(device=None):
    """Input-pixel coordinates of heatmap cell centres, as (xs[HM_W], ys[HM_H])."""
    xs = torch.arange(HM_W, dtype=torch.float32, device=device) * STRIDE + STRIDE / 2
    ys = torch.arange(HM_H, dtype=torch.float32, device=device) * STRIDE + STRIDE / 2
    return xs, ys


def soft_argmax(heat):
    """Differentiable expected (x, y) per heatmap channel: (N, 4, 2)."""
    n, k, h, w = heat.shape
    prob = F.softmax(heat.reshape(n, k, h * w), dim=-1).reshape(n, k, h, w)
    xs, ys = cell_centres(heat.device)
    x = (prob.sum(dim=2) * xs).sum(-1)
    y = (prob.sum(dim=3) * ys).sum(-1)
    return torch.stack([x, y], dim=-1)


def local_soft_argmax(heat, radius=2):
    """The decoding the Rust runtime uses: arg-max cell, then the softmax-weighted
    mean over a (2r+1)^2 window around it. Robust to a second mode (which a
    full soft-argmax would average into a point between corners)."""
    n, k, h, w = heat.shape
    flat = heat.reshape(n, k, -1)
    idx = flat.argmax(-1)
    iy, ix = idx // w, idx % w
    out = torch.zeros(n, k, 2)
    for b in range(n):
        for c in range(k):
            y0, y1 = max(0, iy[b, c] - radius), min(h, iy[b, c] + radius + 1)
            x0, x1 = max(0, ix[b, c] - radius), min(w, ix[b, c] + radius + 1)
            win = heat[b, c, y0:y1, x0:x1]
            p = torch.exp(win - win.max())
            p = p / p.sum()
            gy, gx = torch.meshgrid(torch.arange(y0, y1), torch.arange(x0, x1), indexing="ij")
            out[b, c, 0] = (p * (gx.float() * STRIDE + STRIDE / 2)).sum()
            out[b, c, 1] = (p * (gy.float() * STRIDE + STRIDE / 2)).sum()
    return out


if __name__ == "__main__":
    m = CardNet()
    print(sum(p.numel() for p in m.parameters()), "params")
    h, c = m(torch.zeros(2, 1, IN_H, IN_W))
    print(h.shape, c.shape)
