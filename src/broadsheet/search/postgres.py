"""PostgreSQL backend: a stored, weighted tsvector per article with a GIN index.

The GIN index also holds each document's publishing day (its `recency` lexemes, migration
0003), so a search asks it for the matches of the last days first and reads about as many rows
as it ranks, however many stories match (see PostgresBackend.search).

Accents are folded by the `unaccent` dictionary inside our text search configuration when the
extension could be installed; otherwise the text and the query are folded in Python first.

Each story is indexed in its own language (migration 0004): English with `broadsheet_search`,
a language PostgreSQL can stem with `broadsheet_search_<language>` plus its words as written
(`broadsheet_search_simple`, accents folded), any other language with those words alone. A
query reads each word both ways, as a word of the language asked for (English by default) and
as written: one tsquery of constants, so the GIN index answers it as before.
"""

import logging
import math
import re

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, router, transaction

from broadsheet.newsroom.models import Article

from . import conf
from .base import Filters, Hit, SearchBackend, SearchUnavailable
from .languages import STEMMED_LANGUAGES
from .query import primary_language
from .text import MARK_END, MARK_START, MAX_INDEXED_CHARS, fold

log = logging.getLogger(__name__)

TABLE = "search_document"
CONFIG = "broadsheet_search"
SIMPLE_CONFIG = "broadsheet_search_simple"
DEFAULT_LANGUAGE = "en"  # the language CONFIG stems
# ts_rank_cd weights for {D, C, B, A}: body is C, summary B, headline A.
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
CHUNK = 1000
_WORD = re.compile(r"[^\W_]+")
DAY = 86400
# A search first asks the index for the matches among the days of the newest NEWEST_FACTOR x
# max_candidates stories; then for enough days to hold WINDOW_MARGIN x the candidates it
# wants at the share that matched, at least WINDOW_GROWTH times as many days.
NEWEST_FACTOR = 2
WINDOW_MARGIN = 2
WINDOW_GROWTH = 4
RECENCY_LEVELS = 3  # `recency` has lexemes for each day and each block of 8, 64, 512 days


def vector_sql(config):
    """SQL for a document's weighted vector in `config` from three parameters (headline,
    summary, body)."""
    return (
        f"setweight(to_tsvector('{config}', %s), 'A')"
        f" || setweight(to_tsvector('{config}', %s), 'B')"
        f" || setweight(to_tsvector('{config}', %s), 'C')"
    )


VECTOR_SQL = vector_sql(CONFIG)
# Bulk indexing (index_in_bulk): article HTML whose words the database can take out exactly as
# text.plain_text does. Blocks <p>...</p> and <h2>...</h2>, each followed by a newline, holding
# words separated by single spaces: no other whitespace (every character Python's str.isspace
# knows), no markup, no entity, no highlight marker. Any other body is indexed through Python.
_PYTHON_SPACES = "\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_BULK_WORD = f"[^ <>&{MARK_START}{MARK_END}{_PYTHON_SPACES}]+"
_PLAIN_BLOCK = f"<(p|h2)>{_BULK_WORD}( {_BULK_WORD})*</(p|h2)>"
# Blocks one a line; stored bodies are stripped, so the last has no newline after it.
PLAIN_BLOCKS = f"^({_PLAIN_BLOCK}\n)*({_PLAIN_BLOCK})?$"
BULK_CHUNK = 100_000  # ids per temporary table
BULK_RUN = 1000  # shorter runs of consecutive ids are left to index()
BULK_TABLE = "search_bulk_documents"
# Into an empty index, at least this many articles go in without the GIN index, which is then
# built once: several times cheaper than growing it row by row.
BULK_REBUILD_MIN = 10_000
VECTOR_INDEX = "search_document_vector_idx"
HEADLINE_OPTIONS = f'HighlightAll=true, StartSel="{MARK_START}", StopSel="{MARK_END}"'
SNIPPET_OPTIONS = (
    f'MaxWords=32, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ",'
    f' StartSel="{MARK_START}", StopSel="{MARK_END}"'
)


def day_number(moment):
    """Days since 1970-01-01 UTC, as broadsheet_search_recency() counts them (migration 0003)."""
    return math.floor(moment.timestamp() / DAY)


