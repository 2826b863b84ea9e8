"""Photos checked by their content and re-encoded without metadata.

Pillow (the maintained PIL fork, with security releases for its decoders) identifies the
real format from the bytes, not from a name or a declared type, and decodes the image;
saving the decoded pixels afresh keeps nothing of the upload's EXIF — above all no GPS
position — nor anything smuggled after the image data. The orientation tag is applied to
the pixels first, so a phone photo still stands the right way up.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from servicekit.errors import ProblemError
from servicekit.problems import invalid

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class CleanPhoto:
    content_type: str
    data: bytes


def _refuse(code: str, detail: str, index: int) -> ProblemError:
    return invalid(code, detail, field=f"photos.{index}")


def clean(encoded: str, index: int) -> CleanPhoto:
    """Decode base64, check it is a JPEG or PNG of at most 2 MB, and re-encode it."""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _refuse("photo_not_base64", "Foto harus dikirim sebagai base64.", index) from exc
    if len(raw) > MAX_BYTES:
        raise ProblemError(
            413,
            "photo_too_large",
            "Foto terlalu besar",
            f"Foto ke-{index + 1} melebihi 2 MB.",
            errors=[{"field": f"photos.{index}", "code": "photo_too_large", "message": ""}],
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = probe.format
                if fmt not in _FORMATS:
                    raise _refuse("photo_not_image", "Foto harus JPEG atau PNG.", index)
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse("photo_too_large", "Resolusi foto terlalu besar.", index)
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except ProblemError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as exc:
        raise _refuse("photo_not_image", "Berkas bukan gambar JPEG/PNG yang utuh.", index) from exc
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.convert("RGB").save(out, format="JPEG", quality=85)
    else:
        upright.save(out, format="PNG")
    return CleanPhoto(_FORMATS[fmt], out.getvalue())
