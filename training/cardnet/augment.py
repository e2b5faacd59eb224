"""Domain randomisation: every training sample is a fresh random view of a
stored scene — crop, zoom, rotation, perspective, aspect ratio (with the
letterboxing the runtime does), real-photo backgrounds, lighting, blur, noise,
JPEG and occluders — with the corner labels carried through the same geometry.

All coordinates are continuous (pixel edges at integers), as in the Rust
frame module; PIL's transforms use the same convention."""
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from scipy import ndimage

from .model import IN_W, IN_H

BILINEAR = Image.Resampling.BILINEAR
PERSPECTIVE = Image.Transform.PERSPECTIVE


def homography(src, dst):
    """3x3 H with H @ [src, 1] ~ [dst, 1] for four point pairs."""
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y]); b.append(v)
    h = np.linalg.solve(np.asarray(a, np.float64), np.asarray(b, np.float64))
    return np.append(h, 1.0).reshape(3, 3)


def apply_h(h, pts):
    pts = np.asarray(pts, np.float64)
    p = np.c_[pts, np.ones(len(pts))] @ h.T
    return p[:, :2] / p[:, 2:3]


def content_size(rng):
    """Size of the frame's image inside the 160x96 input after letterboxing
    (fit inside, keep the aspect ratio), for a random camera aspect ratio."""
    r = rng.random()
    aspect = 16 / 9 if r < 0.6 else 4 / 3 if r < 0.8 else rng.uniform(1.2, 2.0)
    if IN_W / aspect <= IN_H:
        return IN_W, max(8, int(round(IN_W / aspect))), aspect
    return max(8, int(round(IN_H * aspect))), IN_H, aspect


def letterbox(img):
    """Pads a content image (h <= IN_H, w <= IN_W) to the network input by
    repeating its last row / column, exactly as the Rust runtime does."""
    h, w = img.shape
    return np.pad(img, ((0, IN_H - h), (0, IN_W - w)), mode="edge")


def random_view(rng, src_w, src_h, cw, ch, aspect, strength=1.0):
    """Quad in source coordinates that the content image (cw x ch) will show."""
    # Crop of the requested aspect ratio, as large as fits, then zoomed.
    if src_w / src_h > aspect:
        vh, vw = src_h, src_h * aspect
    else:
        vw, vh = src_w, src_w / aspect
    zoom = np.exp(rng.uniform(np.log(0.7), np.log(1.25))) if strength > 0 else 1.0
    vw, vh = vw * zoom, vh * zoom
    cx = src_w / 2 + rng.uniform(-0.5, 0.5) * abs(src_w - vw) * strength
    cy = src_h / 2 + rng.uniform(-0.5, 0.5) * abs(src_h - vh) * strength
    quad = np.array([[-vw / 2, -vh / 2], [vw / 2, -vh / 2], [vw / 2, vh / 2], [-vw / 2, vh / 2]])
    if strength > 0:
        r = rng.random()
        ang = rng.normal(0, 6) if r < 0.8 else rng.uniform(-30, 30)
        if rng.random() < 0.08:
            ang += 180.0
        t = np.deg2rad(ang)
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        quad = quad @ rot.T
        quad += rng.normal(0, 0.03, size=(4, 2)) * np.array([vw, vh])
    quad += np.array([cx, cy])
    return quad


def warp(img, h_out_to_src, cw, ch):
    coeffs = (h_out_to_src / h_out_to_src[2, 2]).ravel()[:8]
    return np.asarray(Image.fromarray(img).transform((cw, ch), PERSPECTIVE, tuple(coeffs), resample=BILINEAR))


def texture_crop(rng, textures, cw, ch):
    """A random, randomly scaled and rotated crop of a real photo."""
    _, tex = textures[rng.integers(len(textures))]
    th, tw = tex.shape
    s = rng.uniform(0.25, 1.0) * min(tw / cw, th / ch)
    w, h = cw * s, ch * s
    x0, y0 = rng.uniform(0, tw - w), rng.uniform(0, th - h)
    quad = np.array([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]])
    quad = np.roll(quad, rng.integers(4), axis=0)
    hm = homography([[0, 0], [cw, 0], [cw, ch], [0, ch]], quad)
    out = warp(tex, hm, cw, ch).astype(np.float32)
    gain, bias = rng.uniform(0.5, 1.3), rng.uniform(-40, 40)
    return np.clip(out * gain + bias, 0, 255)


def polygon_mask(quad, cw, ch):
    m = Image.new("L", (cw, ch), 0)
    ImageDraw.Draw(m).polygon([tuple(p) for p in quad], fill=255)
    return np.asarray(m, np.float32) / 255.0


