"""Our own export: every published story as one line of the import format (plus `updated`), so
`import-articles` on an empty site gives the same stories back.

Other apps add what they own to each line through a part registered for the EXPORT_PART hook
(broadsheet.core.hooks; the media library adds `lead_picture` and `pictures`, with their files
in a media folder), so the newsroom imports none of them. A part is an object with:

    export(articles, records, *, state)   add fields to each record (same order as articles);
                                          state.media: a folder to copy files into, or None
    take(record, values, article, *, media) -> [problems]
                                          on import, before the story is saved: set what the
                                          record's fields say (values["body"] may be rewritten)
"""

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from broadsheet.core import hooks

from .models import Article, Author, Tag

EXPORT_PART = hooks.define(
    "export_part",
    "An object with export(articles, records, *, state) and take(record, values, article, *, media) "
    "that carries an app's fields in our own export and takes them back on import.",
)


def parts() -> list:
    return hooks.get_hooks(EXPORT_PART)


@dataclass
class ExportState:
    """Where an export writes its files, and what it did (for the command's last line)."""

    media: object = None  # a pathlib.Path, or None: files are not written
    notes: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


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


def exported():
    """The stories an export carries, in its order (oldest first)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__isnull=False).order_by(
        "publish_at", "id"
    )


def after(queryset, cursor):
    """The stories after a (publish_at, id) cursor in export order."""
    when, pk = cursor
    return queryset.filter(Q(publish_at__gt=when) | Q(publish_at=when, id__gt=pk))


def cursor_of(article: Article) -> tuple[datetime.datetime, int]:
    return article.publish_at, article.pk


def export_lines(*, batch: int = 500, state: ExportState | None = None, queryset=None) -> Iterator[str]:
    """JSON Lines of every published or scheduled story (or of `queryset`), oldest first, read
    and completed by the registered parts a batch at a time."""
    state = state or ExportState()
    queryset = (queryset if queryset is not None else exported()).select_related("section", "source").prefetch_related(
        Prefetch("authors", queryset=Author.objects.order_by("name")), Prefetch("tags", queryset=Tag.objects.all())
    )
    chunk: list[Article] = []
    for article in queryset.iterator(chunk_size=batch):
        chunk.append(article)
        if len(chunk) >= batch:
            yield from _lines(chunk, state)
            chunk = []
    if chunk:
        yield from _lines(chunk, state)


def _lines(articles, state):
    records = [export_record(a) for a in articles]
    for part in parts():
        part.export(articles, records, state=state)
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def unexported_count() -> int:
    """Stories the import format cannot carry: drafts and stories in review."""
    return Article.objects.exclude(status=Article.Status.PUBLISHED, publish_at__isnull=False).count()
