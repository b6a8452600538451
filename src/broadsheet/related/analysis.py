"""Turning articles into weighted terms: tokens, accent and transliteration folding, fields.

Outlets spell the same names differently (Erdoğan/Erdogan, Zelensky/Zelenskyy/Zelenskiy,
al-Rashidi/el-Rashidy, Mohammed/Muhammad). Every token is folded to a key that most such
variants share; capitalised words also give a consonant "name key" so vowel variants meet.

Articles are analysed many at a time (Analyser.analyse_many): each distinct raw word is folded
once, then counting and weighing are array operations, with no Python object per word. A
single article goes through the same code, so a rebuild and an update always agree.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from broadsheet.core.text import STOP_WORDS

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

STOPWORDS = STOP_WORDS | frozenset(
    """
    above again against almost although always am among another around away back became because
    become before being below between both doing done down during each either else even ever every
    few further get gets got having here hers herself himself however itself last least less like
    made make many may might much must myself near neither never new next nor now off often once
    onto other others ours ourselves own per perhaps put rather same say see seen should since still
    such theirs themselves those though through thus told too toward towards under until upon us use
    used very well where whether while whom whose why within without yet yours yourself yourselves
    mr mrs ms dr al el de la le du van von der den des di da del los las bin ibn ben s t re ve ll d
    m ad ar az ash ul ud according added adding week weeks year years day days month months time
    times today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday percent
    cent statement spokesperson spokesman spokeswoman official officials people including
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
# NUL is never part of a text (analyse_many replaces it): it separates articles joined together.
_SEPARATOR = "\x00"
_WORD_OR_MARK = re.compile(r"[\x00.!?:;\"\n(“«]|[\w'’ʼ]+")
_MARK = (None, None)
# Multiplier of the fingerprint's polynomial hash (odd, so every power is too).
_HASH_BASE = np.uint64(0x100000001B3)


def _analyse(raw):
    """(folded term or '', name key or '') of one raw token, or _MARK for a punctuation mark."""
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


def _analyse_cached(raw):
    entry = _fold_cache.get(raw)
    if entry is None:
        if len(_fold_cache) > 1_000_000:
            _fold_cache.clear()
        entry = _fold_cache[raw] = _analyse(raw)
    return entry


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

    # Chosen on the "tune" half of the generated set (bench/related_eval.py): headlines of
    # different stories on one topic share their words, a summary mostly repeats the lead the
    # body already has, and outlets' tags are generic, so none of them weighs more than the body.
    # The section alone never makes two stories related (it added nothing on the tune half).
    headline: float = 1.0
    summary: float = 0.25
    body: float = 1.0
    tags: float = 0.5
    section: float = 0.0
    source: float = 0.0
    body_words: int = 200
    names: bool = True

    @property
    def body_chars(self):
        """How much of the body is read: the top of a story carries its subject, and huge
        bodies stay cheap."""
        return self.body_words * 12


DEFAULT_WEIGHTS = Weights()


@dataclass
class Analysed:
    """Weighted term counts of many documents as CSR arrays (row i = i-th document), columns
    numbered by the Analyser's vocabulary, and one fingerprint per document."""

    indptr: np.ndarray  # int64, len(documents) + 1
    indices: np.ndarray  # int32 term numbers, sorted within each row
    data: np.ndarray  # float32 weighted counts
    fingerprints: np.ndarray  # int64; equal for exact copies (same folded words in order)


class _Codes(dict):
    """raw token -> small number; an unseen token is analysed once, by `make`."""

    __slots__ = ("make",)

    def __missing__(self, raw):
        code = self[raw] = self.make(raw)
        return code


