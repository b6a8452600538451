"""SQLite FTS5 backend: one virtual table keyed by article id, ranked by weighted bm25."""

import logging
import sqlite3

from django.db import DatabaseError, connection

from broadsheet.newsroom.models import Article

from . import conf
from .base import Filters, Hit, SearchBackend
from .text import MARK_END, MARK_START

log = logging.getLogger(__name__)

TABLE = "search_fts"
# bm25 column weights: headline, summary, body.
WEIGHTS = (10.0, 4.0, 1.0)
CHUNK = 500
# The same table the migration creates; rebuild drops and creates it, much faster than DELETE.
CREATE_SQL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
    headline, summary, body,
    section_id UNINDEXED, source_id UNINDEXED, publish_ts UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3'
)
"""


def _quote(words):
    return '"' + " ".join(words).replace('"', '""') + '"'


def fts_query(query, match="all"):
    """An FTS5 MATCH expression built only from quoted words; the reader's syntax never gets in."""
    parts = [_quote(term.words) + ("*" if term.prefix else "") for term in query.terms]
    return (" OR " if match == "any" else " ").join(parts)


def _ts(value):
    return int(value.timestamp())


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def index(self, entries):
        if not entries:
            return
        with connection.cursor() as cursor:
            self._delete(cursor, [e.article_id for e in entries])
            cursor.executemany(
                f"INSERT INTO {TABLE}(rowid, headline, summary, body, section_id, source_id, publish_ts)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        e.article_id,
                        e.headline,
                        e.summary,
                        e.body,
                        e.section_id,
                        e.source_id,
                        _ts(e.publish_at),
                    )
                    for e in entries
                ],
            )

    def _delete(self, cursor, ids):
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)

    def remove(self, article_ids):
        with connection.cursor() as cursor:
            self._delete(cursor, article_ids)

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(CREATE_SQL)

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return cursor.fetchone()[0]

    def _where(self, filters: Filters, now):
        clauses, params = [f"{TABLE} MATCH %s", "publish_ts <= %s"], [_ts(now)]
        if filters.section_id is not None:
            clauses.append("section_id = %s")
            params.append(filters.section_id)
        if filters.source_id is not None:
            clauses.append("source_id = %s")
            params.append(filters.source_id)
        if filters.article_id is not None:
            clauses.append("rowid = %s")
            params.append(filters.article_id)
        if filters.date_from is not None:
            clauses.append("publish_ts >= %s")
            params.append(_ts(filters.date_from))
        if filters.date_to is not None:
            clauses.append("publish_ts < %s")
            params.append(_ts(filters.date_to))
        if filters.tag_id is not None:
            through = Article.tags.through._meta.db_table
            clauses.append(f"rowid IN (SELECT article_id FROM {through} WHERE tag_id = %s)")
            params.append(filters.tag_id)
        if filters.author_id is not None:
            through = Article.authors.through._meta.db_table
            clauses.append(f"rowid IN (SELECT article_id FROM {through} WHERE author_id = %s)")
            params.append(filters.author_id)
        return " AND ".join(clauses), params

    def search(self, query, filters, *, now, offset=0, limit=20, match="all"):
        if not query:
            return []
        where, params = self._where(filters, now)
        weights = ", ".join(str(w) for w in WEIGHTS)
        # bm25 is negative (lower is better); the recency factor (1 .. 1+boost) scales it.
        sql = (
            f"SELECT rowid, bm25({TABLE}, {weights})"
            " * (1.0 + %s / (1.0 + (%s - publish_ts) / %s)) AS score"
            f" FROM {TABLE} WHERE {where} ORDER BY score, rowid DESC LIMIT %s OFFSET %s"
        )
        half_life = conf.recency_half_life_days() * 86400.0
        all_params = [conf.recency_boost(), _ts(now), half_life, fts_query(query, match), *params]
        all_params += [limit, offset]
        rows = self._run(sql, all_params)
        return [Hit(article_id=row[0], score=-row[1]) for row in rows]

    def highlight(self, query, hits, *, match="all"):
        if not hits or not query:
            return
        marks = ", ".join(["%s"] * len(hits))
        sql = (
            f"SELECT rowid, highlight({TABLE}, 0, %s, %s), highlight({TABLE}, 1, %s, %s),"
            f" snippet({TABLE}, 2, %s, %s, '…', 32)"
            f" FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({marks})"
        )
        params = [MARK_START, MARK_END] * 3 + [fts_query(query, match)] + [h.article_id for h in hits]
        by_id = {hit.article_id: hit for hit in hits}
        for article_id, headline, summary, body in self._run(sql, params):
            hit = by_id[article_id]
            hit.headline, hit.summary, hit.body = headline or "", summary or "", body or ""

    def _run(self, sql, params):
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        except (sqlite3.OperationalError, DatabaseError) as error:
            # The query is built from quoted words only, so this is not expected; a reader
            # still gets "nothing found" rather than an error page.
            log.warning("search query failed: %s", error)
            return []
