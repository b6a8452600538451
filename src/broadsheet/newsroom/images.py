"""Pictures from strangers: verify, bound the size, re-encode and drop every byte of metadata."""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def process_upload(upload):
    """Return a clean re-encoded copy of an uploaded picture, or raise ValidationError."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            f"The picture is too large: the limit is {MAX_BYTES // (1024 * 1024)} MB.", code="too_large"
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The picture is too large: the limit is {MAX_BYTES // (1024 * 1024)} MB.", code="too_large"
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ALLOWED_FORMATS:
                raise ValidationError("Send the picture as JPEG, PNG, WebP or GIF.", code="bad_format")
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    f"The picture has too many pixels ({width}×{height}); keep it under {MAX_PIXELS // 1_000_000} megapixels.",
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = _flatten(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            # Pillow writes some of what it read back out (a JPEG or GIF comment becomes the new
            # JPEG's comment segment, a PNG keeps its ICC profile): the copy starts with none.
            image.info = {}
            out = io.BytesIO()
            image.info.clear()  # Pillow writes a JPEG comment (COM segment) back from here
            if kind in {"JPEG", "WEBP"} or image.mode == "RGB":
                image = image.convert("RGB")
                image.info.clear()
                image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
                ext = "jpg"
                content_type = "image/jpeg"
            else:
                image.save(out, "PNG", optimize=True)
                ext = "png"
                content_type = "image/png"
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ):
        raise ValidationError(
            "This file is not a picture we can read. Send a JPEG, PNG, WebP or GIF.", code="not_image"
        ) from None
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or "picture"))[0][:60] or "picture"
    return SimpleUploadedFile(f"{stem}.{ext}", out.getvalue(), content_type=content_type)


def _flatten(image):
    """One still frame, with the orientation applied (the EXIF tag itself is then dropped)."""
    from PIL import ImageOps

    image.seek(0)
    image = ImageOps.exif_transpose(image)
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode not in {"RGB", "L"}:
        return image.convert("RGB")
    return image
