"""The search interface every backend implements, and the plain values it passes around."""

import datetime
from dataclasses import dataclass, field

from .query import ParsedQuery


class SearchUnavailable(Exception):
    """The backend could not answer (a timeout, an outage): not the same as "nothing found"."""


@dataclass(frozen=True)
class IndexEntry:
    """What the index keeps of one article."""

    article_id: int
    headline: str
    summary: str
    body: str
    section_id: int
    source_id: int | None
    publish_at: datetime.datetime
    language: str = ""  # the story's language ("tr", "pt-BR"); a backend may stem by it


@dataclass(frozen=True)
class Filters:
    """Limits on which indexed articles a search may return (all ids, already resolved)."""

    section_id: int | None = None
    source_id: int | None = None
    tag_id: int | None = None
    author_id: int | None = None
    article_id: int | None = None
    date_from: datetime.datetime | None = None  # inclusive
    date_to: datetime.datetime | None = None  # exclusive

    def membership_clauses(self, column):
        """SQL conditions (and their parameters) for the tag and author filters on `column`."""
        from broadsheet.newsroom.models import Article

        clauses, params = [], []
        for value, relation, column_name in (
            (self.tag_id, Article.tags, "tag_id"),
            (self.author_id, Article.authors, "author_id"),
        ):
            if value is not None:
                through = relation.through._meta.db_table
                clauses.append(f"{column} IN (SELECT article_id FROM {through} WHERE {column_name} = %s)")
                params.append(value)
        return clauses, params


@dataclass
class Hit:
    article_id: int
    score: float
    headline: str = ""  # with the backend's markers around matched words (see text.py)
    summary: str = ""
    body: str = ""
    extra: dict = field(default_factory=dict)


class SearchBackend:
    """One full-text index of published (and scheduled) articles.

    `search` returns at most `limit` hits, best first, for stories whose publish_at <= now;
    match="all" wants every term, match="any" at least one.
    """

    vendor = ""

    def index(self, entries: list[IndexEntry]) -> None:
        raise NotImplementedError

    def remove(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def index_in_bulk(self, article_ids: list[int], rows) -> list[int]:
        """Index many articles set-based where the database can (a seed, an import); return the
        ids done. `rows` is the queryset of indexable rows. The default does none in bulk."""
        return []

    def clear(self) -> None:
        raise NotImplementedError

    def optimize(self) -> None:
        """Tidy the index after a rebuild; optional."""

    def count(self) -> int:
        raise NotImplementedError

    def search(
        self,
        query: ParsedQuery,
        filters: Filters,
        *,
        now: datetime.datetime,
        offset: int = 0,
        limit: int = 20,
        match: str = "all",
    ) -> list[Hit]:
        raise NotImplementedError

    def highlight(self, query: ParsedQuery, hits: list[Hit], *, match: str = "all") -> None:
        """Fill hit.headline/summary/body with marked text for the given hits (one query)."""
        raise NotImplementedError
