"""Related stories: what other apps call. Lists are computed ahead (see base.py); reading is one query."""

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest

from broadsheet.newsroom.models import Article

from . import conf
from .base import get_backend


def related_for(article: Article | None, limit: int | None = None) -> list[Article]:
    """The published articles related to `article`, pins first then best first, in one query."""
    limit = conf.SHOWN if limit is None else limit
    if not article or not article.pk or limit <= 0:
        return []
    return list(
        Article.objects.published()
        .filter(related_entries__article_id=article.pk)
        .select_related("section", "source")
        .defer("body", "body_html")
        .order_by("related_entries__rank")[:limit]
    )


def related_block(request: HttpRequest, article: Article) -> tuple[str, dict[str, Any]] | None:
    """The "Related posts" block under an article (newsroom.slots provider)."""
    articles = related_for(article)
    if not articles:
        return None
    return "related/_related.html", {"articles": articles}


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
