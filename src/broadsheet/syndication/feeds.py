"""RSS 2.0 and Atom feeds (django.contrib.syndication) and JSON Feed 1.1 of the latest stories.

One set for the whole site and one for each section, tag, author and source. Entries name
authors only, never an address; full text or summary follows BROADSHEET_FEED_FULL_TEXT.
"""

import datetime
import html
import io
import mimetypes
import re
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator

from . import conf
from .services import (
    absolute_url,
    byline,
    feed_articles,
    feed_urls,
    get_subject,
    image_url,
    is_web_address,
    subject_kind,
    xml_text,
)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
SUMMARY_WORDS = 60


class BufferedWrite:
    """Write the document into memory first: thousands of small writes to a response are slow."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class RssWithContent(BufferedWrite, Rss201rev2Feed):
    """RSS 2.0 with the whole story in content:encoded when full text is on."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(BufferedWrite, Atom1Feed):
    """Atom with the whole story in <content type="html"> when full text is on.

    The summary is plain text, so it says type="text" (Django's Atom1Feed always writes
    type="html", which would have readers render any `<` an editor typed as markup).
    """

    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


# --- what every format says about the site, a subject and a story --------------------------


def feed_title(subject):
    if subject is None:
        return xml_text(conf.site_name())
    return xml_text(f"{subject.name} · {conf.site_name()}")


def feed_description(subject):
    kind = subject_kind(subject)
    if kind is None:
        return conf.DEFAULT_DESCRIPTION
    if kind == "section" and subject.description:
        return xml_text(subject.description)
    phrases = {
        "section": "in the {} section",
        "tag": "tagged {}",
        "author": "by {}",
        "source": "from {}",
    }
    return xml_text(f"The latest stories {phrases[kind].format(subject.name)} on {conf.site_name()}.")


def home_page(subject):
    return absolute_url(subject.get_absolute_url() if subject is not None else "/")


@dataclass
class Entry:
    """One story as every feed format shows it: plain values, computed once."""

    title: str
    link: str
    summary: str
    content_html: str
    published: datetime.datetime
    updated: datetime.datetime
    language: str
    authors: list = field(default_factory=list)  # [(name, absolute url)]
    categories: list = field(default_factory=list)
    picture: tuple | None = None  # (url, length, mime type)
    external_url: str = ""


def story_summary(article):
    """The summary an editor wrote, else the first words of the story, as plain text."""
    if article.summary:
        return xml_text(article.summary)
    # strip_tags keeps entities (&amp;): unescape them, or the plain text would show "&amp;".
    return xml_text(Truncator(html.unescape(strip_tags(article.body_html))).words(SUMMARY_WORDS))


_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def full_story(article):
    """The story's sanitised HTML with links and pictures on this site made absolute, since a
    feed reader shows it away from our pages."""
    return _SITE_RELATIVE.sub(lambda m: m.group(1) + absolute_url("/"), xml_text(article.body_html))


def lead_picture(article):
    """(url, length, type) of the lead picture, or None."""
    url = image_url(article)
    if not url:
        return None
    try:
        length = article.image.size
    except (OSError, ValueError):
        length = 0
    mime_type = mimetypes.guess_type(article.image.name)[0] or "image/jpeg"
    return url, str(length), mime_type


def feed_entries(subject=None):
    """The latest published stories of the site or of one subject, as entries."""
    full_text = conf.feed_full_text()
    entries = []
    for article in feed_articles(subject):
        entries.append(
            Entry(
                title=xml_text(article.headline),
                link=absolute_url(article.get_absolute_url()),
                summary=story_summary(article),
                content_html=full_story(article) if full_text else "",
                published=article.publish_at,
                updated=article.updated_at,
                language=article.language or "en",
                authors=[
                    (xml_text(a.name), absolute_url(a.get_absolute_url()))
                    for a in article.authors.all()
                    if a.name
                ],
                categories=[
                    xml_text(article.section.name),
                    *(xml_text(tag.name) for tag in article.tags.all()),
                ],
                picture=lead_picture(article),
                external_url=article.source_url
                if article.is_republished() and is_web_address(article.source_url)
                else "",
            )
        )
    return entries


# --- RSS and Atom ---------------------------------------------------------------------------


class ArticleFeed(Feed):
    """The latest stories as RSS 2.0; the URL's kind and slug choose the subject, if any."""

    feed_type = RssWithContent
    format = "rss"

    def get_object(self, request, kind=None, slug=None):
        return get_subject(kind, slug) if kind else None

    def title(self, subject):
        return feed_title(subject)

    def link(self, subject):
        return home_page(subject)

    def feed_url(self, subject):
        return absolute_url(feed_urls(subject)[self.format])

    def description(self, subject):
        return feed_description(subject)

    def subtitle(self, subject):
        return feed_description(subject)

    def author_name(self):
        # Atom wants an author for the feed when an entry has none; the publisher it is.
        return xml_text(conf.site_name())

    def author_link(self):
        return absolute_url("/")

    def items(self, subject):
        return feed_entries(subject)

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        # RSS 2.0 readers take an item's description as HTML: the plain summary is escaped.
        return escape(entry.summary)

    def item_link(self, entry):
        return entry.link

    def item_guid_is_permalink(self, entry):
        return True

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_author_name(self, entry):
        return byline([name for name, _url in entry.authors]) or None

    def item_author_link(self, entry):
        return entry.authors[0][1] if len(entry.authors) == 1 else None

    def item_categories(self, entry):
        return entry.categories

    def item_enclosures(self, entry):
        return [Enclosure(*entry.picture)] if entry.picture else []

    def item_extra_kwargs(self, entry):
        return {"content_html": entry.content_html} if entry.content_html else {}


class AtomArticleFeed(ArticleFeed):
    feed_type = AtomWithContent
    format = "atom"

    def item_description(self, entry):
        return entry.summary  # written as <summary type="text">


# --- JSON Feed 1.1 --------------------------------------------------------------------------


def json_feed(subject=None):
    """The latest stories as a JSON Feed 1.1 document (a dict ready for json.dumps)."""
    items = []
    for entry in feed_entries(subject):
        item = {
            "id": entry.link,
            "url": entry.link,
            "title": entry.title,
            "summary": entry.summary,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "language": entry.language,
            "tags": entry.categories,
        }
        if entry.content_html:
            item["content_html"] = entry.content_html
        else:
            item["content_text"] = entry.summary
        if entry.authors:
            item["authors"] = [{"name": name, "url": url} for name, url in entry.authors]
        if entry.picture:
            item["image"] = entry.picture[0]
        if entry.external_url:
            item["external_url"] = entry.external_url
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": feed_title(subject),
        "home_page_url": home_page(subject),
        "feed_url": absolute_url(feed_urls(subject)["json"]),
        "description": feed_description(subject),
        "language": "en",
        "authors": [{"name": xml_text(conf.site_name()), "url": absolute_url("/")}],
        "items": items,
    }
