"""Reading and changing the site's look. Pages read `current(request)`: one small row, kept
in the fragment cache until the next change; every change rebuilds that row and purges the
page cache so readers see it at once."""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import colours

logger = logging.getLogger(__name__)
DEFAULT_ACCENT, DEFAULT_ACCENT_TEXT = "#a3161a", "#ffffff"


def purge_pages():
    """Make every cached page stale, in the built-in cache and in shared caches in front (the
    look, the menus and the banner are on every page)."""
    from broadsheet.core import surrogates

    surrogates.request_purge(surrogates.ALL)


def check_colours(accent, accent_text):
    """{field: message} for colours that fail WCAG AA (4.5:1) where the site uses them."""
    problems = {}
    for name, value in (("accent_colour", accent), ("accent_text_colour", accent_text)):
        try:
            colours.parse(value)
        except ValueError as error:
            problems[name] = str(error)
    if problems:
        return problems
    on_white = colours.contrast(accent, "#ffffff")
    if on_white < colours.AA_NORMAL_TEXT:
        problems["accent_colour"] = (
            f"{accent} on white has a contrast of {on_white:.1f}:1; links need at least 4.5:1 (WCAG AA). Choose a darker colour."
        )
    on_accent = colours.contrast(accent_text, accent)
    if on_accent < colours.AA_NORMAL_TEXT:
        problems["accent_text_colour"] = (
            f"{accent_text} on {accent} has a contrast of {on_accent:.1f}:1; text needs at least 4.5:1 (WCAG AA)."
        )
    return problems


@dataclass
class Look:
    name: str = ""
    tagline: str = ""
    logo: str = ""
    logo_alt: str = ""
    favicon: str = ""
    accent_colour: str = DEFAULT_ACCENT
    accent_text_colour: str = DEFAULT_ACCENT_TEXT
    header_menu: list = field(default_factory=list)
    footer_menu: list = field(default_factory=list)
    social: list = field(default_factory=list)
    promos: list = field(default_factory=list)
    home_layout: list = field(default_factory=list)
    breaking: dict | None = None

    def __post_init__(self):
        self.name = self.name or settings.BROADSHEET_SITE_NAME

    def logo_url(self, *, absolute=False):
        if not self.logo:
            return ""
        return (
            settings.BROADSHEET_SITE_URL.rstrip("/") + self.logo
            if absolute and self.logo.startswith("/")
            else self.logo
        )

    def promo_for(self, place, now=None):
        """The promo showing now on `place` ("home" or "story"), or None."""
        now = now or timezone.now()
        for promo in self.promos:
            if promo["placement"] not in (place, "both"):
                continue
            if parse_datetime(promo["starts_at"]) <= now and (
                not promo["ends_at"] or now < parse_datetime(promo["ends_at"])
            ):
                return promo
        return None

    @property
    def theme_url(self):
        """A stylesheet with the editors' colours (the site's CSP allows no inline style), or ""."""
        if (self.accent_colour, self.accent_text_colour) == (DEFAULT_ACCENT, DEFAULT_ACCENT_TEXT):
            return ""
        return f"/site/theme.css?v={_version(self.accent_colour + self.accent_text_colour)}"

    def theme_css(self):
        # Light mode only: the dark palette in site.css is checked for contrast on a dark page.
        return (
            "@media (prefers-color-scheme: light), (prefers-color-scheme: no-preference) {\n"
            f"  :root {{ --accent: {self.accent_colour}; --link: {self.accent_colour}; }}\n"
            f"  .publish-link, .breaking-banner {{ background: {self.accent_colour}; color: {self.accent_text_colour}; }}\n"
            f"  .breaking-banner a {{ color: {self.accent_text_colour}; }}\n"
            "}\n"
        )


