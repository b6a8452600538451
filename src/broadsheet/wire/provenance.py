"""Where a story comes from: the Source we republish from and the outlets its text cites.

Machine-found citations are refreshed whenever the story changes; an editor's decisions
(confirmed, added, removed) are kept across refreshes.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from broadsheet.core import surrogates
from broadsheet.core.prepared import PreparedQuery
from broadsheet.newsroom.models import Article, Source

from .citations import find_citations
from .models import Citation


def story_text(article):
    return "\n".join([article.headline, article.summary, strip_tags(article.body_html or article.body)])


@transaction.atomic
def refresh_citations(article):
    """Find the outlets `article` cites; keep editors' decisions. Returns the shown citations.
    When they changed, the story's page is purged (after commit) from every cache."""
    found = {
        f.source_id: f
        for f in find_citations(story_text(article), article.language)
        if f.source_id != article.source_id
    }
    existing = {c.source_id: c for c in Citation.objects.filter(article=article)}
    changed = False
    for source_id, citation in existing.items():
        if citation.status == Citation.Status.FOUND and source_id not in found:
            citation.delete()
            changed = True
        elif source_id in found and citation.sentence != found[source_id].sentence:
            citation.sentence = found[source_id].sentence
            citation.save(update_fields=["sentence"])
            changed = True
    for source_id, finding in found.items():
        if source_id not in existing:
            Citation.objects.get_or_create(
                article=article, source_id=source_id, defaults={"sentence": finding.sentence}
            )
            changed = True
    if changed:
        surrogates.request_purge(surrogates.story(article.pk), surrogates.PROVENANCE)
    article.__dict__.pop(_MEMO, None)
    return cited_sources(article)


_MEMO = "_wire_cited_sources"
# Read under every story: its SQL is built once (core.prepared).
CITED = PreparedQuery(
    lambda article_id, own_source_id: (
        Source.objects.filter(citations__article=article_id, citations__status__in=Citation.SHOWN)
        .exclude(pk=own_source_id)
        .distinct()
        .order_by("name")
    )
)


def may_have_provenance(request, article):
    """False when `article` is known to cite no outlet and name no entity, so its page skips
    both queries: a site-wide set of the stories with any citation or mention (whatever its
    status), kept while site values are. Purged (PROVENANCE) whenever a story changes and when
    the machine finds new citations or mentions; a row removed leaves the set a harmless
    superset. Without a request (or site values) every story may have some."""
    from broadsheet.newsroom import slots

    if request is None or not slots.site_values_kept():
        return True
    known = slots.cached_value(
        request,
        "provenance-stories",
        "",
        _stories_with_provenance,
        keys=[surrogates.PROVENANCE],
        site=True,
        size=20_000,
    )
    return article.pk in known


def _stories_with_provenance():
    from .models import Mention

    cited = Citation.objects.order_by().values_list("article_id", flat=True)
    named = Mention.objects.order_by().values_list("article_id", flat=True)
    return frozenset(cited.union(named))


def cited_sources(article, request=None):
    """The outlets shown as "Reporting cited" under `article`, by name. Read once per article
    object: the story block and its JSON-LD ask for the same list. With the request, a story
    known to have no provenance skips the query (may_have_provenance)."""
    if _MEMO not in article.__dict__:
        if not may_have_provenance(request, article):
            article.__dict__[_MEMO] = []
            return []
        article.__dict__[_MEMO] = CITED.all(article_id=article.pk, own_source_id=article.source_id or 0)
    return article.__dict__[_MEMO]


@transaction.atomic
def decide(citation, *, status, by=None):
    """An editor confirms or removes a citation."""
    citation.status = status
    citation.decided_by = by
    citation.save(update_fields=["status", "decided_by"])
    _announce(citation.article)
    return citation


@transaction.atomic
def add_citation(article, source, *, by=None, sentence=""):
    citation, _ = Citation.objects.update_or_create(
        article=article,
        source=source,
        defaults={"status": Citation.Status.ADDED, "decided_by": by, "sentence": sentence},
    )
    _announce(article)
    return citation


def _announce(article):
    # The page, its fragments and the API (Last-Modified) show citations: the story changed. The
    # newsroom's announce() also brings us back here, where editors' decisions are kept.
    from broadsheet.newsroom.services import announce

    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    announce(Article.objects.get(pk=article.pk))


def provenance(article, *, absolute):
    """{"source": {"name", "url"} or None, "cited": [{"name", "url"}]} with absolute URLs."""
    source = None
    if article.source_id:
        source = {"name": article.source.name, "url": absolute(article.source.get_absolute_url())}
    cited = [{"name": s.name, "url": absolute(s.get_absolute_url())} for s in cited_sources(article)]
    return {"source": source, "cited": cited}


def article_facts(article, *, absolute):
    """What the API adds to a story: {"provenance": ..., "entities": [{"name", "kind", "url"}]}."""
    from .entities import entities_of

    return {
        "provenance": provenance(article, absolute=absolute),
        "entities": [
            {"name": e.name, "kind": e.kind, "url": absolute(e.get_absolute_url())}
            for e in entities_of(article)
        ],
    }
