"""Pictures in our own export (newsroom.exporting): each story's lead picture and the pictures its
body shows travel with it, so a site moved out and back in keeps them.

In a line of the export:

    "lead_picture": {"key", "alt", "caption", "credit"} or null   the story's words for it
    "pictures": [{"key", "file", "title", "alt", "caption", "credit", "width", "height"}]
    body: <img data-picture-key="KEY" src="FILE" ...> instead of our library's id and address

A key names a picture across sites: its `origin` (wordpress:attachment:12, or the key it was
imported with), else broadsheet:picture:<id>. `file` is the original's path inside the media
folder the export writes (`--media DIR`). On import a key is found in the library by origin, then
by the file's content (the same site), else the file is added to the library like any upload
(verified, re-encoded) with the key as its origin: importing again finds it, and exporting the
new site gives the same keys.
"""

import hashlib
import os
import re
import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.html import escape

from broadsheet.core.text import as_number, clean_text

from .models import Picture
from .services import add_picture, set_lead_picture

_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_ID_IN_BODY = re.compile(r'data-picture-id="([0-9]{1,12})"')
_LOCAL_KEY = "broadsheet:picture:"
MAX_PICTURES = 200  # a line's pictures: more is not a story


def picture_key(picture: Picture) -> str:
    return picture.origin or f"{_LOCAL_KEY}{picture.pk}"


def file_for(key: str, name: str) -> str:
    """The original's path in the media folder: from the key, so it is the same on every site."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-.")[:150] or "picture"
    extension = os.path.splitext(name)[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", extension):
        extension = ""
    return f"pictures/{safe}{extension}"


class Pictures:
    """The media library's part of the export (registered with newsroom.exporting)."""

    def export(self, articles, records, *, state):
        names = {a.image.name for a in articles if a.image}
        ids = {int(i) for a in articles for i in _ID_IN_BODY.findall(a.body or "")}
        found = list(Picture.objects.filter(Q(pk__in=ids) | Q(file__in=names))) if (ids or names) else []
        by_pk = {p.pk: p for p in found}
        by_name = {p.file.name: p for p in found}
        for article, record in zip(articles, records, strict=True):
            entries = {}
            lead = None
            if article.image:
                picture = by_name.get(article.image.name)
                if picture is not None:
                    key = picture_key(picture)
                    entries[key] = _entry(picture, key)
                else:  # an upload from before the library: it travels as a picture of its own
                    key = f"broadsheet:file:{article.image.name}"
                    entries[key] = {
                        "key": key, "file": file_for(key, article.image.name), "title": "",
                        "alt": article.image_alt, "caption": article.image_caption, "credit": article.image_credit,
                        "width": _size(article.image, "width"), "height": _size(article.image, "height"),
                        "name": article.image.name,
                    }  # fmt: skip
                lead = {"key": key, "alt": article.image_alt, "caption": article.image_caption, "credit": article.image_credit}

            def portable(match, entries=entries):
                attributes = dict(_ATTRIBUTE.findall(match.group(0)))
                picture = by_pk.get(as_number(attributes.get("data-picture-id")) or 0)
                if picture is None:
                    return match.group(0)
                key = picture_key(picture)
                entries.setdefault(key, _entry(picture, key))
                return _img(entries[key]["file"], attributes.get("alt", ""), picture.width, picture.height, key=key)

            if "data-picture-id" in (record["body"] or ""):
                record["body"] = _IMG.sub(portable, record["body"])
            record["lead_picture"] = lead
            record["pictures"] = [{k: v for k, v in e.items() if k != "name"} for _k, e in sorted(entries.items())]
            if state.media is not None:
                for entry in entries.values():
                    _copy(entry, state)

    def take(self, record, values, article, *, media):
        """Find or add the record's pictures, point the body at them, set the lead picture."""
        if "pictures" not in record and "lead_picture" not in record:
            return []  # a line in the plain import format
        problems, resolved = [], {}
        entries = {}
        for entry in (record.get("pictures") or [])[:MAX_PICTURES]:
            if isinstance(entry, dict) and isinstance(entry.get("key"), str) and entry["key"].strip():
                entries[entry["key"].strip()[:200]] = entry

        def picture_for(key):
            if key not in resolved:
                resolved[key] = _find_or_add(key, entries.get(key), media, problems)
            return resolved[key]

        def ours(match):
            attributes = dict(_ATTRIBUTE.findall(match.group(0)))
            key = attributes.get("data-picture-key")
            if key is None:
                return match.group(0)
            picture = picture_for(key)
            if picture is None:
                return ""  # its figure keeps the caption; the report says which picture is missing
            return _img(picture.file.url, attributes.get("alt", ""), picture.width, picture.height, picture_id=picture.pk)

        if "data-picture-key" in values["body"]:
            values["body"] = _IMG.sub(ours, values["body"])
        lead = record.get("lead_picture")
        if isinstance(lead, dict) and isinstance(lead.get("key"), str):
            picture = picture_for(lead["key"].strip()[:200])
            if picture is not None:
                set_lead_picture(article, picture, save=False)
                article.image_alt = clean_text(str(lead.get("alt") or ""))[:300]
                article.image_caption = clean_text(str(lead.get("caption") or ""))[:300]
                article.image_credit = clean_text(str(lead.get("credit") or ""))[:200]
        elif "lead_picture" in record and lead is None and article.image:
            set_lead_picture(article, None, save=False)  # the line says the story has none
        return problems


