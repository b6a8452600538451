"""People and places a story names, with spellings merged across transliterations.

Editors name an entity once ("Qassem Soleimani", a person); the machine links every story that
names it in any common spelling: accents off, Cyrillic to Latin, al-/el- dropped, and the
transliteration folds of the related engine plus e/i and o/u and a final vowel ("Qasem",
"Kassem", "Soleimani", "Suleimani"; "Kaani", "Qaani"; "Esmail", "İsmail"). A lone surname, or a
spelling editors marked "in context only" (a translation slip such as "Süleyman") never links a
story by itself: the story must name the entity in full, so a look-alike name of someone else
("Omar Suleiman") is not linked.
Whole names must match word for word: "Ali Khamenei" never meets "Ruhollah Khomeini".

Only confirmed entities link stories. The machine also suggests people it finds in stories
(discovery.py); a suggestion waits for an editor, and a spelling of one it already has, or of
a known entity, is merged into it by the same keys.
"""

import re

from django.db import transaction
from django.utils.html import strip_tags

from broadsheet.core import surrogates
from broadsheet.core.prepared import PreparedQuery
from broadsheet.related.analysis import fold_letters, fold_word

from .models import Entity, EntityName, Mention

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)
_ARTICLES = re.compile(r"^(?:al|el|ul|ol|ash|as|ad|an|ar|at|az)[-‑'’]", re.I)
_NAME_WORD = re.compile(r"[^\W\d_](?:[\w'’‑-]*[^\W_])?")
_VOWEL_END = re.compile(r"[aeiou]$")
_DOUBLE = re.compile(r"(.)\1+")


def _latin(word):
    lowered = word.lower()
    if not any("а" <= ch <= "я" or ch == "ё" for ch in lowered):
        return word
    return "".join(_CYRILLIC.get(ch, ch) for ch in lowered).replace("_", "")


def word_key(word):
    """One word of a name folded so spellings of it meet: 'Qassem' and 'Qasem' -> 'kasim'."""
    word = _ARTICLES.sub("", _latin(word))
    folded = fold_word(fold_letters(word).replace("-", ""))
    folded = _DOUBLE.sub(r"\1", folded.replace("e", "i").replace("o", "u"))
    return _VOWEL_END.sub("", folded) if len(folded) > 3 else folded


def name_key(name):
    return tuple(word_key(w) for w in _NAME_WORD.findall(name))


class Matcher:
    """Finds entities in text among a table of names."""

    def __init__(self, names):
        # names: [(name, entity_id, in_context_only)]; an in-context spelling never links alone.
        self.full = {}
        self.longest = 1
        for name, entity_id, in_context_only in names:
            key = name_key(name)
            if key and not in_context_only:
                self.full.setdefault(key, set()).add(entity_id)
                self.longest = max(self.longest, len(key))

    def find(self, text):
        """The ids of entities `text` names in full (or by a one-word name only they have)."""
        # Names are runs of capitalised words ("al-" and "el-" may stand inside one); a lower-case
        # word ends a run, so "Qasem met Soleimani" is not "Qasem Soleimani".
        words = [
            word_key(w) if w[:1] != w[:1].lower() or _ARTICLES.match(w) else None
            for w in _NAME_WORD.findall(text or "")
        ]
        found = set()
        for i in range(len(words)):
            for length in range(min(self.longest, len(words) - i), 0, -1):
                key = words[i : i + length]
                if None in key:
                    continue
                ids = self.full.get(tuple(key))
                if ids and len(ids) == 1:  # a key two entities share names neither for sure
                    found |= ids
                    break
        return found


def matcher():
    confirmed = Entity.objects.confirmed()
    rows = EntityName.objects.filter(entity__in=confirmed).values_list("name", "entity_id", "in_context_only")
    names = list(rows) + [(n, pk, False) for pk, n in confirmed.values_list("pk", "name")]
    return Matcher(names)


@transaction.atomic
def refresh_mentions(article, *, using=None):
    """Link `article` to the entities its text names (replacing the machine's earlier links)."""
    text = "\n".join([article.headline, article.summary, strip_tags(article.body_html or article.body)])
    ids = (using or matcher()).find(text)
    removed, _ = Mention.objects.filter(article=article).exclude(entity_id__in=ids).delete()
    added = sum(Mention.objects.get_or_create(article=article, entity_id=entity_id)[1] for entity_id in ids)
    if removed or added:  # the story's page names its entities: purge it, and only on a change
        surrogates.request_purge(surrogates.story(article.pk), surrogates.PROVENANCE)
    return ids


def refresh_all(articles):
    using = matcher()
    for article in articles:
        refresh_mentions(article, using=using)


def entities_of(article, request=None):
    """The confirmed entities `article` names, by name (none without a query for a story known
    to have no provenance, when the request is given)."""
    from .provenance import may_have_provenance

    if not may_have_provenance(request, article):
        return []
    return NAMED_IN.all(article_id=article.pk)


# Read under every story: its SQL is built once (core.prepared).
NAMED_IN = PreparedQuery(
    lambda article_id: Entity.objects.confirmed().filter(mentions__article=article_id).order_by("name")
)


class Suggester:
    """Suggests the people stories name who are no entity yet (read the known names once, then
    call suggest_people for each story)."""

    def __init__(self):
        from broadsheet.newsroom.models import Section, Source

        from .models import SourceAlias

        self.excluded = [
            *Source.objects.values_list("name", flat=True),
            *SourceAlias.objects.values_list("name", flat=True),
            *Section.objects.values_list("name", flat=True),
        ]
        self.finders = {}
        # Every spelling of every entity, whatever its status: a rejected name is never suggested again.
        statuses = dict(Entity.objects.values_list("pk", "status"))
        spellings = [
            *Entity.objects.values_list("pk", "name"),
            *EntityName.objects.values_list("entity_id", "name"),
        ]
        self.known = {}
        for entity_id, name in spellings:
            self.known.setdefault(name_key(name), (entity_id, statuses.get(entity_id)))

    def finder(self, language):
        from .discovery import Finder

        code = (language or "en")[:2].lower()
        if code not in self.finders:
            self.finders[code] = Finder(excluded=self.excluded, language=code)
        return self.finders[code]

    @transaction.atomic
    def suggest_people(self, article):
        """Entities suggested for the people `article` names who are not known yet; another
        spelling of a waiting suggestion becomes one of its names. Returns the new ones."""
        from .discovery import supported

        if not supported(article.language):
            return []
        text = "\n".join([article.headline, article.summary, strip_tags(article.body_html or article.body)])
        created = []
        for suggestion in self.finder(article.language).find(text):
            key = name_key(suggestion.name)
            entity_id, status = self.known.get(key, (None, None))
            if entity_id is None:
                entity = Entity.objects.create(
                    name=suggestion.name,
                    kind=Entity.Kind.PERSON,
                    status=Entity.Status.SUGGESTED,
                    found_in=article,
                    found_sentence=suggestion.sentence,
                )
                self.known[key] = (entity.pk, entity.status)
                created.append(entity)
            elif status == Entity.Status.SUGGESTED:
                EntityName.objects.get_or_create(entity_id=entity_id, name=suggestion.name)
        return created
