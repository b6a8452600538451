"""PostgreSQL backend: a stored, weighted tsvector per article with a GIN index.

Accents are folded by the `unaccent` dictionary inside our text search configuration when the
extension could be installed; otherwise the text and the query are folded in Python first.
"""

import logging
import re

from django.db import DatabaseError, connection, transaction

from . import conf
from .base import Filters, Hit, SearchBackend
from .text import MARK_END, MARK_START, fold

log = logging.getLogger(__name__)

TABLE = "search_document"
CONFIG = "broadsheet_search"
# ts_rank_cd weights for {D, C, B, A}: body is C, summary B, headline A.
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
CHUNK = 1000
_WORD = re.compile(r"[^\W_]+")

VECTOR_SQL = (
    f"setweight(to_tsvector('{CONFIG}', %s), 'A')"
    f" || setweight(to_tsvector('{CONFIG}', %s), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', %s), 'C')"
)
HEADLINE_OPTIONS = f'HighlightAll=true, StartSel="{MARK_START}", StopSel="{MARK_END}"'
SNIPPET_OPTIONS = (
    f'MaxWords=32, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ",'
    f' StartSel="{MARK_START}", StopSel="{MARK_END}"'
)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def __init__(self):
        self._folds_in_database = None

    # --- accent folding ---

    def folds_in_database(self):
        """True when our configuration runs unaccent (checked once per process)."""
        if self._folds_in_database is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_ts_config c"
                    " JOIN pg_ts_config_map m ON m.mapcfg = c.oid"
                    " JOIN pg_ts_dict d ON d.oid = m.mapdict"
                    " WHERE c.cfgname = %s AND d.dictname = 'unaccent')",
                    [CONFIG],
                )
                self._folds_in_database = bool(cursor.fetchone()[0])
        return self._folds_in_database

    def _fold(self, text):
        return text if self.folds_in_database() else fold(text)

    def _query_word(self, word):
        """A word for a tsquery: folded if need be, and letters and digits only."""
        return "".join(_WORD.findall(self._fold(word)))

    # --- writing ---

    def index(self, entries):
        if not entries:
            return
        rows = [
            (
                e.article_id,
                e.section_id,
                e.source_id,
                e.publish_at,
                e.headline,
                e.summary,
                e.body,
                self._fold(e.headline),
                self._fold(e.summary),
                self._fold(e.body),
            )
            for e in entries
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, section_id, source_id, publish_at,"
                f" headline, summary, body, vector) VALUES (%s, %s, %s, %s, %s, %s, %s, {VECTOR_SQL})"
                " ON CONFLICT (article_id) DO UPDATE SET section_id = EXCLUDED.section_id,"
                " source_id = EXCLUDED.source_id, publish_at = EXCLUDED.publish_at,"
                " headline = EXCLUDED.headline, summary = EXCLUDED.summary,"
                " body = EXCLUDED.body, vector = EXCLUDED.vector",
                rows,
            )

    def remove(self, article_ids):
        ids = list(article_ids)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), CHUNK):
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [ids[start : start + CHUNK]]
                )

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def optimize(self):
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {TABLE}")

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return cursor.fetchone()[0]

    # --- reading ---

    def tsquery(self, query, match="all"):
        """SQL for the tsquery and its parameters: websearch_to_tsquery for words and phrases,
        to_tsquery(':*') for prefixes. Every word is quoted, so no reader syntax gets through."""
        phrases, stems = [], []
        for term in query.terms:
            words = [w for w in (self._query_word(word) for word in term.words) if w]
            if words and term.prefix:
                stems.append(words[0])
            elif words:
                phrases.append(" ".join(words))
        parts, params = [], []
        if phrases:
            parts.append(f"websearch_to_tsquery('{CONFIG}', %s)")
            glue = " or " if match == "any" else " "
            params.append(glue.join(f'"{phrase}"' for phrase in phrases))
        if stems:
            parts.append(f"to_tsquery('{CONFIG}', %s)")
            glue = " | " if match == "any" else " & "
            params.append(glue.join(f"{stem}:*" for stem in stems))
        if not parts:
            return "''::tsquery", []
        return "(" + (" || " if match == "any" else " && ").join(parts) + ")", params

    def _where(self, filters: Filters, now):
        clauses, params = ["d.vector @@ q.q", "d.publish_at <= %s"], [now]
        for column, value in (
            ("section_id", filters.section_id),
            ("source_id", filters.source_id),
            ("article_id", filters.article_id),
        ):
            if value is not None:
                clauses.append(f"d.{column} = %s")
                params.append(value)
        if filters.date_from is not None:
            clauses.append("d.publish_at >= %s")
            params.append(filters.date_from)
        if filters.date_to is not None:
            clauses.append("d.publish_at < %s")
            params.append(filters.date_to)
        more_clauses, more_params = filters.membership_clauses("d.article_id")
        clauses += more_clauses
        params += more_params
        return " AND ".join(clauses), params

    def search(self, query, filters, *, now, offset=0, limit=20, match="all"):
        if not query:
            return []
        tsquery, query_params = self.tsquery(query, match)
        where, params = self._where(filters, now)
        # The inner query keeps the newest max_candidates matches (ids and dates only, so the
        # sort stays small); the outer one reads their vectors by primary key and ranks them.
        sql = (
            f"SELECT doc.article_id, ts_rank_cd('{WEIGHTS}', doc.vector, c.q, 1)"
            " * (1.0 + %s / (1.0 + EXTRACT(EPOCH FROM (%s - c.publish_at)) / %s)) AS score FROM ("
            f" SELECT d.article_id, d.publish_at, q.q FROM {TABLE} d, (SELECT {tsquery} AS q) q"
            f" WHERE {where} ORDER BY d.publish_at DESC LIMIT %s"
            f") c JOIN {TABLE} doc ON doc.article_id = c.article_id"
            " ORDER BY score DESC, c.publish_at DESC, c.article_id DESC LIMIT %s OFFSET %s"
        )
        half_life = conf.recency_half_life_days() * 86400.0
        all_params = [conf.recency_boost(), now, half_life, *query_params, *params]
        all_params += [conf.max_candidates(), limit, offset]
        return [Hit(article_id=row[0], score=row[1]) for row in self._run(sql, all_params)]

    def highlight(self, query, hits, *, match="all"):
        if not hits or not query:
            return
        tsquery, query_params = self.tsquery(query, match)
        sql = (
            f"SELECT d.article_id, ts_headline('{CONFIG}', d.headline, q.q, %s),"
            f" ts_headline('{CONFIG}', d.summary, q.q, %s), ts_headline('{CONFIG}', d.body, q.q, %s)"
            f" FROM {TABLE} d, (SELECT {tsquery} AS q) q WHERE d.article_id = ANY(%s)"
        )
        params = [HEADLINE_OPTIONS, HEADLINE_OPTIONS, SNIPPET_OPTIONS, *query_params]
        params.append([h.article_id for h in hits])
        by_id = {hit.article_id: hit for hit in hits}
        for article_id, headline, summary, body in self._run(sql, params):
            hit = by_id[article_id]
            hit.headline, hit.summary, hit.body = headline or "", summary or "", body or ""

    def _run(self, sql, params):
        try:
            if not connection.in_atomic_block:
                return self._fetch(sql, params)
            with transaction.atomic():  # a savepoint, so a failure leaves the transaction usable
                return self._fetch(sql, params)
        except DatabaseError as error:
            # Queries are built from quoted words only, so this is not expected; a reader
            # still gets "nothing found" rather than an error page.
            log.warning("search query failed: %s", error)
            return []

    @staticmethod
    def _fetch(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
