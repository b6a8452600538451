"""Putting pictures into the library: every picture is verified and re-encoded on the way in."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction

from broadsheet.newsroom.images import process_upload
from broadsheet.newsroom.models import Article

from .models import Picture

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
    picture.save()
    return picture


def set_lead_picture(article: Article, picture: Picture | None) -> None:
    """Make a library picture the story's lead picture (caption, credit and alt text with it).

    The one way other apps set a lead picture, so the story's link to the library can change
    shape without them changing.
    """
    if picture is None:
        article.image = ""
        article.image_caption = article.image_credit = article.image_alt = ""
    else:
        article.image = picture.file.name
        article.image_caption = picture.caption[:300]
        article.image_credit = picture.credit[:200]
        article.image_alt = picture.alt_text[: article._meta.get_field("image_alt").max_length]
    article.save()
