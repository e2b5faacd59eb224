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
        # Per corner, the (dx, dy) from a cell's centre to the corner, in
        # cells: sub-pixel precision, and corners outside the frame (a card
        # partly out of view) from the border cell where the heatmap peaks.
        self.off = nn.Conv2d(d, 8, 1)
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
        p = up2(p) + self.lat8(f8)
        p = self.dec8(F.relu(p))
        p = up2(p) + self.lat4(f4)
        p = self.dec4(F.relu(p))
        g = self.cls(f16).mean(dim=(2, 3))
        return self.heat(p), self.off(p), self.cls_fc(g)


def up2(x):
    """Nearest-neighbour 2x upsampling written as a depthwise transposed
    convolution with 2x2 kernels of ones: the same values as
    `F.interpolate(mode="nearest")`, but tract runs it as a convolution.
    Its ONNX Resize took 40 % of the network's time, and expand + reshape
    (tract materialises the broadcast) still 0.5 ms of 2.1 ms at 1080p."""
    c = x.shape[1]
    ones = torch.ones(c, 1, 2, 2, dtype=x.dtype, device=x.device)
    return F.conv_transpose2d(x, ones, stride=2, groups=c)


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


def decode_corners(heat, off, stride=STRIDE):
    """The decoding the Rust runtime uses: per corner, the arg-max cell plus
    the offset predicted there. Returns (N, 4, 2) input pixels of a heatmap
    grid with cells of `stride` pixels (the detector's by default)."""
    n, k, h, w = heat.shape
    idx = heat.reshape(n, k, -1).argmax(-1)
    iy, ix = idx // w, idx % w
    o = off.reshape(n, k, 2, h * w)
    dx = torch.gather(o[:, :, 0], 2, idx[..., None])[..., 0]
    dy = torch.gather(o[:, :, 1], 2, idx[..., None])[..., 0]
    x = (ix.float() + dx) * stride + stride / 2
    y = (iy.float() + dy) * stride + stride / 2
    return torch.stack([x, y], dim=-1)


if __name__ == "__main__":
    m = CardNet()
    print(sum(p.numel() for p in m.parameters()), "params")
    h, o, c = m(torch.zeros(2, 1, IN_H, IN_W))
    print(h.shape, o.shape, c.shape, decode_corners(h, o).shape)
