"""Pictures from the library as pages show them: each `<img data-picture-id>` in a story body,
a story's lead picture and listing thumbnails, with their renditions (srcset/sizes), their own
width and height, and their current URL."""

import re
from functools import cached_property

from django.utils.html import escape

from broadsheet.core.prepared import PreparedQuery
from broadsheet.core.text import as_number

from .models import Picture

_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
SIZES = "(min-width: 48rem) 44rem, 100vw"
# The story column is 42rem wide; a listing's big teaser about as wide, the others a grid cell.
LEAD_SIZES = "(min-width: 44rem) 42rem, 100vw"
TEASER_SIZES = "(min-width: 48rem) 22rem, 100vw"
BIG_TEASER_SIZES = "(min-width: 48rem) 44rem, 100vw"


def picture_html(picture, alt, *, sizes=SIZES, loading="lazy"):
    """<picture> with AVIF and WebP sources when renditions exist, else the original alone.
    `alt` is HTML already (escaped)."""
    img = (
        f'<img src="{escape(picture.file.url)}" alt="{alt}" width="{picture.width}" '
        f'height="{picture.height}" loading="{loading}" decoding="async" data-picture-id="{picture.pk}">'
    )
    sources = "".join(
        f'<source type="image/{fmt}" srcset="{escape(srcset)}" sizes="{sizes}">'
        for fmt in ("avif", "webp")
        if (srcset := picture.srcset(fmt))
    )
    return f"<picture>{sources}{img}</picture>" if sources else img


class LeadPicture:
    """A story's lead picture from the library, as each place shows it; each form is built the
    first time a page asks for it (a listing shows the teaser, the story page the lead)."""

    def __init__(self, picture, alt):
        self.picture = picture
        self.alt = alt  # HTML already (escaped)

    @cached_property
    def story_html(self):
        return picture_html(self.picture, self.alt, sizes=LEAD_SIZES, loading="eager")

    @cached_property
    def teaser_html(self):  # decorative in a listing: the headline beside it says it all
        return picture_html(self.picture, "", sizes=TEASER_SIZES)

    @cached_property
    def big_teaser_html(self):
        return picture_html(self.picture, "", sizes=BIG_TEASER_SIZES)


# Built once per number of names (core.prepared): every listing runs it.
PICTURES_BY_FILE = PreparedQuery(
    lambda names: Picture.objects.filter(file__in=names).only("file", "width", "height", "renditions")
)


def add_lead_pictures(articles):
    """Listing annotator: each article whose lead picture is in the library gets
    `library_picture` (a LeadPicture; None otherwise), in one query."""
    images = [article.image.name if article.image else "" for article in articles]
    names = sorted({name for name in images if name})
    found = {p.file.name: p for p in PICTURES_BY_FILE.all(names=names)} if names else {}
    for article, name in zip(articles, images, strict=True):
        picture = found.get(name) if name else None
        article.library_picture = (
            LeadPicture(picture, escape(article.image_alt or article.image_caption or ""))
            if picture
            else None
        )


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
