"""Text helpers for the index: plain text from HTML, accent folding, safe highlighted HTML."""

import html
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from broadsheet.core.text import clean_text

# Private-use characters the backends put around a matched word; escaped text never has them,
# so they can be turned into <mark> after escaping.
MARK_START = "\ue000"
MARK_END = "\ue001"
MAX_INDEXED_CHARS = 100_000

_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|br|hr|tr|td|th|table|thead|tbody|caption|pre|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
_DIACRITIC_BLOCKS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
    }
)


def _is_diacritic(char):
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _DIACRITIC_BLOCKS)


def fold(text):
    """Drop accents from Latin, Greek and Cyrillic letters: 'Erdoğan' -> 'Erdogan'.

    Only combining diacritical marks go, so scripts whose vowel signs are marks keep them.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not _is_diacritic(c)))


def index_text(text, limit=MAX_INDEXED_CHARS):
    """Text as the index keeps it: clean, without our highlight markers, bounded."""
    text = clean_text(text or "")
    return text.replace(MARK_START, " ").replace(MARK_END, " ")[:limit]


def plain_text(body_html):
    """The words of sanitised article HTML, without tags or entities."""
    text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", body_html or "")))
    return index_text(_SPACE.sub(" ", text).strip())


def marked_html(text):
    """Escape `text` and turn each pair of the backend's markers into a <mark> element."""
    escaped = escape(text or "")
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_END, ""))


def has_mark(text):
    return MARK_START in (text or "")