class Analyser:
    """Numbers terms (`terms`: text -> number, `texts`: number -> text) and turns documents into
    weighted counts over those numbers. One analyser per rebuild; numbers are its own."""

    # Raw tokens remembered before the cache starts again (term numbers are kept).
    MAX_CODES = 2_000_000

    def __init__(self, weights=None):
        self.weights = weights or DEFAULT_WEIGHTS
        self.terms = {}
        self.texts = []
        self._hashes = np.zeros(1024, dtype=np.uint64)
        self._powers = np.ones(1, dtype=np.uint64)
        self._sections = {}
        self._reset_codes()

    def _reset_codes(self):
        self._codes = _Codes()
        self._codes.make = self._new_code
        size = 4096
        self._folded = np.full(size, -1, dtype=np.int64)  # per code: term number or -1
        self._key = np.full(size, -1, dtype=np.int64)  # per code: name key number or -1
        self._is_mark = np.zeros(size, dtype=bool)
        assert self._codes[_SEPARATOR] == 0

    def number(self, text):
        """The number of a term, given a new one if unseen."""
        number = self.terms.get(text)
        if number is None:
            number = self.terms[text] = len(self.texts)
            self.texts.append(text)
            if number >= len(self._hashes):
                self._hashes = np.concatenate([self._hashes, np.zeros_like(self._hashes)])
            digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            self._hashes[number] = int.from_bytes(digest, "big")
        return number

    def _new_code(self, raw):
        code = len(self._codes)
        if code >= len(self._folded):
            grow = len(self._folded)
            self._folded = np.concatenate([self._folded, np.full(grow, -1, dtype=np.int64)])
            self._key = np.concatenate([self._key, np.full(grow, -1, dtype=np.int64)])
            self._is_mark = np.concatenate([self._is_mark, np.zeros(grow, dtype=bool)])
        folded, key = _analyse_cached(raw)
        if folded is None:
            self._is_mark[code] = True
        elif folded:
            self._folded[code] = self.number(folded)
            if key:
                self._key[code] = self.number(key)
        return code

    def _tokens(self, texts, *, names):
        """(document index, term number) of every counted token of `texts`, in reading order.
        With names=True a capitalised word that does not start a sentence also gives its name key."""
        joined = _SEPARATOR.join(t.replace(_SEPARATOR, " ") if _SEPARATOR in t else t for t in texts)
        raws = _WORD_OR_MARK.findall(joined)
        codes = np.fromiter(map(self._codes.__getitem__, raws), dtype=np.int64, count=len(raws))
        doc = np.cumsum(codes == 0)  # a separator starts the next document
        folded = self._folded[codes]
        if names and len(codes):
            after_mark = np.empty(len(codes), dtype=bool)
            after_mark[0] = True
            after_mark[1:] = self._is_mark[codes[:-1]]
            key = np.where(after_mark, -1, self._key[codes])
            terms = np.stack([folded, key], axis=1).ravel()
            doc = np.repeat(doc, 2)
        else:
            terms = folded
        keep = terms >= 0
        return doc[keep], terms[keep]

    def analyse_many(self, documents):
        """Analysed arrays for a list of Documents (a few thousand at a time is right)."""
        w = self.weights
        n = len(documents)
        if len(self._codes) > self.MAX_CODES:
            self._reset_codes()
        headline = self._tokens([d.headline or "" for d in documents], names=w.names)
        summary = self._tokens([d.summary or "" for d in documents], names=w.names)
        body = self._tokens([(d.body or "")[: w.body_chars] for d in documents], names=w.names)
        body = _first_per_row(*body, n, w.body_words)
        parts = [(headline, w.headline), (summary, w.summary), (body, w.body)]
        if w.tags:
            owners, tag_texts = [], []
            for row, d in enumerate(documents):
                for tag in d.tags or ():
                    owners.append(row)
                    tag_texts.append(tag)
            # each tag counts on its own (sub-linear within one tag, added across tags)
            instance, terms = self._tokens(tag_texts, names=False)
            owners = np.asarray(owners, dtype=np.int64)
            parts.append(((instance, terms), w.tags, owners))
        rows, cols, values = [], [], []
        vocabulary = max(len(self.texts), 1)
        for part in parts:
            (doc, terms), weight = part[0], part[1]
            if not weight or not len(terms):
                continue
            keys, repeats = np.unique(doc * vocabulary + terms, return_counts=True)
            doc = keys // vocabulary
            rows.append(part[2][doc] if len(part) > 2 else doc)
            cols.append(keys % vocabulary)
            # sub-linear in repeats within a field, so one word said ten times does not dominate
            values.append(weight * (1.0 + np.log(repeats)))
        for kind, weight, prefix in (("section", w.section, "§"), ("source", w.source, "@")):
            if not weight:
                continue
            names = [getattr(d, kind) for d in documents]
            present = [row for row, name in enumerate(names) if name]
            rows.append(np.asarray(present, dtype=np.int64))
            cols.append(np.asarray([self._named(prefix, names[row]) for row in present], dtype=np.int64))
            values.append(np.full(len(present), weight))
        vocabulary = max(len(self.texts), 1)
        if rows:
            keys = np.concatenate(rows) * vocabulary + np.concatenate(cols)
            keys, inverse = np.unique(keys, return_inverse=True)
            data = np.bincount(inverse, weights=np.concatenate(values)).astype(np.float32)
            row_of = keys // vocabulary
            indices = (keys % vocabulary).astype(np.int32)
        else:
            data, row_of, indices = np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(0, np.int32)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
        return Analysed(indptr, indices, data, self._fingerprints(n, headline, summary, body))

    def _named(self, prefix, name):
        number = self._sections.get((prefix, name))
        if number is None:
            number = self._sections[prefix, name] = self.number(prefix + fold_letters(name)[:MAX_WORD])
        return number

    def _fingerprints(self, n, *fields):
        """A 63-bit polynomial hash of each document's folded words in order: headline, summary,
        body. Equal for exact copies however differently they were punctuated."""
        prints = np.zeros(n, dtype=np.uint64)
        offset = np.zeros(n, dtype=np.int64)
        for doc, terms in fields:
            if not len(doc):
                continue
            lengths = np.bincount(doc, minlength=n)
            starts = np.cumsum(lengths) - lengths
            position = np.arange(len(doc), dtype=np.int64) - starts[doc] + offset[doc]
            offset += lengths
            powers = self._power_table(int(position.max()) + 1)
            with np.errstate(over="ignore"):
                np.add.at(prints, doc, self._hashes[terms] * powers[position])
        return (prints >> np.uint64(1)).astype(np.int64)

    def _power_table(self, size):
        if len(self._powers) < size:
            table = np.full(max(size, 2 * len(self._powers)), _HASH_BASE, dtype=np.uint64)
            table[0] = 1
            with np.errstate(over="ignore"):
                self._powers = np.cumprod(table, dtype=np.uint64)
        return self._powers

    def counts(self, analysed, row=0):
        """{term text: weighted count} of one analysed row."""
        a, b = analysed.indptr[row], analysed.indptr[row + 1]
        return {
            self.texts[t]: float(v)
            for t, v in zip(analysed.indices[a:b].tolist(), analysed.data[a:b].tolist(), strict=True)
        }


def _first_per_row(doc, terms, n, limit):
    """Only the first `limit` tokens of each document."""
    if not len(doc):
        return doc, terms
    lengths = np.bincount(doc, minlength=n)
    rank = np.arange(len(doc)) - (np.cumsum(lengths) - lengths)[doc]
    keep = rank < limit
    return doc[keep], terms[keep]


def tokens(text, *, names=False):
    """Folded terms of `text`, stopwords dropped. With names=True, capitalised words that are
    not the first of a sentence also yield a '~' name key."""
    analyser = Analyser()
    _doc, terms = analyser._tokens([text or ""], names=names)
    return [analyser.texts[t] for t in terms.tolist()]


def analyse(doc, weights=None):
    """({term: weighted count}, fingerprint) of one document."""
    analyser = Analyser(weights)
    analysed = analyser.analyse_many([doc])
    return analyser.counts(analysed), int(analysed.fingerprints[0])
