"""Reading a fetched feed: RSS 0.9x/1.0/2.0 and Atom with feedparser, JSON Feed with json.

Feeds are untrusted. A document that declares entities is refused before any XML parser sees it
(feedparser keeps "safe" internal entities, which still allows a small document to expand to
gigabytes). Headlines and summaries become plain text; whole stories are sanitised down to the
story body vocabulary (docs/body-format.md), with no pictures from other hosts. Dates in the
future become the time we saw the item; dates before 1990 are dropped.
"""

import calendar
import datetime
import html
import json
import re
from dataclasses import dataclass, field

import feedparser
import nh3
from django.utils import timezone

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
OLDEST = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)

BODY_TAGS = {
    "p",
    "a",
    "strong",
    "em",
    "s",
    "code",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "cite",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
BODY_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


class FeedError(Exception):
    """Why a fetched document gave no items; shown on the feed's health."""


@dataclass
class Item:
    guid: str
    url: str
    headline: str
    summary: str = ""
    content_html: str = ""
    author: str = ""
    language: str = ""
    published_at: datetime.datetime | None = None


@dataclass
class Parsed:
    title: str = ""
    language: str = ""
    items: list = field(default_factory=list)
    warning: str = ""


def plain_text(value, limit=None):
    """Tags off, entities decoded, spaces collapsed; nothing that could run on a page."""
    text = html.unescape(_TAGS.sub(" ", nh3.clean(value or "", tags=set(), strip_comments=True)))
    text = _SPACES.sub(" ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def story_html(value):
    """A whole story sanitised to the body vocabulary: no scripts, styles, pictures or frames."""
    cleaned = nh3.clean(
        value or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        strip_comments=True,
        clean_content_tags={"script", "style", "iframe", "object", "noscript", "template"},
    )
    return cleaned.strip()


def sensible_time(value, now=None):
    """A publication time we can show: None before 1990, `now` if it claims to be in the future."""
    if value is None:
        return None
    now = now or timezone.now()
    if value < OLDEST:
        return None
    return min(value, now)


def refuse_entities(body):
    """Refuse a document that declares entities (a "billion laughs" or an external file)."""
    match = _ROOT_START.search(body)
    prolog = body[: match.start()] if match else body
    if b"<!ENTITY" in prolog.upper():
        raise FeedError("Refused: the document declares XML entities (possible entity expansion attack)")


def parse(body, *, content_type=""):
    """The items of a feed document (bytes). Raises FeedError when there are none to take."""
    stripped = body.lstrip()[:1]
    if "json" in content_type.lower() or stripped == b"{":
        return parse_json_feed(body)
    refuse_entities(body)
    result = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml"})
    entries = result.get("entries") or []
    problem = result.get("bozo_exception")
    if not entries:
        if problem is not None:
            raise FeedError(f"Not a readable feed: {type(problem).__name__}: {str(problem)[:200]}")
        if not result.get("version"):
            raise FeedError("Not a feed: no RSS, Atom or JSON Feed found")
    feed = result.get("feed", {})
    parsed = Parsed(
        title=plain_text(feed.get("title", ""), 300), language=_language(feed.get("language", ""))
    )
    if problem is not None:
        parsed.warning = f"Read despite errors: {type(problem).__name__}"
    for entry in entries:
        content = ""
        for part in entry.get("content") or []:
            if len(part.get("value", "")) > len(content):
                content = part.get("value", "")
        item = Item(
            guid=str(entry.get("id") or entry.get("link") or "")[:500],
            url=str(entry.get("link") or "")[:1000],
            headline=plain_text(entry.get("title", ""), 300),
            summary=plain_text(entry.get("summary", ""), 1000),
            content_html=content,
            author=plain_text(entry.get("author", ""), 200),
            language=_language(entry.get("language", "")) or parsed.language,
            published_at=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        )
        if item.headline or item.summary:
            parsed.items.append(item)
    return parsed


def parse_json_feed(body):
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FeedError(f"Not a readable JSON Feed: {str(error)[:200]}") from None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedError("Not a JSON Feed: no jsonfeed.org version")
    language = _language(str(data.get("language", "")))
    parsed = Parsed(title=plain_text(str(data.get("title", "")), 300), language=language)
    for entry in data.get("items") or []:
        if not isinstance(entry, dict):
            continue
        authors = entry.get("authors") or ([entry["author"]] if isinstance(entry.get("author"), dict) else [])
        author = next((str(a.get("name", "")) for a in authors if isinstance(a, dict)), "")
        content = str(entry.get("content_html") or "")
        if not content and entry.get("content_text"):
            content = "".join(f"<p>{html.escape(p)}</p>" for p in str(entry["content_text"]).split("\n\n"))
        summary = str(entry.get("summary") or entry.get("content_text") or "")
        item = Item(
            guid=str(entry.get("id") or entry.get("url") or "")[:500],
            url=str(entry.get("url") or "")[:1000],
            headline=plain_text(str(entry.get("title") or ""), 300),
            summary=plain_text(summary or content, 1000),
            content_html=content,
            author=plain_text(author, 200),
            language=_language(str(entry.get("language") or "")) or language,
            published_at=_iso_time(entry.get("date_published") or entry.get("date_modified")),
        )
        if item.headline or item.summary:
            parsed.items.append(item)
    return parsed


def _language(value):
    value = (value or "").strip().replace("_", "-")
    return value[:12].lower() if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value) else ""


def _struct_time(value):
    if not value:
        return None
    try:
        return datetime.datetime.fromtimestamp(calendar.timegm(value), tz=datetime.UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _iso_time(value):
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed
