"""Reading articles for the engine: a batch of documents per query, and for a rebuild, reading
and analysing in several processes at once (tokenising is the costly part and pure Python)."""

import multiprocessing
import os

import numpy as np
from django.db import connection, connections
from django.db.models.functions import Substr

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.text import body_words

from . import conf
from .analysis import DEFAULT_WEIGHTS, Analyser, Document

READ_BATCH = 2000
# Below this many articles a rebuild reads in its own process: starting workers costs more.
PARALLEL_FROM = 20_000


def indexable():
    """Articles that have a list: published ones, including those scheduled for later (the page
    filters by time, so a scheduled story shows up in lists the moment it is out)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def _timestamp(value):
    return value.timestamp() if value else 0.0


def _batches(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def documents(ids=None, *, id_range=None, body_chars=DEFAULT_WEIGHTS.body_chars, batch=READ_BATCH):
    """Stream analysis.Document objects for the indexable articles (all, those with `ids`, or
    those with first <= id <= last for id_range=(first, last)), in id order, a batch per query.
    Batches go by id range (never by the status index, which would make every batch scan the
    whole archive); the status is checked here."""
    fields = (
        "id",
        "status",
        "headline",
        "summary",
        "body_start",
        "section__name",
        "source__name",
        "publish_at",
    )
    # Bodies are HTML: read twice the characters, so about as many words are left once the markup goes.
    queryset = Article.objects.annotate(body_start=Substr("body", 1, 2 * body_chars)).order_by("id")
    tagging = Article.tags.through.objects
    if ids is not None:
        chunks = (queryset.filter(id__in=chunk).values_list(*fields) for chunk in _batches(sorted(ids)))
    else:
        if id_range is not None:
            queryset = queryset.filter(id__lte=id_range[1])
        chunks = _by_range(queryset, fields, batch, after=id_range[0] - 1 if id_range else 0)
    for rows in chunks:
        rows = [row for row in rows if row[1] == Article.Status.PUBLISHED]
        if not rows:
            continue
        first, last = rows[0][0], rows[-1][0]
        tags = {}
        for article_id, name in tagging.filter(article_id__gte=first, article_id__lte=last).values_list(
            "article_id", "tag__name"
        ):
            tags.setdefault(article_id, []).append(name)
        for pk, _status, headline, summary, body, section, source, publish_at in rows:
            yield Document(
                id=pk,
                headline=headline,
                summary=summary,
                body=body_words(body),
                tags=tags.get(pk, []),
                section=section or "",
                source=source or "",
                published=_timestamp(publish_at),
            )


def _by_range(queryset, fields, batch, after=0):
    while True:
        rows = list(queryset.filter(id__gt=after).values_list(*fields)[:batch])
        if not rows:
            return
        after = rows[-1][0]
        yield rows


def _analysed(documents_read, analyser):
    """(ids, published, Analysed) of a list of documents."""
    ids = np.fromiter((d.id for d in documents_read), dtype=np.int64, count=len(documents_read))
    published = np.fromiter(
        (d.published for d in documents_read), dtype=np.float64, count=len(documents_read)
    )
    return ids, published, analyser.analyse_many(documents_read)


def analysed_batches(weights=None, *, processes=None):
    """Every indexable article, read and analysed: a Batches of (ids, published, Analysed) in id
    order, with term numbers into one vocabulary, its `terms` (a list that grows as batches come).

    With many articles and no transaction open, `processes` workers (conf.rebuild_processes())
    each read and analyse id ranges of READ_BATCH articles; this process only renumbers terms."""
    weights = weights or DEFAULT_WEIGHTS
    processes = conf.rebuild_processes() if processes is None else processes
    ids = np.zeros(0, dtype=np.int64)
    if processes > 1 and not connection.in_atomic_block:
        # Unordered, so the database answers from an index on status instead of reading the table.
        ids = np.sort(
            np.fromiter(indexable().order_by().values_list("id", flat=True).iterator(), dtype=np.int64)
        )
    if len(ids) < PARALLEL_FROM:
        return _in_process(weights)
    starts = ids[::READ_BATCH].tolist()
    ends = ids[READ_BATCH - 1 :: READ_BATCH].tolist() + ([int(ids[-1])] if len(ids) % READ_BATCH else [])
    ranges = list(zip(starts, ends, strict=True))
    return _in_workers(weights, ranges, processes)


class Batches:
    """An iterable of analysed batches and the vocabulary their term numbers refer to."""

    def __init__(self, batches, terms):
        self.batches, self.terms = batches, terms

    def __iter__(self):
        return iter(self.batches)


def _in_process(weights):
    analyser = Analyser(weights)

    def batches():
        batch = []
        for doc in documents(body_chars=weights.body_chars):
            batch.append(doc)
            if len(batch) >= READ_BATCH:
                yield _analysed(batch, analyser)
                batch = []
        if batch:
            yield _analysed(batch, analyser)

    return Batches(batches(), analyser.texts)


# In a worker process: its analyser, kept from one id range to the next.
_worker = {}


def _read_and_analyse(task):
    weights, id_range = task
    analyser = _worker.get("analyser")
    if analyser is None:
        analyser = _worker["analyser"] = Analyser(weights)
    known = len(analyser.texts)
    found = list(documents(id_range=id_range, body_chars=weights.body_chars, batch=2 * READ_BATCH))
    ids, published, analysed = _analysed(found, analyser)
    # The terms this worker numbered since its last answer: the parent maps them to its own.
    return os.getpid(), ids, published, analysed, analyser.texts[known:]


def _in_workers(weights, ranges, processes):
    terms, vocabulary = [], {}

    def batches():
        # Workers are forked: each must open its own database connection, not share ours.
        connections.close_all()
        numbers = {}  # worker pid -> array: its term number -> ours
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            tasks = ((weights, r) for r in ranges)
            for pid, ids, published, analysed, new_terms in pool.imap(_read_and_analyse, tasks):
                mine = []
                for text in new_terms:
                    number = vocabulary.get(text)
                    if number is None:
                        number = vocabulary[text] = len(terms)
                        terms.append(text)
                    mine.append(number)
                known = numbers.get(pid, np.zeros(0, dtype=np.int64))
                numbers[pid] = np.concatenate([known, np.asarray(mine, dtype=np.int64)])
                analysed.indices = numbers[pid][analysed.indices].astype(np.int32)
                yield ids, published, analysed

    return Batches(batches(), terms)