def recency_query(first_day, last_day):
    """tsquery text matching the `recency` of every day from first_day to last_day: the fewest
    whole days and blocks of 8, 64 and 512 days that cover them, e.g. '@0:20415' | '@1:2552'."""
    lexemes, day = [], first_day
    while day <= last_day:
        level = 0
        while level < RECENCY_LEVELS:
            size = 8 ** (level + 1)
            if day % size or day + size - 1 > last_day:
                break
            level += 1
        lexemes.append(f"'@{level}:{day // 8**level}'")
        day += 8**level
    return " | ".join(lexemes)


class _Search:
    """One search call's query, filters and ranking, shared by the queries it runs."""

    def __init__(self, backend, query, filters, *, now, count, match):
        self.backend, self.now, self.count = backend, now, count
        self.tsquery, self.query_params = backend.tsquery(query, match)
        self.loose_tsquery, self.loose_params = backend.tsquery(query, match, loose=True)
        self.has_phrase = self.loose_params != self.query_params
        self.where, self.where_params = backend._where(filters, now)
        self.date_from = filters.date_from
        self.wanted = conf.max_candidates()
        # The GIN index answers a prefix by gathering every word with that start, again on each
        # window; the newest stories are cheaper read one by one, when no other filter than
        # dates makes them few (the dates bound the newest() walk by the index on publish_at).
        only_dates = Filters(date_from=filters.date_from, date_to=filters.date_to) == filters
        self.has_prefix = any(term.prefix for term in query.terms)
        self.first_look_by_walking = only_dates and self.has_prefix

    def growth(self, found):
        """How many times more days should hold the candidates wanted, when the days so far
        held `found` matches; few matches among the newest mean few in all: every day then."""
        if not found:
            return math.inf
        return max(self.wanted / found * WINDOW_MARGIN, WINDOW_GROWTH)

    def newest(self, stories):
        """SQL (and parameters) for the matches among the newest `stories`, read one by one."""
        sql = (
            "SELECT n.article_id, n.publish_at, n.vector FROM (SELECT d.article_id, d.publish_at,"
            f" d.vector FROM {TABLE} d WHERE {self.where} ORDER BY d.publish_at DESC LIMIT %s) n"
            f" WHERE n.vector @@ {self.tsquery} ORDER BY n.publish_at DESC LIMIT %s"
        )
        return sql, [*self.where_params, stories, *self.query_params, self.wanted]

    def window(self, first_day, last_day, *, every_day=False, steps=()):
        """SQL (and parameters) for the newest `wanted` matches published from first_day to
        last_day, read from the GIN index; with every_day, on any day the filters let through.

        `steps` (days from last_day back towards first_day, newest first) cut the window into
        parts read one after another, newest first: an older part is read only when the newer
        ones held fewer than `wanted` matches (the parts are disjoint and each is sorted, so
        their matches come newest first; LIMIT stops before the next part is read). A window
        sized for twice the matches wanted then usually reads about as many as it needs."""
        parts = []
        for newest_day, oldest_day in zip(
            [last_day, *(day - 1 for day in steps)], [*steps, first_day], strict=True
        ):
            if every_day and not steps and self.date_from is None:
                parts.append(("", []))
            else:
                parts.append((" AND d.recency @@ %s::tsquery", [recency_query(oldest_day, newest_day)]))
        # MATERIALIZED: the matches come from the GIN index, never from walking the dates.
        ctes, branches, params, branch_params = [], [], [], []
        for number, (recency, recency_params) in enumerate(parts):
            ctes.append(
                f"m{number} AS MATERIALIZED (SELECT d.article_id, d.publish_at, d.vector FROM {TABLE} d"
                f" WHERE d.vector @@ {self.loose_tsquery}{recency} AND {self.where})"
            )
            params += [*self.loose_params, *recency_params, *self.where_params]
            branch = f"(SELECT m.* FROM m{number} m ORDER BY m.publish_at DESC OFFSET 0)"
            if self.has_phrase:  # checked afterwards, newest first, only until enough are found
                branch = f"(SELECT m.* FROM {branch} m WHERE m.vector @@ {self.tsquery})"
                branch_params += self.query_params
            branches.append(branch)
        sql = (
            f"WITH {', '.join(ctes)} SELECT s.article_id, s.publish_at, s.vector"
            f" FROM ({' UNION ALL '.join(branches)}) s LIMIT %s"
        )
        return sql, [*params, *branch_params, self.wanted]

    def ranked(self, candidates, candidate_params, *, final=True):
        """The best `count` of the rows (article_id, publish_at, vector) that the SQL
        `candidates` lists, as hits, and how many rows it listed.
        Unless `final`, fewer rows than wanted are only counted: a wider window follows."""
        sql = (
            "SELECT c.article_id, CASE WHEN c.found >= %s OR %s THEN"
            f" ts_rank_cd('{WEIGHTS}', c.vector, {self.tsquery}, 1)"
            " * (1.0 + %s / (1.0 + EXTRACT(EPOCH FROM (%s - c.publish_at)) / %s)) END AS score,"
            " c.found FROM (SELECT k.*, count(*) OVER () AS found"
            f" FROM ({candidates}) k) c"
            " ORDER BY score DESC, c.publish_at DESC, c.article_id DESC LIMIT %s"
        )
        half_life = conf.recency_half_life_days() * DAY
        params = [self.wanted, final, *self.query_params, conf.recency_boost(), self.now, half_life]
        params += [*candidate_params, self.count]
        rows = self.backend._run(sql, params)
        return [Hit(article_id=row[0], score=row[1]) for row in rows], rows[0][2] if rows else 0


