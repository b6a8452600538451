"""Article text: Markdown rendered once, then sanitised so only safe HTML reaches a page."""

import nh3
from markdown_it import MarkdownIt

from broadsheet.core.text import (
    clean_text,  # re-exported: the rule lives in core, older imports use this name
)

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
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "abbr": {"title"},
    "ol": {"start"},
}
MAX_MARKDOWN = 200_000


def sanitise_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
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
