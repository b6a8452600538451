"""Pictures inside story bodies: each `<img data-picture-id>` is shown from the library with
its renditions (srcset/sizes), its own width and height, and its current URL."""

import re

from django.utils.html import escape

from broadsheet.core.text import as_number

from .models import Picture

_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
SIZES = "(min-width: 48rem) 44rem, 100vw"


def picture_html(picture, alt):
    """<picture> with AVIF and WebP sources when renditions exist, else the original alone."""
    img = (
        f'<img src="{escape(picture.file.url)}" alt="{alt}" width="{picture.width}" '
        f'height="{picture.height}" loading="lazy" decoding="async" data-picture-id="{picture.pk}">'
    )
    sources = "".join(
        f'<source type="image/{fmt}" srcset="{escape(srcset)}" sizes="{SIZES}">'
        for fmt in ("avif", "webp")
        if (srcset := picture.srcset(fmt))
    )
    return f"<picture>{sources}{img}</picture>" if sources else img


def add_srcset(html):
    """Body filter (registered with newsroom.text): library pictures with their renditions."""
    if "data-picture-id" not in html:
        return html
    found = {}
    for tag in _IMG.findall(html):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if as_number(attributes.get("data-picture-id")) is not None:
            found[tag] = attributes
    pictures = Picture.objects.in_bulk({int(a["data-picture-id"]) for a in found.values()})

    def replace(match):
        attributes = found.get(match.group(0))
        picture = pictures.get(int(attributes["data-picture-id"])) if attributes else None
        if picture is None:
            return match.group(0)
        return picture_html(picture, attributes.get("alt", ""))

    return _IMG.sub(replace, html)
