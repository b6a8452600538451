"""Putting pictures into the library: every picture is verified and re-encoded on the way in."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, features

from broadsheet.newsroom.images import process_upload

from .models import Picture

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from broadsheet.newsroom.models import Article

RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)
RENDITION_FORMATS = ("webp", "avif") if features.check("avif") else ("webp",)


@transaction.atomic
def add_picture(
    upload: File,
    *,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
    title: str = "",
    uploaded_by: User | None = None,
    origin: str | None = None,
) -> Picture:
    """Verify, re-encode (no metadata survives) and store a picture; with an origin, update in place.

    Raises django.core.exceptions.ValidationError with a reader-facing message for anything
    that is not a picture we accept.
    """
    clean = process_upload(upload)
    data = clean.read()
    clean.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    picture = Picture.objects.select_for_update().filter(origin=origin).first() if origin else None
    if picture is None:
        picture = Picture(origin=origin)
    elif picture.content_hash == digest:
        clean = None
    picture.alt_text, picture.caption, picture.credit = alt_text, caption, credit
    picture.title = title or picture.title
    picture.uploaded_by = uploaded_by or picture.uploaded_by
    if clean is not None:
        picture.content_hash = digest
        picture.file.save(clean.name, clean, save=False)
    if clean is not None:
        picture.renditions = []  # the old ones show another picture; new ones come from the worker
    picture.save()
    if clean is not None:
        _queue_renditions(picture.pk)
    return picture


def _queue_renditions(picture_id: int) -> None:
    from .tasks import make_renditions_task

    transaction.on_commit(lambda: make_renditions_task.enqueue(picture_id))


def update_picture(
    picture: Picture,
    *,
    alt_text: str,
    caption: str,
    credit: str,
    title: str,
    focal_x: float | str,
    focal_y: float | str,
) -> Picture:
    """Change what editors say about a picture; the focal point is a share of width and height."""
    errors = {}
    for name, value in (("focal_x", focal_x), ("focal_y", focal_y)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            errors[name] = "Give the focal point as a number from 0 to 1."
            continue
        if not 0 <= value <= 1:
            errors[name] = "The focal point must be inside the picture: a number from 0 to 1."
    for name, value, limit in (
        ("alt_text", alt_text, 300),
        ("caption", caption, 500),
        ("credit", credit, 200),
        ("title", title, 200),
    ):
        if len(value or "") > limit:
            errors[name] = f"Keep it under {limit} characters."
    if errors:
        raise ValidationError(errors)
    picture.alt_text, picture.caption, picture.credit, picture.title = alt_text, caption, credit, title
    picture.focal_x, picture.focal_y = float(focal_x), float(focal_y)
    picture.save()
    return picture


def make_renditions(picture: Picture) -> list[dict]:
    """Smaller copies of a picture for srcset (each width below its own, WebP and AVIF where
    Pillow has it); then the stories showing it are rendered again to use them."""
    with picture.file.open("rb") as handle:
        source: Image.Image = Image.open(io.BytesIO(handle.read()))
        source.load()
    if source.mode not in {"RGB", "RGBA"}:
        source = source.convert(
            "RGBA" if "transparency" in source.info or source.mode in {"LA", "P"} else "RGB"
        )
    widths = [w for w in RENDITION_WIDTHS if w < picture.width] or [picture.width]
    renditions = []
    current = source
    for width in sorted(widths, reverse=True):  # each from the one above it: fewer pixels to read
        height = max(1, round(picture.height * width / picture.width))
        current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        for format in RENDITION_FORMATS:
            out = io.BytesIO()
            if format == "avif":
                current.save(out, "AVIF", quality=60, speed=8)
            else:
                current.save(out, "WEBP", quality=80, method=4)
            name = default_storage.save(
                f"renditions/{picture.pk}/{width}.{format}", ContentFile(out.getvalue())
            )
            renditions.append({"width": width, "height": height, "format": format, "name": name})
    for old in picture.renditions:
        if old["name"] not in {r["name"] for r in renditions}:
            default_storage.delete(old["name"])
    picture.renditions = renditions
    Picture.objects.filter(pk=picture.pk).update(renditions=renditions)
    rerender_stories_showing(picture.pk)
    return renditions


def rerender_stories_showing(picture_id: int) -> None:
    """Stories whose body shows this picture are rendered again, and those that lead with it are
    announced, so their pages pick up the change."""
    from broadsheet.newsroom.models import Article
    from broadsheet.newsroom.services import announce

    for article in Article.objects.filter(body__contains=f'data-picture-id="{picture_id}"'):
        Article.objects.filter(pk=article.pk).update(body_html=_rendered(article.body))
        announce(article)
    # A lead picture is shown with its renditions too: its stories and listings are purged.
    name = Picture.objects.filter(pk=picture_id).values_list("file", flat=True).first()
    if name:
        for article in Article.objects.filter(image=name).exclude(
            body__contains=f'data-picture-id="{picture_id}"'
        ):
            announce(article)


def _rendered(body: str) -> str:
    from broadsheet.newsroom.text import render_body

    return render_body(body)


def set_lead_picture(article: Article, picture: Picture | None, *, save: bool = True) -> None:
    """Make a library picture the story's lead picture (caption, credit and alt text with it).

    The one way other apps set a lead picture, so the story's link to the library can change
    shape without them changing. `save=False`: the caller writes the story (in bulk).
    """
    if picture is None:
        article.image = ""
        article.image_caption = article.image_credit = article.image_alt = ""
    else:
        article.image = picture.file.name
        article.image_caption = picture.caption[:300]
        article.image_credit = picture.credit[:200]
        article.image_alt = picture.alt_text[: article._meta.get_field("image_alt").max_length]
    if save:
        article.save()
