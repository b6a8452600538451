"""Outlet identity: one Source whatever an outlet is called ("NYT", "The New York Times",
"nytimes.com"), and the table of every known name that citation finding reads.

The machine merges a name into a Source only when their keys are equal (case, accents, a
leading "The", punctuation and a web domain's ending do not count). Abbreviations and domains
("NYT", "nytimes.com" for "The New York Times") are only *suggested* to editors: "The Times"
and "The New York Times" are different newspapers, and only a person should say otherwise.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from django.db import transaction

from broadsheet.newsroom.models import Source

_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/?$", re.I)
# Endings of a web domain that are not part of an outlet's name.
_DOMAIN_ENDINGS = {
    "com",
    "org",
    "net",
    "co",
    "uk",
    "news",
    "info",
    "tv",
    "fm",
    "ac",
    "gov",
    "de",
    "fr",
    "es",
    "it",
    "il",
    "tr",
    "ir",
    "ru",
    "ua",
    "in",
    "au",
    "ca",
    "us",
    "eu",
    "io",
    "me",
    "ae",
    "sa",
    "qa",
    "lb",
    "eg",
    "jp",
    "cn",
    "br",
    "mx",
    "ar",
    "nl",
    "be",
    "ch",
    "at",
    "se",
    "no",
    "dk",
    "fi",
    "pl",
    "cz",
    "gr",
    "pt",
    "ie",
}
# Words an abbreviation or domain may leave out.
_OPTIONAL_WORDS = {"the", "of", "and", "for", "a", "an", "al", "el", "le", "la", "de", "der", "die", "das"}
_WORD = re.compile(r"[a-z0-9]+")


def _fold(text):
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ß", "ss"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def domain_of(name):
    """'nytimes.com' -> ['nytimes'], 'https://www.bbc.co.uk/' -> ['bbc']; [] when not a domain."""
    name = name.strip()
    match = _DOMAIN.match(name)
    if not match or " " in name:
        return []
    parts = match.group(1).lower().split(".")
    while len(parts) > 1 and parts[-1] in _DOMAIN_ENDINGS:
        parts.pop()
    return parts[-1:] if parts else []


def words_of(name):
    """The folded words of an outlet's name; a domain gives its one distinctive part."""
    domain = domain_of(name)
    if domain:
        return domain
    words = _WORD.findall(_fold(name).replace("'", ""))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def name_key(name):
    """Equal for names the machine may treat as one outlet: 'The Guardian' = 'guardian' = 'Guardian'."""
    return "".join(words_of(name))[:200]


def _abbreviates(short, words, optional=_OPTIONAL_WORDS):
    """Is `short` made of a start of every word in order (optional words may give nothing)?
    'nyt' and 'nytimes' abbreviate new/york/times; 'times' does not."""
    memo = {}

    def match(i, j):
        if (i, j) in memo:
            return memo[i, j]
        if j == len(words):
            result = i == len(short)
        else:
            word = words[j]
            result = word in optional and match(i, j + 1)
            k = 0
            while not result and k < len(word) and i + k < len(short) and short[i + k] == word[k]:
                k += 1
                # A word gives its first letters (up to three) or all of itself: 'guardian' is
                # not 'guardia' + 'n'igeria.
                if k <= 3 or k == len(word):
                    result = match(i + k, j + 1)
        memo[i, j] = result
        return result

    return match(0, 0)


def may_be_same(a, b):
    """Could names `a` and `b` be the same outlet? Equal keys, or one abbreviates the other
    ('NYT', 'nytimes.com' and 'The New York Times'). A suggestion, never a merge by itself."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    words_a, words_b = words_of(a), words_of(b)
    for short, words in ((key_a, words_b), (key_b, words_a)):
        if len(words) > 1 and 2 <= len(short) < len("".join(words)) and _abbreviates(short, words):
            return True
    return False


def known_names():
    """[(name, source_id)] of every Source name and alias."""
    from .models import SourceAlias

    names = list(Source.objects.values_list("name", "pk"))
    names += list(SourceAlias.objects.values_list("name", "source_id"))
    return names


def find_source(name):
    """The Source called `name` (by its key, through its name or an alias), or None."""
    from .models import SourceAlias

    key = name_key(name)
    if not key:
        return None
    alias = SourceAlias.objects.filter(key=key).select_related("source").first()
    if alias:
        return alias.source
    for source in Source.objects.filter(name__iexact=name.strip()):
        return source
    # Names equal but for "The", case or accents: compare keys of the few candidates.
    last = words_of(name)[-1:] or [key]
    for source in Source.objects.filter(name__icontains=last[0][:20]):
        if name_key(source.name) == key:
            return source
    return None


def find_or_create_source(name, *, homepage=""):
    """The Source called `name` (or one of its aliases), created when there is none (through
    the newsroom's race-safe find_or_create)."""
    name = " ".join(name.split())[:120]
    found = find_source(name)
    if found:
        return found
    source = Source.objects.find_or_create(name)
    if homepage and not source.homepage:
        Source.objects.filter(pk=source.pk, homepage="").update(homepage=homepage)
        source.homepage = homepage
    return source


def suggestions(limit=200):
    """[(source, other_source_or_None, name)] pairs an editor may want to join: distinct Sources
    whose names may be the same outlet, and homepage domains not yet an alias."""
    from .models import SourceAlias

    sources = list(Source.objects.order_by("name"))
    taken = set(SourceAlias.objects.values_list("key", flat=True)) | {name_key(s.name) for s in sources}
    pairs = []
    for i, a in enumerate(sources):
        for b in sources[i + 1 :]:
            if may_be_same(a.name, b.name):
                pairs.append((a, b, b.name))
        host = urlsplit(a.homepage).hostname if a.homepage else ""
        if host and name_key(host) not in taken and may_be_same(host, a.name):
            pairs.append((a, None, host.removeprefix("www.")))
        if len(pairs) >= limit:
            break
    return pairs[:limit]


@transaction.atomic
def merge_sources(keep, other):
    """Make `other` an alias of `keep`: its stories, feeds, citations and aliases move over."""
    from .models import Citation, SourceAlias

    other.articles.update(source=keep)
    other.feeds.update(source=keep)
    other.wire_items.update(source=keep)
    for citation in Citation.objects.filter(source=other):
        if Citation.objects.filter(article_id=citation.article_id, source=keep).exists():
            citation.delete()
        else:
            Citation.objects.filter(pk=citation.pk).update(source=keep)
    other.aliases.update(source=keep)
    name = other.name
    other.delete()
    SourceAlias.objects.get_or_create(key=name_key(name), defaults={"source": keep, "name": name})
    return keep


@transaction.atomic
def add_alias(source, name):
    from .models import SourceAlias

    alias, _ = SourceAlias.objects.update_or_create(
        key=name_key(name), defaults={"source": source, "name": name}
    )
    return alias


_names_version = [0]


def names_changed(sender, **kwargs):
    """A Source or alias changed: the citation finder rebuilds its table of names."""
    _names_version[0] += 1


def names_version():
    return _names_version[0]
