"""Finding the outlets a story cites as reporting: "Haaretz reported", "according to The New York
Times", "speaking to Reuters", "the London-based Asharq Al-Awsat".

Precision over recall: a wrong credit is worse than a missing one. So a name counts only when it
is a known outlet (a Source or one of its aliases), stands alone (not part of a longer name such
as "Times Square" or "the New York Times" when only "The Times" is known), and sits in one of the
reporting patterns of the story's language, inside one sentence.

Languages: PATTERNS maps a language code to its cues (text just before the name, text just after
it). English is complete; Spanish, French and German carry their commonest cues, and another
language is one more entry.
"""

import re
import time
from dataclasses import dataclass

from . import outlets

_I = re.IGNORECASE


@dataclass(frozen=True)
class Cues:
    # Text ending right before the name ("according to the ").
    before: re.Pattern
    # Text starting right after the name (" reported").
    after: re.Pattern
    # Words before the name that describe an outlet ("Israeli daily "): with them, "said" is a cue too.
    descriptor: re.Pattern
    said: re.Pattern


_ARTICLE = r"(?:the |a |an )?"
_REPORT_NOUN = r"(?:report|reports|reporting|article|story|interview|investigation|analysis|dispatch|scoop)"
EN = Cues(
    before=re.compile(
        "(?:"
        + "|".join(
            [
                rf"\baccording to (?:{_ARTICLE}(?:new |recent |latest |separate |exclusive )?{_REPORT_NOUN} (?:by|in|from|with|of) )?(?:the )?",
                r"\b(?:speaking|spoke|speak|speaks|talking|talked|talk|talks) (?:exclusively |separately |anonymously |on condition of anonymity )?(?:to|with) (?:the )?",
                r"\b(?:told|tells|telling|tell) (?:the )?",
                r"\binterview (?:with|to|given to|granted to) (?:the )?",
                r"\b(?:first |originally |also |exclusively |previously |earlier )?(?:reported|published|revealed|broken|obtained|quoted|cited|carried|seen|confirmed) by (?:the )?",
                rf"\b{_ARTICLE}(?:new |recent |latest |separate |exclusive )?{_REPORT_NOUN} (?:by|in|from) (?:the )?",
                r"\b(?:citing|quoting|cited|quoted) (?:a report (?:by|in|from) )?(?:the )?",
                r"\b(?:writing|wrote|writes) (?:in|for) (?:the )?",
            ]
        )
        + r")$",
        _I,
    ),
    after=re.compile(
        "^(?:"
        + "|".join(
            [
                r",? (?:which |who |that )?(?:has |had |have |also |first |later |previously |exclusively |earlier |originally |separately |recently |on \w+ |last \w+ |this \w+ )*(?:reported|reports|wrote|writes|revealed|reveals|published|publishes|quoted|quotes|disclosed|discloses|broke the news|has learned|has learnt|obtained|claimed)\b",
                rf" (?:said|says|stated|noted|added) in (?:a|an|its|their|one) (?:[\w-]+ ){{0,2}}(?:{_REPORT_NOUN}|editorial|bulletin|broadcast|newsletter)s?\b",
                rf"['’]s? (?:own |latest |new |exclusive |recent )?{_REPORT_NOUN} (?:said|says|found|finds|showed|shows|revealed|reveals|claimed|claims|published|that|on|,)",
                r",? (?:reporting|writing) (?:from|on|that)\b",
            ]
        )
        + ")",
        _I,
    ),
    descriptor=re.compile(
        r"(?:\b(?:newspaper|daily|broadcaster|news agency|agency|news site|news website|website|magazine|"
        r"channel|network|outlet|weekly|tabloid|broadsheet|paper)|-(?:based|owned|run|funded|language|"
        r"affiliated|backed)(?: [a-z-]+){0,3}) $"
    ),
    said=re.compile(r"^,? (?:said|says|reported|reports|wrote|writes|quoted|cited|revealed)\b", _I),
)
ES = Cues(
    before=re.compile(
        r"(?:\bsegún (?:el |la |los |las |un informe de |el diario |la agencia )?|\b(?:dijo|declaró|contó) a (?:el |la )?|\binformó (?:el |la )?)$",
        _I,
    ),
    after=re.compile(r"^,? (?:informó|publicó|reveló|señaló en un informe|escribió)\b", _I),
    descriptor=re.compile(r"\b(?:diario|periódico|agencia|cadena|canal|revista) $", _I),
    said=re.compile(r"^,? (?:dijo|informó|publicó)\b", _I),
)
FR = Cues(
    before=re.compile(
        r"(?:\bselon (?:le |la |l['’]|les )?|\bd['’]après (?:le |la |l['’])?|\b(?:a déclaré|a confié|a dit|a affirmé) (?:au |à la |à l['’]|à )?)$",
        _I,
    ),
    after=re.compile(r"^,? (?:a rapporté|rapporte|a révélé|révèle|a publié|publie|a écrit|écrit)\b", _I),
    descriptor=re.compile(r"\b(?:quotidien|journal|agence|chaîne|hebdomadaire|magazine|site) $", _I),
    said=re.compile(r"^,? (?:a indiqué|indique|a affirmé)\b", _I),
)
DE = Cues(
    before=re.compile(
        r"(?:\blaut (?:der |dem |des |einem Bericht (?:der |des |von ))?|\b(?:sagte|sagt|erklärte|erklärt) (?:der |dem )?|\bberichtete(?:n)? (?:der |die |das )?)$"
    ),
    after=re.compile(r"^,? (?:berichtete|berichtet|schrieb|schreibt|meldete|meldet|enthüllte)\b"),
    descriptor=re.compile(
        r"\b(?:Zeitung|Tageszeitung|Nachrichtenagentur|Agentur|Sender|Magazin|Wochenzeitung) $"
    ),
    said=re.compile(r"^,? (?:sagte|berichtete|meldete)\b"),
)
PATTERNS = {"en": EN, "es": ES, "fr": FR, "de": DE}

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-ÖØ-Þ])|\n+")
_TOKEN = re.compile(r"\w(?:[\w&.\-]*\w)?")
_DESCRIBED = re.compile(r"-[a-z]+$")
MAX_NAME_WORDS = 7
# Capitalised words that may follow an outlet's name without being part of it.
_FREE_FOLLOWERS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "on",
    "in",
    "that",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "i",
    "and",
    "but",
}


