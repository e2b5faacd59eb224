"""Real photographic textures shipped inside scikit-image (its `skimage.data`
sample images): backgrounds behind synthetic cards and card-free negatives, so
the model sees real-photo statistics and not only the generator's look.

Only images that ship with the wheel are used (no download at run time)."""
import numpy as np

# Images bundled in the scikit-image wheel. `page` and `text` (printed paper)
# are useful hard negatives; `horse` (a binary silhouette) is left out.
NAMES = (
    "astronaut", "brick", "camera", "cat", "chelsea", "clock", "coffee", "coins",
    "grass", "gravel", "hubble_deep_field", "immunohistochemistry", "moon", "page",
    "rocket", "text", "retina", "stereo_motorcycle", "colorwheel",
)


def _to_gray(img):
    img = np.asarray(img)
    if img.dtype == bool:
        img = img.astype(np.uint8) * 255
    if img.ndim == 3:
        img = img[..., :3].astype(np.float32)
        img = 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]
    return np.clip(img, 0, 255).astype(np.uint8)


def load_textures():
    """Greyscale uint8 arrays of every bundled sample image that loads offline."""
    import skimage.data as d

    out = []
    for name in NAMES:
        try:
            img = getattr(d, name)()
        except Exception:  # a name missing from this scikit-image version
            continue
        if isinstance(img, tuple):
            img = img[0]
        out.append((name, _to_gray(img)))
    return out
