"""Finding people a story names who are not entities yet, as *suggestions* an editor confirms.

Precision first: a name is suggested only when it is two to four capitalised words that look like
a person's name and sit beside a cue that a person is meant: a title before it ("President",
"Foreign Minister"), a verb of speech after it ("said", "told", "warned"), "according to" before
it, or a role in apposition (", the defence minister,"). A run of capitals that starts a sentence
loses its first word (a sentence's first word is capitalised anyway); runs holding a known outlet
or section, a month or a day, or a word of an institution or place ("Ministry", "Council",
"United", "Street") are never names. Spellings whose keys meet (entities.name_key: accents,
transliteration, al-/el-) are one suggestion; a spelling of an entity already known is no new
suggestion at all.

English first; the cues are data (CUES), so another language is one more entry.
"""

import re
from dataclasses import dataclass

from . import entities

MAX_NAME_WORDS = 4
# A word of a name: a capital, then letters (apostrophes and hyphens inside: O'Neill, Al-Sadr).
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’‑-]*[^\W\d_])?|[.!?;:,“”\"()]|\d+")
_CAPITALISED = re.compile(
    r"^(?:(?:al|el|ul|bin|ibn|abu|abd|bint|ben|van|von|de|di|da|du|la|le|del|der|dos|das)[-‑'’]|[OD]['’])?[A-ZÀ-ÖØ-ÞĀ-ſƀ-ɏА-ЯЁ][a-zß-öø-ÿā-ſƀ-ɏа-яё]+"
    # then more letters, a capital inside only after an apostrophe, a hyphen or Mc ("O'Neill")
    r"(?:['’‑-]?[A-ZÀ-ÖØ-Þa-zß-öø-ÿā-ſƀ-ɏа-яёА-ЯЁ]+)*(?:['’]s)?$"
)
# Lower-case words allowed inside a name ("Bashar al Assad", "Ludwig van Beethoven").
_PARTICLES = set(
    """
    al el bin ibn abu bint ben van von de di da du der del la le dos das
    """.split()
)
_SENTENCE_END = {".", "!", "?", "“", "”", '"', ":", ";", "("}

TITLES = set(
    """
    president minister prime foreign defence defense interior finance deputy vice senator sen
    governor gov mayor general gen colonel col major captain capt admiral lieutenant sergeant
    commander dr doctor professor prof sheikh shaikh king queen prince princess emir sultan
    ayatollah imam rabbi pope cardinal bishop archbishop father chancellor ambassador envoy
    secretary speaker judge justice chairman chairwoman chair mr mrs ms miss sir dame lord lady
    mp rep representative spokesman spokeswoman spokesperson chief director inspector
    superintendent coach striker former late acting new opposition health energy trade economy
    education culture transport environment labour labor state army police
    """.split()
)
# Words that end a run when they come first: a title before a name is a cue, not part of it.
_SPEECH = (
    r"said|says|told|tells|added|adds|stated|states|warned|warns|announced|announces|wrote|writes|"
    r"insisted|insists|argued|argues|explained|explains|noted|notes|claimed|claims|denied|denies|"
    r"confirmed|confirms|urged|urges|replied|replies|asked|asks|tweeted|declared|declares|vowed|vows|"
    r"admitted|admits|stressed|stresses|acknowledged|acknowledges|recalled|recalls|promised|promises"
)


_NAME_IN_CUE = r"(?:(?:al|el|bin|ibn|van|von|de)[-‑ ])?[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’‑-]*"


@dataclass(frozen=True)
class Cues:
    after: re.Pattern  # text right after the name: a verb of speech, or a role in apposition
    before: re.Pattern  # text right before the name (lower-case, up to the name)
    place: re.Pattern  # text right before a name that makes it a place ("officials in ")
    thing: re.Pattern  # the rest of the sentence when it speaks of the name as a thing ("its")