@dataclass(frozen=True)
class Found:
    source_id: int
    name: str
    sentence: str


def _lookup_form(words):
    return " ".join(words)


class Finder:
    """Finds cited outlets among a fixed table of names: [(name, source_id)]."""

    def __init__(self, names):
        self.names = {}
        self.longest = 1
        for name, source_id in names:
            words = _TOKEN.findall(name)
            if not words:
                continue
            forms = [words]
            if len(words) > 1 and words[0].lower() == "the":
                forms.append(words[1:])
            for form in forms:
                self.names.setdefault(_lookup_form(form), source_id)
                self.longest = max(self.longest, len(form))
        self.longest = min(self.longest, MAX_NAME_WORDS)

    def find(self, text, language="en"):
        cues = PATTERNS.get((language or "en")[:2].lower(), EN)
        found = {}
        for sentence in _SENTENCE_END.split(text or ""):
            if not sentence or len(sentence) > 5000:
                continue
            for source_id, name in self._cited_in(sentence, cues):
                found.setdefault(source_id, Found(source_id, name, sentence.strip()[:1000]))
        return list(found.values())

    def _cited_in(self, sentence, cues):
        tokens = list(_TOKEN.finditer(sentence))
        i = 0
        while i < len(tokens):
            first = tokens[i].group()
            if not (first[0].isupper() or first[0].isdigit() or "." in first):
                i += 1
                continue
            match = self._longest_name(sentence, tokens, i)
            if match is None:
                i += 1
                continue
            j, source_id = match
            start, end = tokens[i].start(), tokens[j - 1].end()
            if self._stands_alone(sentence, tokens, i, j) and self._is_cited(sentence, start, end, cues):
                yield source_id, sentence[start:end]
            i = j

    def _longest_name(self, sentence, tokens, i):
        for length in range(min(self.longest, len(tokens) - i), 0, -1):
            j = i + length
            # The words of a name are next to each other: only spaces or hyphens between them.
            if any(
                sentence[tokens[k].end() : tokens[k + 1].start()] not in (" ", "-") for k in range(i, j - 1)
            ):
                continue
            words = [t.group() for t in tokens[i:j]]
            source_id = self.names.get(_lookup_form(words))
            if source_id is not None:
                return j, source_id
        return None

    def _stands_alone(self, sentence, tokens, i, j):
        """Not part of a longer proper name: no capitalised word right before or after it."""
        if i > 0 and sentence[tokens[i - 1].end() : tokens[i].start()] == " ":
            before = tokens[i - 1].group()
            starts_sentence = i == 1 and tokens[0].start() < 2
            described = _DESCRIBED.search(before)  # "London-based", "Saudi-owned": not part of a name
            if (
                before[0].isupper()
                and before.lower() not in ("the", "a", "an")
                and not (starts_sentence or described)
            ):
                return False
        if j < len(tokens) and sentence[tokens[j - 1].end() : tokens[j].start()] in (" ", "-"):
            after = tokens[j].group()
            if after[0].isupper() and after.lower() not in _FREE_FOLLOWERS:
                return False
        return True

    def _is_cited(self, sentence, start, end, cues):
        before = sentence[max(0, start - 120) : start]
        after = sentence[end : end + 160]
        if cues.before.search(before) or cues.after.match(after):
            return True
        return bool(cues.descriptor.search(before) and cues.said.match(after))


_finder = {"version": None, "built": 0.0, "finder": None}
FINDER_SECONDS = 60  # other processes' changes to names reach this one within a minute


def finder():
    """A Finder over every Source name and alias, rebuilt when names change."""
    version = outlets.names_version()
    now = time.monotonic()
    if _finder["finder"] is None or _finder["version"] != version or now - _finder["built"] > FINDER_SECONDS:
        _finder.update(finder=Finder(outlets.known_names()), version=version, built=now)
    return _finder["finder"]


def find_citations(text, language="en"):
    return finder().find(text, language)
