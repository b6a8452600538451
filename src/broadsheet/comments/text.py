"""Comment text: plain text with paragraphs and line breaks, links made clickable, the rest escaped."""

import re

from django.utils.html import escape

from broadsheet.core.text import clean_text

# A web address: http(s):// or www. up to whitespace or a character that cannot end one.
URL_RE = re.compile(r"""(?i)\b((?:https?://|www\.)[^\s<>"']+)""")
TRAILING = ".,;:!?)]}'\""


def clean_comment_text(value):
    """Drop NUL bytes and broken surrogates, unify line endings, trim the ends."""
    value = clean_text(value or "")
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _split_trailing(url):
    """Keep closing punctuation out of a link unless it balances an opening bracket in it."""
    tail = ""
    while url and url[-1] in TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    return url, tail


def find_links(text):
    return [_split_trailing(m.group(1))[0] for m in URL_RE.finditer(text or "")]


def count_links(*texts):
    return sum(len(find_links(t)) for t in texts)


def _linkify(line):
    out, pos = [], 0
    for match in URL_RE.finditer(line):
        url, tail = _split_trailing(match.group(1))
        if not url or len(url) < 5:
            continue
        out.append(escape(line[pos : match.start()]))
        href = url if url.lower().startswith("http") else f"http://{url}"
        shown = url if len(url) <= 60 else url[:57] + "…"
        out.append(f'<a href="{escape(href)}" rel="nofollow ugc">{escape(shown)}</a>')
        out.append(escape(tail))
        pos = match.end()
    out.append(escape(line[pos:]))
    return "".join(out)


def render_comment(text):
    """Safe HTML for a comment: <p> per paragraph, <br> per line break, links with rel=nofollow ugc."""
    text = clean_comment_text(text)
    if not text:
        return ""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join(
        "<p>" + "<br>".join(_linkify(line) for line in p.strip("\n").split("\n")) + "</p>" for p in paragraphs
    )
