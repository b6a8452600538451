"""Turning an article into weighted terms: tokens, accent and transliteration folding, fields.

Outlets spell the same names differently (Erdoğan/Erdogan, Zelensky/Zelenskyy/Zelenskiy,
al-Rashidi/el-Rashidy, Mohammed/Muhammad). Every token is folded to a key that most such
variants share; capitalised words also give a consonant "name key" so vowel variants meet.
"""

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# Letters NFKD does not take apart.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
# Arabic article and its assimilated forms joined by a hyphen: al-Rashidi, el-Sisi, ash-Sharif.
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouy]")
# Transliteration variants folded in order (applied after accent folding and lower-casing).
_FOLDS = (
    ("tch", "ch"),
    ("sch", "sh"),
    ("kh", "h"),
    ("ph", "f"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ij", "i"),
    ("y", "i"),
    ("w", "v"),
)

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any
    are around as at away back be became because become been before being below between both but by
    can could did do does doing done down during each either else even ever every few for from
    further get gets got had has have having he her here hers herself him himself his how however
    i if in into is it its itself just last least less like made make many may me might more most
    much must my myself near neither never new next no nor not now of off often on once one only
    onto or other others our ours ourselves out over own per perhaps put rather said same say says
    see seen she should since so some still such than that the their theirs them themselves then
    there these they this those though through thus to told too toward towards under until up upon
    us use used very was we well were what when where whether which while who whom whose why will
    with within without would yet you your yours yourself yourselves mr mrs ms dr al el de la le
    du van von der den des di da del los las bin ibn ben s t re ve ll d m ad ar az ash ul ud
    according added adding also week weeks year years day days month months time times today
    yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday percent cent
    statement spokesperson spokesman spokeswoman official officials people including including
    """.split()
)


def fold_letters(text):
    """Accents and special letters off, lower case: 'Erdoğan' -> 'erdogan', 'Król' -> 'krol'."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _stem(word):
    """A light English plural/possessive stemmer: enough to meet 'tariffs' with 'tariff'."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold_word(word):
    """The key a word is counted under: 'Zelenskyy' and 'Zelenskiy' -> 'zelenski'."""
    word = _stem(fold_letters(word))
    if word[:1].isdigit():
        return word.replace(",", "")
    for old, new in _FOLDS:
        if old in word:
            word = word.replace(old, new)
    return _DOUBLE.sub(r"\1", word)


def name_key(folded):
    """A consonant skeleton of a folded name: 'mohamed' and 'muhamad' -> 'mhmd'."""
    return folded[:1] + _VOWELS.sub("", folded[1:])


MAX_WORD = 60  # longer "words" are codes or junk
_fold_cache = {}
# Words, and the marks after which a capital letter means nothing (sentence ends, quotes...).
_WORD_OR_MARK = re.compile(r"[.!?:;\"\n(“«]|[\w'’ʼ]+")
_MARK = (None, None)


def _analyse(raw):
    """(folded term or '', name key or '') of one raw token; cached, as words repeat a lot."""
    if len(raw) == 1 and not raw.isalnum():
        return _MARK
    if len(raw) > MAX_WORD:
        return "", ""
    folded = fold_word(raw)
    if len(folded) < 2 or folded in STOPWORDS or fold_letters(raw) in STOPWORDS:
        return "", ""
    key = ""
    if raw[0].isupper() and not folded[0].isdigit():
        key = name_key(folded)
        key = "~" + key if len(key) >= 3 else ""
    return folded, key


def tokens(text, *, names=False):
    """Folded terms of `text`, stopwords dropped. With names=True, capitalised words that are
    not the first of a sentence also yield a '~' name key."""
    if not text:
        return []
    cache = _fold_cache
    if len(cache) > 1_000_000:
        cache.clear()
    get = cache.get
    out = []
    append = out.append
    boundary = True
    for raw in _WORD_OR_MARK.findall(text):
        entry = get(raw)
        if entry is None:
            entry = cache[raw] = _analyse(raw)
        folded, key = entry
        if folded is None:
            boundary = True
            continue
        if folded:
            append(folded)
            if key and names and not boundary:
                append(key)
        boundary = False
    return out


@dataclass
class Document:
    """What the engine reads of one article."""

    id: int
    headline: str = ""
    summary: str = ""
    body: str = ""
    tags: list = field(default_factory=list)
    section: str = ""
    source: str = ""
    published: float = 0.0  # seconds since the epoch


@dataclass(frozen=True)
class Weights:
    """How much each part of an article counts, and how many body words are read."""

    headline: float = 3.0
    summary: float = 2.0
    body: float = 1.0
    tags: float = 2.0
    section: float = 0.5
    source: float = 0.0
    body_words: int = 200
    names: bool = True
    bigrams: bool = False


DEFAULT_WEIGHTS = Weights()

_SUBLINEAR = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]


def _add(counts, terms, weight):
    # Sub-linear in repeats within a field, so one word said ten times does not dominate.
    get = counts.get
    for term, n in Counter(terms).items():
        counts[term] = get(term, 0.0) + weight * (_SUBLINEAR[n] if n < 64 else 1.0 + math.log(n))


def _bigrams(terms):
    words = [t for t in terms if t[0] != "~"]
    return [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def analyse(doc, weights=None):
    """({term: weighted count}, fingerprint) of one document. The fingerprint is a 63-bit hash of
    its folded words: equal for exact copies (however differently they were punctuated)."""
    weights = weights or DEFAULT_WEIGHTS
    counts = {}
    headline = tokens(doc.headline, names=weights.names)
    summary = tokens(doc.summary, names=weights.names)
    _add(counts, headline, weights.headline)
    _add(counts, summary, weights.summary)
    if weights.bigrams:
        _add(counts, _bigrams(headline), weights.headline / 2)
        _add(counts, _bigrams(summary), weights.summary / 2)
    body = []
    if doc.body:
        # The top of a news story carries its subject; reading a bounded slice keeps huge bodies cheap.
        body = tokens(doc.body[: weights.body_words * 12], names=weights.names)[: weights.body_words]
        if weights.body:
            _add(counts, body, weights.body)
    if weights.tags:
        for tag in doc.tags or ():
            _add(counts, tokens(tag), weights.tags)
    if weights.section and doc.section:
        counts["§" + fold_letters(doc.section)[:MAX_WORD]] = weights.section
    if weights.source and doc.source:
        counts["@" + fold_letters(doc.source)[:MAX_WORD]] = weights.source
    words = " ".join(headline + summary + body).encode()
    return counts, int.from_bytes(hashlib.blake2b(words, digest_size=8).digest(), "big") >> 1


def term_counts(doc, weights=None):
    return analyse(doc, weights)[0]