def _either(function, configs, text):
    """SQL (and parameters) for one term read in each of `configs` (function is to_tsquery or
    websearch_to_tsquery), any reading matching; a word the first configuration drops (a stop
    word of that language) is dropped from every reading, so it is never required as written.

    A reading the same as an earlier one (a name, which no stemmer changes) is left out: it
    matches nothing more and ranks the same, while ts_rank_cd would check it again in every
    candidate. All constants, folded before planning, so the GIN index answers as before."""
    readings = [f"{function}('{config}', %s)" for config in configs]
    first = readings[0]
    if len(configs) == 1:
        return first, [text]
    sql, params = f"(CASE WHEN numnode({first}) = 0 THEN {first} ELSE {first}", [text] * 3
    for number, reading in enumerate(readings[1:], start=1):
        earlier = ", ".join(readings[:number])
        sql += f" || (CASE WHEN {reading} IN ({earlier}) THEN ''::tsquery ELSE {reading} END)"
        params += [text] * (number + 2)
    return sql + " END)", params


def _ranges(ids, *, at_least, at_most):
    """(first, last) of the runs of consecutive ids in sorted `ids`, each cut into pieces of at
    most `at_most` ids; only pieces of at least `at_least` ids are kept."""
    pieces, first, last = [], None, None
    for pk in ids:
        if first is not None and pk == last + 1 and pk - first < at_most:
            last = pk
            continue
        if first is not None:
            pieces.append((first, last))
        first = last = pk
    if first is not None:
        pieces.append((first, last))
    return [(first, last) for first, last in pieces if last - first + 1 >= at_least]