CUES = {
    "en": Cues(
        after=re.compile(
            rf"^(?:,? (?:who |also |later |then |previously |earlier |again )?(?:{_SPEECH})\b"
            # "Ali Veli and Ayse Demir said": the cue after the second name is the first's too.
            rf"| and (?:{_NAME_IN_CUE})(?: {_NAME_IN_CUE}){{1,3}},? (?:{_SPEECH})\b"
            r"|,? (?:has|had|have) (?:said|told|written|warned|denied|confirmed|argued)\b"
            r"|, (?:a|an|the|his|her|their|its) (?:[\w'’-]+ ){0,3}(?:minister|president|spokesman|spokeswoman|spokesperson|"
            r"leader|commander|chief|governor|mayor|senator|ambassador|envoy|official|adviser|advisor|"
            r"general|cleric|lawyer|director|chairman|chairwoman|candidate|lawmaker|deputy|secretary|"
            r"prosecutor|judge|activist|analyst|economist|professor|researcher|founder|owner|head|"
            r"coach|manager|player|striker|captain|mp|mayor|member|colonel|negotiator|historian)\b)"
        ),
        before=re.compile(
            r"(?:\baccording to|\b(?:spokesman|spokeswoman|spokesperson|minister|president|leader|"
            r"commander|chief|governor|mayor|senator|ambassador|envoy|official|adviser|advisor|general|"
            r"cleric|lawyer|director|chairman|prosecutor|judge|activist|analyst|economist|professor|"
            r"coach|manager|captain|candidate|lawmaker|deputy|negotiator),?|\b(?:quoted|interviewed|"
            r"met|told|asked|thanked|praised|criticised|criticized|accused|named|appointed|elected)"
            # "..., said Ali Veli": a verb of speech before the name (quotes come first in news).
            rf"|[,”\"] (?:{_SPEECH})) $"
        ),
        place=re.compile(
            r"\b(?:in|at|from|to|near|into|outside|inside|across|around|throughout|toward|towards|"
            r"via|across|of|for|on|between|beyond|off|along|within) $"
        ),
        thing=re.compile(r"\b(?:its|that it|it would|it will|it has|it had|which)\b"),
    ),
}

# Common first words of a sentence, never the start of a name.
STARTERS = set(
    """
    a an the this that these those then but and or so yet when where while whereas after before
    since until as if though although because meanwhile however also later earlier yesterday
    today tomorrow tonight now still even only both neither either each every all some many most
    few several in on at by for from with without under over into during despite among between
    about against outside inside near there here what who why how which officials police
    residents witnesses critics analysts sources reports his her their our its my your we they
    he she it i you asked speaking according last next first finally instead indeed unlike like
    once twice perhaps maybe nearly almost around more less no not never always often sometimes
    again thus therefore hence otherwise besides moreover furthermore nevertheless nonetheless
    """.split()
)

MONTHS_AND_DAYS = set(
    """
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """.split()
)
# Words of institutions, places and things, never of a person's name.
# Firms and clubs named after people ("Holloway Brothers", "Ashby Rovers").
NOT_NAME_WORDS = set(
    """
    ministry council office department party army forces force guard guards agency court bank
    union committee commission organisation organization authority authorities government
    parliament assembly police university college school hospital times post news press daily
    herald courier gazette tribune journal telegraph observer chronicle review radio television
    tv company group corps front movement federation republic kingdom states state nations
    airlines airways square street road avenue bridge valley harbour harbor port island islands
    river sea ocean gulf strait province city county region district north south east west
    northern southern eastern western central united national international federal royal
    islamic democratic arab saudi gaza strip bay lake mountain mountains hills house palace hall
    centre center institute foundation fund bureau service services ministry's cabinet senate
    congress club fc league cup association society council's brigade brigades division command
    navy air coast border station airport museum church mosque temple market exchange reserve
    treasury white red green blue black crescent cross world global europe european africa
    african asia asian america american middle new old great grand high supreme general inc ltd
    plc group's energy oil gas power health security defence defense foreign interior finance
    justice education trade affairs reuters associated monday's today tonight yesterday tomorrow
    christmas easter ramadan eid olympics olympic games championship summit conference forum
    festival prize award act bill law plan deal accord treaty agreement war crisis operation
    project programme program report index brothers bros sons partners holdings logistics
    industries motors foods shipping capital associates consulting systems technologies media
    rovers wanderers athletic rangers town academy studios records pharma airline construction
    engineering trading transport ventures family trust estate
    """.split()
)