def _version(text):
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def build_look(row):
    """The look as plain data (stored in SiteSettings.look), from the row and its parts."""
    from .models import Promo

    logo = ""
    if row.logo_svg:
        logo = f"/site/logo.svg?v={_version(row.logo_svg)}"
    elif row.logo_picture_id:
        logo = row.logo_picture.file.url
    favicon = ""
    if row.favicon_svg:
        favicon = f"/site/favicon.svg?v={_version(row.favicon_svg)}"
    elif row.favicon_picture_id:
        favicon = row.favicon_picture.file.url
    menus = {"header": [], "footer": []}
    for item in row.menu_items.select_related("section", "page").order_by("position", "id"):
        if item.section_id:
            entry = {
                "label": item.label or item.section.name,
                "url": item.section.get_absolute_url(),
                "section": item.section_id,
            }
        elif item.page_id:
            if item.page is None or not item.page.is_published:  # unpublished, or being deleted
                continue
            entry = {
                "label": item.label or item.page.title,
                "url": item.page.get_absolute_url(),
                "section": None,
            }
        else:
            entry = {"label": item.label or item.url, "url": item.url, "section": None}
        if entry["url"]:
            menus[item.menu].append(entry)
    promos = [
        {
            "placement": p.placement,
            "label": p.label,
            "headline": p.headline,
            "text": p.text,
            "link": p.link,
            "picture": p.picture.file.url if p.picture_id else "",
            "picture_alt": p.picture.alt_text if p.picture_id else "",
            "starts_at": p.starts_at.isoformat(),
            "ends_at": p.ends_at.isoformat() if p.ends_at else "",
        }
        for p in Promo.objects.select_related("picture")
        .exclude(ends_at__lte=timezone.now())
        .order_by("starts_at")
    ]
    return {
        "name": row.name,
        "tagline": row.tagline,
        "logo": logo,
        "logo_alt": row.logo_picture.alt_text if row.logo_picture_id and not row.logo_svg else "",
        "favicon": favicon,
        "accent_colour": row.accent_colour,
        "accent_text_colour": row.accent_text_colour,
        "header_menu": menus["header"],
        "footer_menu": menus["footer"],
        "social": [
            {"network": s.network, "label": s.get_network_display(), "url": s.url}
            for s in row.social_links.order_by("position", "id")
        ],
        "promos": promos,
        "home_layout": [[h.section_id, h.stories] for h in row.home_sections.order_by("position", "id")],
        "breaking": {"text": row.breaking_text, "url": row.breaking_url} if row.breaking_text else None,
    }


@transaction.atomic
def add_page_to_menu(page, *, menu="footer", position=0):
    """Link `page` from a menu (once; the WordPress importer's pages go in the footer)."""
    from .models import MenuItem

    row = settings_row()
    item, _ = MenuItem.objects.get_or_create(site=row, menu=menu, page=page, defaults={"position": position})
    return item


def settings_row():
    """The one settings row, created on first use."""
    from .models import SiteSettings

    row, _ = SiteSettings.objects.get_or_create(pk=1)
    return row


def rebuild(*, create=True):
    """Store the look anew from the settings and purge cached pages once the change commits.
    With create=False (a section was renamed) a site that has no settings yet is left alone."""
    from .models import SiteSettings

    if create:
        settings_row()
    row = SiteSettings.objects.select_related("logo_picture", "favicon_picture").filter(pk=1).first()
    if row is None:
        return
    look = build_look(row)
    SiteSettings.objects.filter(pk=1).update(look=look, updated_at=timezone.now())
    transaction.on_commit(purge_pages)


def load():
    from django.db import DatabaseError

    from .models import SiteSettings

    try:
        stored = SiteSettings.objects.filter(pk=1).values_list("look", flat=True).first()
    except DatabaseError:  # the error pages of a site whose database is down still need a look
        logger.warning("site settings: database unavailable; showing the default look")
        stored = None
    return Look(**(stored or {}))


def current(request=None):
    """The look pages show now: from the fragment cache when a request is given."""
    if request is None:
        return load()
    from broadsheet.newsroom import slots

    return slots.cached_value(request, "site-look", "", load, size=4000, site=True)


@transaction.atomic
def raise_banner(*, text, url=""):
    row = settings_row()
    row.breaking_text, row.breaking_url, row.breaking_raised_at = text.strip(), url.strip(), timezone.now()
    row.save(update_fields=["breaking_text", "breaking_url", "breaking_raised_at"])  # rebuilds the look


@transaction.atomic
def lower_banner():
    row = settings_row()
    row.breaking_text, row.breaking_url, row.breaking_raised_at = "", "", None
    row.save(update_fields=["breaking_text", "breaking_url", "breaking_raised_at"])  # rebuilds the look