def _add_date_range(filters, clauses, params):
    """Append the date-range conditions on `d.publish_at` (from inclusive, to exclusive)."""
    if filters.date_from is not None:
        clauses.append("d.publish_at >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        clauses.append("d.publish_at < %s")
        params.append(filters.date_to)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def __init__(self):
        self._folds_in_database = None
        self._configs = None

    # --- accent folding ---

    def folds_in_database(self):
        """True when our configuration runs unaccent (checked once per process)."""
        if self._folds_in_database is None:
            with connections[self._read_alias()].cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_ts_config c"
                    " JOIN pg_ts_config_map m ON m.mapcfg = c.oid"
                    " JOIN pg_ts_dict d ON d.oid = m.mapdict"
                    " WHERE c.cfgname = %s AND d.dictname = 'unaccent')",
                    [CONFIG],
                )
                self._folds_in_database = bool(cursor.fetchone()[0])
        return self._folds_in_database

    # --- languages ---

    def configs(self):
        """The names of our text search configurations on this server (read once per process)."""
        if self._configs is None:
            with connections[self._read_alias()].cursor() as cursor:
                cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE %s", [f"{CONFIG}%"])
                self._configs = frozenset(name for (name,) in cursor.fetchall())
        return self._configs

    def config_for(self, language):
        """The configuration a text in `language` is read with: its stemmer's when PostgreSQL
        has one, words as written otherwise, CONFIG for English (and before migration 0004)."""
        code = primary_language(language)
        if code in ("", DEFAULT_LANGUAGE):
            return CONFIG
        name = STEMMED_LANGUAGES.get(code)
        for candidate in [f"{CONFIG}_{name}"] if name else []:
            if candidate in self.configs():
                return candidate
        return SIMPLE_CONFIG if SIMPLE_CONFIG in self.configs() else CONFIG

    def _document_configs(self, config):
        """The configurations a document in `config` is indexed with: a stemmed language's
        words go in as written too (a name typed without its accents still finds them)."""
        if config in (CONFIG, SIMPLE_CONFIG):
            return [config]
        return [config, SIMPLE_CONFIG]

    def _query_configs(self, query):
        """The configurations a query's words are read with: the language asked for, English
        (the site's stories' language, so choosing a language never loses them), and as written."""
        chosen = self.config_for(query.language) if query.language else CONFIG
        wanted = [chosen, CONFIG, SIMPLE_CONFIG if SIMPLE_CONFIG in self.configs() else CONFIG]
        return list(dict.fromkeys(wanted))

    def _fold(self, text):
        return text if self.folds_in_database() else fold(text)

    def _query_word(self, word):
        """A word for a tsquery: folded if need be, and letters and digits only."""
        return "".join(_WORD.findall(self._fold(word)))

    # --- writing ---

    def index(self, entries):
        if not entries:
            return
        by_config = {}
        for e in entries:
            by_config.setdefault(self.config_for(e.language), []).append(e)
        with connection.cursor() as cursor:
            for config, group in by_config.items():
                configs = self._document_configs(config)
                vector = " || ".join(vector_sql(c) for c in configs)
                rows = [
                    (
                        e.article_id,
                        e.section_id,
                        e.source_id,
                        e.publish_at,
                        e.headline,
                        e.summary,
                        e.body,
                        config,
                        *(self._fold(e.headline), self._fold(e.summary), self._fold(e.body)) * len(configs),
                    )
                    for e in group
                ]
                cursor.executemany(
                    f"INSERT INTO {TABLE} (article_id, section_id, source_id, publish_at, headline,"
                    f" summary, body, config, vector) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, {vector})"
                    " ON CONFLICT (article_id) DO UPDATE SET section_id = EXCLUDED.section_id,"
                    " source_id = EXCLUDED.source_id, publish_at = EXCLUDED.publish_at,"
                    " headline = EXCLUDED.headline, summary = EXCLUDED.summary,"
                    " body = EXCLUDED.body, config = EXCLUDED.config, vector = EXCLUDED.vector",
                    rows,
                )

    def index_in_bulk(self, article_ids, source):
        """Index many articles with a few set-based statements; return the ids it indexed.

        `source` is a QuerySet of values_list(pk, headline, summary, body_html, section_id,
        source_id, publish_at, language) over the indexable articles. Only English stories
        (the usual bulk) go in here; the others are left to index(), which reads their language. Text and vectors are made in the
        database, the same as index() makes them from an IndexEntry (see PLAIN_BLOCKS), into a
        temporary table first: building it may use parallel workers, an INSERT may not. Only
        runs of at least BULK_RUN consecutive ids are taken (selected by range, which a plan
        can't get wrong); the caller indexes every id not returned the usual way.

        One transaction. Into an empty index the GIN index is dropped and built again after the
        rows are in, so readers wait for the load rather than see an index half there.
        """
        ids = sorted({int(pk) for pk in article_ids})
        ranges = list(_ranges(ids, at_least=BULK_RUN, at_most=BULK_CHUNK))
        if not ranges or not self.folds_in_database():
            return []
        source_sql, source_params = source.order_by().query.sql_with_params()
        indexed = (  # what text.index_text leaves of a headline or summary
            "left(replace(replace(a.{}, %s, ' '), %s, ' '), " + str(MAX_INDEXED_CHARS) + ")"
        )
        body_sql = (  # what text.plain_text leaves of PLAIN_BLOCKS
            "left(btrim(replace(replace(replace(replace(replace(replace(replace(a.body_html,"
            " '<p>', ' '), '</p>' || chr(10), ' '), '<h2>', ' '), '</h2>' || chr(10), ' '),"
            f" '</p>', ' '), '</h2>', ' '), '  ', ' '), ' '), {MAX_INDEXED_CHARS})"
        )
        vector_sql = VECTOR_SQL % ("d.headline", "d.summary", "d.body")
        columns = "article_id, section_id, source_id, publish_at, headline, summary, body, vector"
        build = (
            f"CREATE TEMPORARY TABLE {BULK_TABLE} AS SELECT d.*, {vector_sql} AS vector FROM ("
            " SELECT a.article_id, a.section_id, a.source_id, a.publish_at,"
            f" {indexed.format('headline')} AS headline, {indexed.format('summary')} AS summary,"
            f" {body_sql} AS body FROM ({source_sql}) AS a (article_id, headline, summary,"
            " body_html, section_id, source_id, publish_at, language)"
            " WHERE a.article_id BETWEEN %s AND %s AND a.body_html ~ %s"
            f" AND lower(split_part(replace(a.language, '_', '-'), '-', 1)) IN ('', '{DEFAULT_LANGUAGE}')"
            ") d"
        )
        insert = (
            f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {BULK_TABLE}"
            " ON CONFLICT (article_id) DO UPDATE SET section_id = EXCLUDED.section_id,"
            " source_id = EXCLUDED.source_id, publish_at = EXCLUDED.publish_at,"
            " headline = EXCLUDED.headline, summary = EXCLUDED.summary,"
            " body = EXCLUDED.body, config = EXCLUDED.config, vector = EXCLUDED.vector"
            " RETURNING article_id"
        )
        marks = [MARK_START, MARK_END]
        done = []
        with transaction.atomic(), connection.cursor() as cursor:
            rebuild = None
            if len(ids) >= BULK_REBUILD_MIN:
                cursor.execute(
                    "SELECT i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
                    f" AND i.tablename = %s AND i.indexname = %s AND NOT EXISTS (SELECT 1 FROM {TABLE})",
                    [TABLE, VECTOR_INDEX],
                )
                found = cursor.fetchone()
                if found:
                    rebuild = found[0]
                    cursor.execute(f"DROP INDEX {VECTOR_INDEX}")
            for first, last in ranges:
                cursor.execute(build, [*marks, *marks, *source_params, first, last, PLAIN_BLOCKS])
                cursor.execute(insert)
                done += [pk for (pk,) in cursor.fetchall()]
                cursor.execute(f"DROP TABLE {BULK_TABLE}")
            if rebuild:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(rebuild)
        return done

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

    def tsquery(self, query, match="all", loose=False):
        """SQL for the tsquery and its parameters: websearch_to_tsquery for words and phrases,
        to_tsquery(':*') for prefixes. Every word is quoted, so no reader syntax gets through.

        `loose` (with match="all") asks for every word of a phrase, in any order: what the GIN
        index answers without reading each row to check the words' positions."""
        configs = self._query_configs(query)
        parts, params = [], []
        for term in query.terms:
            words = [w for w in (self._query_word(word) for word in term.words) if w]
            if words and term.prefix:
                pieces = [("to_tsquery", f"{words[0]}:*")]
            elif words and loose and match == "all":
                pieces = [("websearch_to_tsquery", f'"{word}"') for word in words]
            elif words:
                pieces = [("websearch_to_tsquery", '"' + " ".join(words) + '"')]
            else:
                pieces = []
            for function, text in pieces:
                sql, values = _either(function, configs, text)
                parts.append(sql)
                params += values
        if not parts:
            return "''::tsquery", []
        return "(" + (" || " if match == "any" else " && ").join(parts) + ")", params

    def _where(self, filters: Filters, now):
        """SQL conditions on `d` (a search_document row) for the filters, and their parameters."""
        clauses, params = ["d.publish_at <= %s"], [now]
        for column, value in (
            ("section_id", filters.section_id),
            ("source_id", filters.source_id),
            ("article_id", filters.article_id),
        ):
            if value is not None:
                clauses.append(f"d.{column} = %s")
                params.append(value)
        _add_date_range(filters, clauses, params)
        more_clauses, more_params = filters.membership_clauses("d.article_id")
        clauses += more_clauses
        params += more_params
        return " AND ".join(clauses), params

    def search(self, query, filters, *, now, offset=0, limit=20, match="all"):
        """The newest max_candidates matches, ranked, found without reading every match.

        A query matching a fifth of a million stories must not read them all to learn which
        are the newest. So the GIN index is asked for the matches of the last few days only
        (each document's `recency` lexemes, migration 0003): first the days of the newest
        2 x max_candidates stories, where a broad query finds enough; then, from the share of
        those that matched, enough days back to hold twice the candidates wanted, widening
        until they do or every day is covered. That estimate rests on a few matches (a name
        finds about 5 of its 5,000 among the newest 1,000 stories at a million), so the wider
        window is read in parts, newest first, and its older parts only if need be. The rows
        read are the candidates, or close to it, and only the candidates' vectors (kept in the
        row, migration 0005) are read to rank them. (A query with a prefix reads the newest
        stories one by one for its first look: see _Search.)
        """
        if not query:
            return []
        search = _Search(self, query, filters, now=now, count=offset + limit, match=match)
        latest = min(now, filters.date_to or now)
        span = self._span(filters, now, search.wanted * NEWEST_FACTOR)
        if span is None:  # nothing published in the dates asked for
            return []
        edge, oldest = span
        first_day, last_day = day_number(oldest), day_number(latest)
        days = (latest - edge).total_seconds() / DAY if edge else math.inf
        grown = False
        if edge and search.first_look_by_walking:
            hits, found = search.ranked(*search.newest(search.wanted * NEWEST_FACTOR), final=False)
            if found >= search.wanted:
                return hits[offset:]
            days, grown = days * search.growth(found), True
        while True:
            cutoff_day = first_day if days > last_day - first_day else last_day - math.ceil(days)
            every_day = cutoff_day == first_day
            steps = []
            # Every day at once: no `recency` condition is cheaper. A prefix is gathered again
            # by each part's lookup: its window is read at once too.
            if grown and not every_day and not search.has_prefix:
                # Grown from an estimate that may be far off: the window's newest third, then the
                # next third, are read first, the rest only if need be (_Search.window).
                cuts = {last_day - math.ceil(days / 3), last_day - math.ceil(days * 2 / 3)}
                steps = sorted((day for day in cuts if cutoff_day < day <= last_day), reverse=True)
            window, params = search.window(cutoff_day, last_day, every_day=every_day, steps=steps)
            hits, found = search.ranked(window, params, final=every_day)
            if found >= search.wanted or every_day:
                return hits[offset:]
            days, grown = days * search.growth(found), True

    def _span(self, filters, now, newest):
        """(publish_at of the `newest`th newest story, of the oldest) within the dates asked for:
        (None, oldest) when there are fewer, None when there are none."""
        clauses, params = ["d.publish_at <= %s"], [now]
        _add_date_range(filters, clauses, params)
        where = " AND ".join(clauses)
        rows = self._run(
            f"SELECT (SELECT d.publish_at FROM {TABLE} d WHERE {where}"
            " ORDER BY d.publish_at DESC OFFSET %s LIMIT 1),"
            f" (SELECT min(d.publish_at) FROM {TABLE} d WHERE {where})",
            [*params, newest - 1, *params],
        )
        if not rows or rows[0][1] is None:
            return None
        return rows[0]

    def highlight(self, query, hits, *, match="all"):
        if not hits or not query:
            return
        tsquery, query_params = self.tsquery(query, match)
        sql = (  # each story's words are read as its language's, as they were indexed
            "SELECT d.article_id, ts_headline(d.config::regconfig, d.headline, q.q, %s),"
            " ts_headline(d.config::regconfig, d.summary, q.q, %s),"
            " ts_headline(d.config::regconfig, d.body, q.q, %s)"
            f" FROM {TABLE} d, (SELECT {tsquery} AS q) q WHERE d.article_id = ANY(%s)"
        )
        params = [HEADLINE_OPTIONS, HEADLINE_OPTIONS, SNIPPET_OPTIONS, *query_params]
        params.append([h.article_id for h in hits])
        by_id = {hit.article_id: hit for hit in hits}
        for article_id, headline, summary, body in self._run(sql, params):
            hit = by_id[article_id]
            hit.headline, hit.summary, hit.body = headline or "", summary or "", body or ""

    @staticmethod
    def _read_alias():
        # Searching only reads: it goes where the router sends reads (a replica when there is one).
        return router.db_for_read(Article) or DEFAULT_DB_ALIAS

    def _run(self, sql, params):
        alias = self._read_alias()
        try:
            if not connections[alias].in_atomic_block:
                return self._fetch(alias, sql, params)
            with transaction.atomic(using=alias):  # a savepoint: a failure leaves the transaction usable
                return self._fetch(alias, sql, params)
        except DatabaseError as error:
            # A timeout or an outage: the reader is told search is unavailable (not "nothing
            # found"), the operator reads why here.
            log.error("search query failed: %s", error)
            raise SearchUnavailable(str(error)) from error

    @staticmethod
    def _fetch(alias, sql, params):
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