def _size(image, which):
    try:
        return getattr(image, which) or 0
    except (OSError, ValueError):  # the file is gone or is not a picture
        return 0


def _entry(picture, key):
    return {
        "key": key, "file": file_for(key, picture.file.name), "title": picture.title, "alt": picture.alt_text,
        "caption": picture.caption, "credit": picture.credit, "width": picture.width, "height": picture.height,
        "name": picture.file.name,
    }  # fmt: skip


def _img(src, alt, width, height, *, key=None, picture_id=None):
    ident = f'data-picture-key="{escape(key)}"' if key is not None else f'data-picture-id="{picture_id}"'
    size = f' width="{width}" height="{height}"' if width and height else ""
    return f'<img src="{escape(src)}" alt="{alt}"{size} {ident}>'


def _copy(entry, state):
    target = Path(state.media) / entry["file"]
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with default_storage.open(entry["name"], "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    except OSError as error:
        target.unlink(missing_ok=True)
        state.notes.append(f"picture {entry['key']}: its file {entry['name']} could not be read ({error.strerror or error})")
        return
    state.counts["pictures"] = state.counts.get("pictures", 0) + 1


def _find_or_add(key, entry, media, problems):
    picture = Picture.objects.filter(origin=key).first()
    if picture is not None:
        return picture
    if entry is None or not isinstance(entry.get("file"), str):
        problems.append(f"picture {key}: not in the line's pictures and not in the library")
        return None
    if media is None:
        problems.append(f"picture {key}: not in the library; give the export's media folder (--media) to bring it")
        return None
    root = Path(media).resolve()
    path = (root / entry["file"]).resolve()
    if root not in path.parents or not path.is_file():
        problems.append(f"picture {key}: {entry['file']} is not in the media folder")
        return None
    data = path.read_bytes()
    same = Picture.objects.filter(content_hash=hashlib.sha256(data).hexdigest()).first()
    if same is not None:  # this very file is in the library already (the same site)
        return same
    try:
        with transaction.atomic():
            return add_picture(
                SimpleUploadedFile(path.name, data),
                alt_text=clean_text(str(entry.get("alt") or ""))[:300],
                caption=clean_text(str(entry.get("caption") or ""))[:500],
                credit=clean_text(str(entry.get("credit") or ""))[:200],
                title=clean_text(str(entry.get("title") or ""))[:200],
                origin=key,
            )
    except ValidationError as error:
        problems.append(f"picture {key}: {entry['file']} is not a picture we accept: {' '.join(error.messages)}")
        return None