def supported(language):
    """True when CUES has the cues of `language` ("en", "en-GB")."""
    return (language or "en")[:2].lower() in CUES


@dataclass(frozen=True)
class Suggestion:
    name: str
    sentence: str


def _is_name_word(token):
    return bool(_CAPITALISED.match(token)) and token.lower().strip("'’") not in TITLES


class Finder:
    """Finds person names in text; `excluded` are names that are never people (outlets,
    sections), compared by entities.name_key."""

    def __init__(self, excluded=(), language="en"):
        self.cues = CUES[(language or "en")[:2].lower() if supported(language) else "en"]
        self.excluded_words = set()
        self.excluded_keys = set()
        for name in excluded:
            key = entities.name_key(name)
            if key:
                self.excluded_keys.add(key)
                self.excluded_words.update(w.lower() for w in entities._NAME_WORD.findall(name) if len(w) > 2)

    def find(self, text):
        """[Suggestion] in order of first appearance, one per name as written."""
        found = {}
        for sentence in _sentences(text or ""):
            for name in self._names_in(sentence):
                found.setdefault(name, Suggestion(name=name, sentence=sentence[:500]))
        return list(found.values())

    def _names_in(self, sentence):
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
        i = 0
        while i < len(tokens):
            if not _CAPITALISED.match(tokens[i][0]):
                i += 1
                continue
            j = i
            while j < len(tokens) and (
                _CAPITALISED.match(tokens[j][0]) or (tokens[j][0] in _PARTICLES and j > i)
            ):
                j += 1
            run, starts_sentence = tokens[i:j], i == 0 or tokens[i - 1][0] in _SENTENCE_END
            # An abbreviated title ("Gen. Ali Veli"): its full stop ends no sentence.
            titled = i >= 2 and tokens[i - 1][0] == "." and tokens[i - 2][0].lower() in TITLES
            starts_sentence = starts_sentence and not titled
            i = j
            # Titles before the name are its cue, not its words.
            while run and run[0][0].lower().rstrip(".") in TITLES:
                run, titled, starts_sentence = run[1:], True, False
            # A sentence's first word is capitalised whatever it is: a common one is left out,
            # any other counts only with a cue after the name.
            if run and starts_sentence and run[0][0].lower() in STARTERS:
                run, starts_sentence = run[1:], False
            while run and run[-1][0] in _PARTICLES:
                run = run[:-1]
            words = [t[0] for t in run]
            if words and words[-1].endswith(("'s", "’s")):
                words[-1] = words[-1][:-2]
            if not (2 <= len(words) <= MAX_NAME_WORDS) or not all(
                _is_name_word(w) or w in _PARTICLES for w in words
            ):
                continue
            if not self._looks_like_a_person(words):
                continue
            before, after = sentence[: run[0][1]], sentence[run[-1][2] :]
            cued_before = not starts_sentence and bool(self.cues.before.search(before.lower()[-80:]))
            # "Officials in Ostrava Nova said": a place. "Lumen Robotics said that it ...": a firm.
            if not (titled or cued_before) and self.cues.place.search(before.lower()[-20:]):
                continue
            if self.cues.thing.search(after):
                continue
            if self.cues.after.match(after) or (not starts_sentence and titled) or cued_before:
                yield " ".join(words)

    def _looks_like_a_person(self, words):
        lowered = [w.lower().strip("'’") for w in words]
        if any(w in MONTHS_AND_DAYS or w in NOT_NAME_WORDS for w in lowered):
            return False
        if any(w.endswith(("'s", "’s")) for w in lowered):
            return False
        if any(w in self.excluded_words for w in lowered if w not in _PARTICLES):
            return False
        key = entities.name_key(" ".join(words))
        return bool(key) and key not in self.excluded_keys


_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+|\n+")
# A full stop after these is no sentence's end ("Gen. Ali Veli said").
_ABBREVIATIONS = re.compile(
    r"\b(?:Gen|Col|Capt|Lt|Sgt|Adm|Maj|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|St|Jr|Sr|Mt|No|U\.S|U\.K|[A-Z])\.$"
)


def _sentences(text):
    sentences = []
    for piece in _SENTENCE.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if sentences and _ABBREVIATIONS.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences
