"""Turn whatever a reader typed into a small list of safe search terms.

Only runs of letters and digits survive; quotes make phrases (an unclosed quote runs to the
end), a `*` after a word or a last word typed without a following space asks for a prefix.
Operators, column filters and symbols of every search syntax are dropped, so the backends
build their own query from plain words and never see the reader's syntax.
"""

import re
import unicodedata
from dataclasses import dataclass

from broadsheet.core.text import clean_text

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_PHRASE_WORDS = 8
MAX_WORD_CHARS = 60
MIN_PREFIX_CHARS = 2
MIN_TRAILING_PREFIX_CHARS = 3

_WORD = re.compile(r"([^\W_]+)(\*?)")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False
    trailing: bool = False  # a prefix only because it was the last word, typed without a space

    @property
    def is_phrase(self):
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[Term, ...]
    language: str = ""  # the language the words are in, when the reader said ("tr"); else ""

    def __bool__(self):
        return bool(self.terms)

    def words(self):
        return [word for term in self.terms for word in term.words]

    def has_trailing_prefix(self):
        return any(term.trailing for term in self.terms)

    def as_typed(self):
        """The same query with the last word taken as complete (no trailing prefix)."""
        terms = tuple(Term(t.words) if t.trailing else t for t in self.terms)
        return ParsedQuery(text=self.text, terms=tuple(dict.fromkeys(terms)), language=self.language)


def _words(chunk):
    for match in _WORD.finditer(chunk):
        yield match.group(1)[:MAX_WORD_CHARS].lower(), bool(match.group(2)), match.end()


def parse_query(raw, *, language=""):
    """A ParsedQuery for `raw` (any string, even hostile); empty when nothing searchable is left.
    `language` is kept as its primary subtag ("pt-BR" -> "pt"), letters only."""
    text = clean_text(str(raw or ""))
    text = unicodedata.normalize("NFC", text)[:MAX_QUERY_CHARS]
    terms = []
    pieces = text.split('"')
    ends_open = not text[-1:].isspace() and not text.endswith('"') if text else False
    for index, piece in enumerate(pieces):
        if index % 2:  # inside quotes
            words = tuple(word for word, _star, _end in _words(piece))[:MAX_PHRASE_WORDS]
            if words:
                terms.append(Term(words))
            continue
        found = list(_words(piece))
        last_piece = index == len(pieces) - 1
        for position, (word, star, end) in enumerate(found):
            trailing = (
                last_piece
                and ends_open
                and position == len(found) - 1
                and end == len(piece)
                and len(word) >= MIN_TRAILING_PREFIX_CHARS
            )
            explicit = star and len(word) >= MIN_PREFIX_CHARS
            terms.append(Term((word,), prefix=explicit or trailing, trailing=trailing and not explicit))
    unique = []
    for term in terms:
        if all(term.words != seen.words or term.prefix != seen.prefix for seen in unique):
            unique.append(term)
    return ParsedQuery(text=text, terms=tuple(unique[:MAX_TERMS]), language=primary_language(language))


def primary_language(code):
    """'pt-BR' -> 'pt', 'TR' -> 'tr'; '' for anything that is not a language code."""
    primary = str(code or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return primary if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3 else ""
