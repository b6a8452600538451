"""Our own export: every published story as one line of the import format (plus `updated`), so
`import-articles` on an empty site gives the same stories back."""

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from .models import Article, Author, Tag


def export_record(article: Article) -> dict:
    authors = list(article.authors.all())
    return {
        "external_id": article.external_id or f"broadsheet:{article.pk}",
        "title": article.headline,
        "body": article.body,
        "section": article.section.name,
        "published": article.publish_at.isoformat(),
        "updated": article.updated_at.isoformat(),
        "source": article.source.name if article.source else "",
        "source_url": article.source_url,
        "author": authors[0].name if authors else "",
        "tags": sorted(t.name for t in article.tags.all()),
        "summary": article.summary,
        "language": article.language,
    }


def export_lines(*, batch: int = 500) -> Iterator[str]:
    """JSON Lines of every published or scheduled story, oldest first, read in batches."""
    queryset = (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__isnull=False)
        .select_related("section", "source")
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("name")), Prefetch("tags", queryset=Tag.objects.all())
        )
        .order_by("publish_at", "id")
    )
    for article in queryset.iterator(chunk_size=batch):
        yield json.dumps(export_record(article), ensure_ascii=False) + "\n"


def unexported_count() -> int:
    """Stories the import format cannot carry: drafts and stories in review."""
    return Article.objects.exclude(status=Article.Status.PUBLISHED, publish_at__isnull=False).count()
