"""SQLite FTS5 backend: an FTS5 table for the words, a small table beside it for the filters.

The FTS5 rowid is a "recency key" (publish time, then article id), so FTS5 can walk the matches
of a query newest first and stop. Ranking is weighted bm25 (headline > summary > body) with a
mild recency factor, over the newest `max_candidates` matches: every match for an ordinary
query, the most recent few hundred for one that matches a large part of the archive.
"""

import logging
import sqlite3

from django.db import DatabaseError, connection

from . import conf
from .base import Filters, Hit, SearchBackend, SearchUnavailable
from .text import MARK_END, MARK_START

log = logging.getLogger(__name__)

TABLE = "search_fts"
META = "search_meta"
# bm25 column weights: headline, summary, body.
WEIGHTS = (10.0, 4.0, 1.0)
CHUNK = 500
KEY_SHIFT = 2**21  # room for the article id's low bits under one publish second

# The same objects migration 0002 creates; clear() drops and creates them, much faster than DELETE.
CREATE_SQL = (
    f"""CREATE TABLE IF NOT EXISTS {META} (
        doc_key INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL UNIQUE,
        publish_ts INTEGER NOT NULL,
        section_id INTEGER NOT NULL,
        source_id INTEGER NULL
    )""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        headline, summary, body,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '3'
    )""",
)
DROP_SQL = (f"DROP TABLE IF EXISTS {TABLE}", f"DROP TABLE IF EXISTS {META}")


def _quote(words):
    return '"' + " ".join(words).replace('"', '""') + '"'


def fts_query(query, match="all"):
    """An FTS5 MATCH expression built only from quoted words; the reader's syntax never gets in."""
    parts = [_quote(term.words) + ("*" if term.prefix else "") for term in query.terms]
    return (" OR " if match == "any" else " ").join(parts)


def _ts(value):
    return int(value.timestamp())


def recency_key(publish_ts, article_id):
    return publish_ts * KEY_SHIFT + article_id % KEY_SHIFT


def _marks(values):
    return ", ".join(["%s"] * len(values))


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def index(self, entries):
        if not entries:
            return
        with connection.cursor() as cursor:
            self._delete(cursor, [e.article_id for e in entries])
            keys = self._free_keys(cursor, entries)
            cursor.executemany(
                f"INSERT INTO {META} (doc_key, article_id, publish_ts, section_id, source_id)"
                " VALUES (%s, %s, %s, %s, %s)",
                [
                    (key, e.article_id, _ts(e.publish_at), e.section_id, e.source_id)
                    for key, e in zip(keys, entries, strict=True)
                ],
            )
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, headline, summary, body) VALUES (%s, %s, %s, %s)",
                [(key, e.headline, e.summary, e.body) for key, e in zip(keys, entries, strict=True)],
            )

    def _free_keys(self, cursor, entries):
        """A recency key per entry; in the rare clash (same second, same low id bits) the next free one."""
        wanted = [recency_key(_ts(e.publish_at), e.article_id) for e in entries]
        taken = set()
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            cursor.execute(f"SELECT doc_key FROM {META} WHERE doc_key IN ({_marks(chunk)})", chunk)
            taken.update(row[0] for row in cursor.fetchall())
        keys = []
        for key in wanted:
            while key in taken:
                key += 1
                cursor.execute(f"SELECT 1 FROM {META} WHERE doc_key = %s", [key])
                if cursor.fetchone():
                    taken.add(key)
            taken.add(key)
            keys.append(key)
        return keys

    def _delete(self, cursor, article_ids):
        ids = list(article_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            cursor.execute(f"SELECT doc_key FROM {META} WHERE article_id IN ({_marks(chunk)})", chunk)
            keys = [row[0] for row in cursor.fetchall()]
            if keys:
                cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({_marks(keys)})", keys)
                cursor.execute(f"DELETE FROM {META} WHERE doc_key IN ({_marks(keys)})", keys)

    def remove(self, article_ids):
        with connection.cursor() as cursor:
            self._delete(cursor, article_ids)

    def clear(self):
        with connection.cursor() as cursor:
            for sql in DROP_SQL + CREATE_SQL:
                cursor.execute(sql)

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
            cursor.execute(f"ANALYZE {META}")

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {META}")
            return cursor.fetchone()[0]

    def _where(self, filters: Filters, now):
        clauses, params = [f"{TABLE} MATCH %s", "m.publish_ts <= %s"], [_ts(now)]
        for column, value in (
            ("section_id", filters.section_id),
            ("source_id", filters.source_id),
            ("article_id", filters.article_id),
        ):
            if value is not None:
                clauses.append(f"m.{column} = %s")
                params.append(value)
        if filters.date_from is not None:
            clauses.append("m.publish_ts >= %s")
            params.append(_ts(filters.date_from))
        if filters.date_to is not None:
            clauses.append("m.publish_ts < %s")
            params.append(_ts(filters.date_to))
        more_clauses, more_params = filters.membership_clauses("m.article_id")
        clauses += more_clauses
        params += more_params
        return " AND ".join(clauses), params

    def search(self, query, filters, *, now, offset=0, limit=20, match="all"):
        if not query:
            return []
        where, params = self._where(filters, now)
        weights = ", ".join(str(w) for w in WEIGHTS)
        # The inner query walks matches newest first (FTS5 follows the rowid order) and stops
        # after max_candidates; the outer one ranks them. bm25 is negative (lower is better);
        # the recency factor (1 .. 1+boost) scales it.
        sql = (
            "SELECT article_id, relevance * (1.0 + %s / (1.0 + (%s - publish_ts) / %s)) AS score FROM ("
            f" SELECT m.article_id AS article_id, m.publish_ts AS publish_ts, bm25({TABLE}, {weights}) AS relevance"
            f" FROM {TABLE} JOIN {META} m ON m.doc_key = {TABLE}.rowid WHERE {where}"
            f" ORDER BY {TABLE}.rowid DESC LIMIT %s"
            ") ORDER BY score, publish_ts DESC, article_id DESC LIMIT %s OFFSET %s"
        )
        half_life = conf.recency_half_life_days() * 86400.0
        all_params = [conf.recency_boost(), _ts(now), half_life, fts_query(query, match), *params]
        all_params += [conf.max_candidates(), limit, offset]
        return [Hit(article_id=row[0], score=-row[1]) for row in self._run(sql, all_params)]

    def highlight(self, query, hits, *, match="all"):
        if not hits or not query:
            return
        ids = [h.article_id for h in hits]
        sql = (
            f"SELECT m.article_id, highlight({TABLE}, 0, %s, %s), highlight({TABLE}, 1, %s, %s),"
            f" snippet({TABLE}, 2, %s, %s, '…', 32)"
            f" FROM {TABLE} JOIN {META} m ON m.doc_key = {TABLE}.rowid"
            f" WHERE {TABLE} MATCH %s AND {TABLE}.rowid IN (SELECT doc_key FROM {META} WHERE article_id IN ({_marks(ids)}))"
        )
        params = [MARK_START, MARK_END] * 3 + [fts_query(query, match), *ids]
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
            # A locked or broken index: the reader is told search is unavailable (not "nothing
            # found"), the operator reads why here.
            log.error("search query failed: %s", error)
            raise SearchUnavailable(str(error)) from error
