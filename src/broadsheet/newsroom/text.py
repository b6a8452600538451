"""Article text: the story body format (docs/body-format.md) and Markdown rendered into it.

A body is stored as sanitised HTML in a small fixed vocabulary; Markdown (import-articles,
contributors, older callers) is rendered once into that vocabulary on the way in. What a page,
a feed or the API shows is `render_body(body)`: the sanitised body passed through the filters
other apps register (the media library adds srcset to pictures, embeds become placeholders).
"""

import html
import re

import nh3
from markdown_it import MarkdownIt

from broadsheet.core import hooks
from broadsheet.core.text import (
    clean_text,  # re-exported: the rule lives in core, older imports use this name
)

from .embeds import PROVIDERS as EMBED_PROVIDERS
from .embeds import placeholders

_markdown = (
    MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "del",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "data-picture-id"},
    "td": {"align"},
    "th": {"align", "scope"},
    "abbr": {"title"},
    "ol": {"start"},
    "figure": {"data-embed-url"},
}
# The classes and data attributes of docs/body-format.md, and nothing else.
ALLOWED_CLASSES = {
    "figure": {"picture", "gallery", "embed"},
    "blockquote": {"pullquote"},
    "small": {"credit"},
}
TAG_ATTRIBUTE_VALUES = {"figure": {"data-embed-provider": set(EMBED_PROVIDERS)}}
MAX_MARKDOWN = 200_000
MAX_BODY = 1_000_000
_DIGITS = re.compile(r"^[0-9]{1,12}$")
_DIMENSION = re.compile(r"^[0-9]{1,5}$")


def _attribute_filter(tag, attribute, value):
    if attribute == "data-picture-id":
        return value if _DIGITS.match(value) else None
    if attribute == "src" and tag == "img":
        # Pictures come from our own library: a page never loads anything from another host.
        return value if value.startswith("/") and not value.startswith("//") else None
    if attribute in ("width", "height") and tag == "img":
        return value if _DIMENSION.match(value) else None
    if attribute == "data-embed-url":
        return value if value.startswith("https://") and len(value) <= 1000 else None
    return value


def sanitise_html(html):
    """Only the body vocabulary survives: no scripts, styles, event handlers, frames or data: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text):
    """Markdown to safe HTML. Whatever comes in, a page can show what comes out."""
    text = clean_text(text or "")[:MAX_MARKDOWN]
    try:
        html = _markdown.render(text)
    except Exception:  # markdown-it does not fail on text, but a page must never break on a body
        from django.utils.html import escape, linebreaks

        html = linebreaks(escape(text))
    return sanitise_html(html)


_ANY_TAG = re.compile(r"<[^>]*>")


def body_words(body):
    """The words of a stored body without its markup, for engines that read stories."""
    return html.unescape(_ANY_TAG.sub(" ", body or ""))


def is_body_html(text):
    """True for a body already in the HTML body format; anything else is Markdown or plain text."""
    return (text or "").lstrip().startswith("<")


def to_body(text):
    """The stored body for any input: HTML sanitised to the vocabulary, Markdown rendered into it."""
    text = clean_text(text or "")
    if not text.strip():
        return ""
    # Stripped, so that a body passed through again (export, then import) comes out the same.
    html = sanitise_html(text[:MAX_BODY]) if is_body_html(text) else render_markdown(text)
    return html.strip()


BODY_FILTER = hooks.define(
    "body_filter",
    "filter(html) -> html: another app's change to how a stored body is shown (the media "
    "library adds srcset); run in order on every render_body().",
)


def render_body(body):
    """What the site, the feeds and the API show for a stored body."""
    html = placeholders(body or "")
    for function in hooks.get_hooks(BODY_FILTER):
        html = function(html)
    return html
