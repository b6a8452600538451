"""Related stories: what other apps call. Lists are computed ahead (see base.py); reading is one query."""

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from broadsheet.core.prepared import PreparedQuery
from broadsheet.newsroom.models import Article

from . import conf
from .base import get_backend
from .models import RelatedExclusion

# When a list is short, the newest stories of the section looked at to fill it.
FILL_WINDOW = 40


def related_for(article: Article | None, limit: int | None = None) -> list[Article]:
    """The published articles related to `article`, pins first then best first, in one query."""
    limit = conf.shown() if limit is None else limit
    if not article or not article.pk or limit <= 0:
        return []
    return RELATED.all(article_id=article.pk, now=timezone.now(), limit=limit)


# Read under every story: its SQL is built once per limit (core.prepared).
RELATED = PreparedQuery(
    lambda article_id, now, limit: (
        Article.objects.published(now=now)
        .filter(related_entries__article_id=article_id)
        .select_related("section", "source")
        .defer("body", "body_html")
        .order_by("related_entries__rank")[:limit]
    ),
    fixed=["limit"],
)


def more_from(article: Article, *, exclude: Iterable[int] = (), limit: int | None = None) -> list[Article]:
    """Stories to read next that are not related by their words: the newest of the article's
    section, those sharing its tags first, then those from its source. Never the article, one in
    `exclude` or one an editor excluded from its list. Three queries."""
    limit = conf.shown() if limit is None else limit
    if not article or not article.pk or limit <= 0:
        return []
    skip = {article.pk, *exclude}
    skip.update(RelatedExclusion.objects.filter(article_id=article.pk).values_list("excluded_id", flat=True))
    window = list(
        Article.objects.published()
        .filter(section_id=article.section_id)
        .exclude(pk__in=skip)
        .select_related("section", "source")
        .defer("body", "body_html")
        .order_by("-publish_at", "-id")[:FILL_WINDOW]
    )
    tagging = Article.tags.through.objects.filter(article_id__in=[article.pk, *(a.pk for a in window)])
    tags_of: dict[int, set[int]] = {}
    for article_id, tag_id in tagging.values_list("article_id", "tag_id"):
        tags_of.setdefault(article_id, set()).add(tag_id)
    own_tags = tags_of.get(article.pk, set())
    shared = Counter({a.pk: len(tags_of.get(a.pk, set()) & own_tags) for a in window})
    same_source = {a.pk for a in window if article.source_id and a.source_id == article.source_id}
    # A stable sort: newest first within each rank.
    window.sort(key=lambda a: (-shared[a.pk], a.pk not in same_source))
    return window[:limit]


def related_block(request: HttpRequest, article: Article) -> tuple[str, dict[str, Any]] | None:
    """The "Related posts" block under an article (newsroom.slots provider): the related list,
    topped up from the same section, labelled as such, when fewer than SHOWN are related."""
    articles = related_for(article)
    more = more_from(article, exclude={a.pk for a in articles}, limit=conf.shown() - len(articles))
    if not articles and not more:
        return None
    return "related/_related.html", {
        "articles": articles,
        "more": more,
        "more_heading": f"More from {article.section.name}",
    }


def rebuild_related(*, progress: Callable[[int], Any] | None = None) -> int:
    """Recompute every list. Returns how many articles were indexed."""
    return get_backend().rebuild(progress=progress)


def update_related(article_ids: Iterable[int]) -> None:
    """After articles changed: index and list the published ones, remove the others."""
    get_backend().update(article_ids)


def remove_related(article_ids: Iterable[int]) -> None:
    get_backend().remove(article_ids)


def recompute_related(article_ids: Iterable[int]) -> None:
    """Recompute these articles' own lists (after pins or exclusions changed)."""
    get_backend().recompute(article_ids)


def text_similarity(first: Any, second: Any) -> float:
    """How alike two stories are in the engine's own terms, from 0 to 1 (other apps use it to
    group reports of one event, e.g. wire items): the cosine of their TF-IDF vectors, words
    folded across spellings (Erdoğan/Erdogan, al-/el-), each term as rare as it is in the indexed
    archive (a term the archive lacks counts as rarest). No recency, section or source. Each
    argument is a text (headline first, then the body) or an analysis.Document."""
    from .similarity import similarity

    return similarity(first, second)
