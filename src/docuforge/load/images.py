"""Image inputs (PNG, JPEG, TIFF, WebP, BMP, GIF) as pages: decoded lazily, guarded against bombs.

Pillow reads only the header on open, so the pixel and frame limits are checked before a single
pixel is decoded: a 1 KB PNG that claims 100,000 x 100,000 pixels is refused, not inflated.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from docuforge.errors import DocumentError, ErrorCode

MAX_PIXELS = 120_000_000  # per frame: a 600 dpi A0 poster still fits; larger is a bomb or a mistake
MIN_SIDE = 16  # pixels: nothing smaller holds a legible character
_DEFAULT_DPI = 200.0  # an image that does not say: a scan's usual resolution
# Pillow's own bomb check raises at twice its limit and only warns below; ours runs first, so
# Pillow's is lifted to the same figure instead of firing with a less useful message.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageSource:
    """An image file's frames as RGB arrays. A TIFF has pages; a GIF or WebP animation counts its
    first frame only, because later frames of an animation are not further pages of a document."""

    def __init__(self, source: str | Path | bytes, kind: str) -> None:
        self.kind = kind
        try:
            self._image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
            self._image.size  # noqa: B018 - the header is parsed here, before any pixel
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise DocumentError(
                f"the image cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT
            ) from None
        except Image.DecompressionBombError as error:
            raise DocumentError(str(error), code=ErrorCode.IMAGE_TOO_LARGE, status_code=413) from None
        frames = getattr(self._image, "n_frames", 1)
        self.page_count = frames if self._image.format in ("TIFF", "MPO") else 1
        width, height = self._image.size
        if width * height > MAX_PIXELS:
            raise DocumentError(
                f"the image is {width} x {height} pixels, more than the limit of {MAX_PIXELS:,}",
                code=ErrorCode.IMAGE_TOO_LARGE,
                status_code=413,
            )
        if min(width, height) < MIN_SIDE:
            raise DocumentError(
                f"the image is {width} x {height} pixels; at least {MIN_SIDE} on each side is needed",
                code=ErrorCode.IMAGE_TOO_SMALL,
            )

    def __enter__(self) -> ImageSource:
        return self

    def __exit__(self, *_: object) -> None:
        self._image.close()

    def page(self, index: int) -> tuple[np.ndarray, float]:
        """Frame `index` as an RGB array upright (EXIF orientation applied), and its dots per inch."""
        try:
            self._image.seek(index)
            width, height = self._image.size
            if width * height > MAX_PIXELS:  # each TIFF page declares its own size
                raise DocumentError(
                    f"page {index + 1} is {width} x {height} pixels, more than the limit of {MAX_PIXELS:,}",
                    code=ErrorCode.IMAGE_TOO_LARGE,
                    status_code=413,
                )
            with warnings.catch_warnings():
                # Truncated-file and palette warnings: what can be decoded is decoded.
                warnings.simplefilter("ignore")
                # A new image, turned as its EXIF says: the file's own stays as it was. A page
                # without the tag is not copied (tens of milliseconds a page at 200 dpi).
                upright = self._image
                if self._image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
                    upright = ImageOps.exif_transpose(self._image)
                rgb = _to_rgb(upright)
        except DocumentError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise DocumentError(
                f"page {index + 1} of the image cannot be decoded: {error}", code=ErrorCode.DOCUMENT_CORRUPT
            ) from None
        return np.asarray(rgb), _dpi(self._image, rgb.size)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any mode to 8-bit RGB; transparency is laid on white paper, as a viewer shows it."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        values = np.asarray(image, dtype=np.float64)
        top = values.max() or 1.0
        image = Image.fromarray((values * (255.0 / top)).astype(np.uint8))
    elif image.mode == "F":
        image = Image.fromarray(np.clip(np.asarray(image), 0, 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, image).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")  # a page is megabytes: no copy


def _dpi(image: Image.Image, size: tuple[int, int]) -> float:
    """The resolution the file declares, if plausible; else the one that makes it a letter-sized page.

    Page sizes matter only through the layout heuristics' point thresholds, so a photo without
    a resolution is read as if its long side were 11 inches: a phone photo of a page is that.
    """
    declared = image.info.get("dpi")
    if declared:
        try:
            value = float(declared[0])
        except (TypeError, ValueError, IndexError):
            value = 0.0
        if 50 <= value <= 2400:
            return value
    long_side = max(size)
    return max(long_side / 11.0, 20.0) if long_side > 11 * _DEFAULT_DPI / 2 else _DEFAULT_DPI