def photometric(rng, img):
    """Lighting, blur, noise, occluders and compression on a float image."""
    h, w = img.shape
    # Exposure and contrast, then gamma.
    img = img * rng.uniform(0.7, 1.3) + rng.uniform(-25, 25)
    img = np.clip(img, 0, 255)
    img = 255.0 * (img / 255.0) ** rng.uniform(0.7, 1.45)
    # Lighting gradient (lamp to one side, shadow).
    if rng.random() < 0.5:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        gx, gy = rng.normal(0, 1, 2)
        ramp = (gx * (xx / w - 0.5) + gy * (yy / h - 0.5))
        img = img * (1.0 + rng.uniform(0.1, 0.6) * ramp)
    # Glare spot.
    if rng.random() < 0.12:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(3, 18)
        img = img + rng.uniform(80, 255) * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
    # Occluders (fingers, objects): grey blobs over random spots.
    for _ in range(rng.poisson(0.35)):
        bw, bh = rng.uniform(4, 0.3 * w), rng.uniform(4, 0.3 * h)
        x0, y0 = rng.uniform(-bw / 2, w - bw / 2), rng.uniform(-bh / 2, h - bh / 2)
        m = Image.new("L", (w, h), 0)
        ImageDraw.Draw(m).ellipse([x0, y0, x0 + bw, y0 + bh], fill=255)
        m = np.asarray(m, np.float32) / 255.0
        img = img * (1 - m) + m * (rng.uniform(30, 230) + rng.normal(0, 8, size=img.shape))
    # Blur: defocus or motion.
    r = rng.random()
    if r < 0.3:
        img = ndimage.gaussian_filter(img, rng.uniform(0.3, 1.3))
    elif r < 0.4:
        n = int(rng.integers(2, 6))
        k = np.zeros((2 * n + 1, 2 * n + 1), np.float32)
        t = rng.uniform(0, np.pi)
        for s in np.linspace(-n, n, 4 * n + 1):
            k[int(round(n + s * np.sin(t))), int(round(n + s * np.cos(t)))] = 1
        img = ndimage.convolve(img, k / k.sum(), mode="nearest")
    # Sensor noise.
    img = img + rng.normal(0, rng.uniform(0, 7), size=img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.35:
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, format="JPEG", quality=int(rng.integers(20, 90)))
        img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return img


def _corners_in_reach(pts, cw, ch):
    """Corners may leave the view (a card partly out of frame) but not so far
    that the offset head has to guess half a frame away."""
    m = 0.3 * cw
    return bool(np.all((pts[:, 0] > -m) & (pts[:, 0] < cw + m) & (pts[:, 1] > -m) & (pts[:, 1] < ch + m)))


def make_sample(rng, scene, textures, train=True):
    """One network input (uint8 IN_H x IN_W), its corners in input pixels
    (4x2, card's own clockwise order from its top-left), the content size
    (cw, ch) inside the letterbox, and the class (0 none, 1 front, 2 back)."""
    img, corners, label = scene
    src_h, src_w = img.shape
    if train and rng.random() < 0.05:
        # Pure real-photo negative.
        cw, ch, _ = content_size(rng)
        out = photometric(rng, texture_crop(rng, textures, cw, ch))
        return letterbox(out), np.zeros((4, 2), np.float32), (cw, ch), 0
    aspect = src_w / src_h
    cw, ch = (IN_W, int(round(IN_W / aspect))) if IN_W / aspect <= IN_H else (int(round(IN_H * aspect)), IN_H)
    quad = random_view(rng, src_w, src_h, cw, ch, aspect, strength=0.0)
    dst = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float64)
    if train:
        for _ in range(6):
            tcw, tch, taspect = content_size(rng)
            tquad = random_view(rng, src_w, src_h, tcw, tch, taspect)
            tdst = np.array([[0, 0], [tcw, 0], [tcw, tch], [0, tch]], np.float64)
            h = homography(tdst, tquad)
            if not label or _corners_in_reach(apply_h(np.linalg.inv(h), corners), tcw, tch):
                cw, ch, quad, dst = tcw, tch, tquad, tdst
                break
    h_out_to_src = homography(dst, quad)
    out = warp(img, h_out_to_src, cw, ch).astype(np.float32)
    pts = apply_h(np.linalg.inv(h_out_to_src), corners) if label else np.zeros((4, 2))
    if train:
        valid = warp(np.full_like(img, 255), h_out_to_src, cw, ch).astype(np.float32) / 255.0
        need_bg = valid.min() < 0.999
        if need_bg or rng.random() < 0.3:
            bg = texture_crop(rng, textures, cw, ch)
            keep = valid
            if label and rng.random() < 0.8:
                keep = polygon_mask(pts, cw, ch) * valid
            out = out * keep + bg * (1 - keep)
        out = photometric(rng, out)
    else:
        out = np.clip(out, 0, 255).astype(np.uint8)
    return letterbox(out), pts.astype(np.float32), (cw, ch), label
