"""The TF-IDF backend: sparse term vectors, an inverted index in the database, stored top lists.

Rebuild: read and analyse every published article (reading.py, in worker processes when there
are many), weigh terms by rarity (index.py), find each article's nearest neighbours with chunked
sparse products (vectors.py), then in one transaction store terms, vectors and lists (bulk.py).
Update: each article's vector enters the index first (postings of its heaviest terms, a bounded
number of rows whatever the archive size); then its list is computed from those postings and it
enters the lists of the articles it now beats the last entry of.
"""

import contextlib
import itertools
from collections import Counter, defaultdict

import numpy as np
from django.db import connection
from django.db.models import F
from django.utils import timezone

from broadsheet.newsroom.models import Article

from . import bulk, conf, lists, locking, vectors
from .analysis import Weights, analyse
from .base import RelatedBackend
from .index import MAX_TERM_LENGTH, assemble
from .models import IndexedArticle, IndexState, RelatedEntry, Term
from .reading import analysed_batches, documents
from .signals import lists_changed_on_commit


def _encode_postings(ids, weights):
    return np.asarray(ids, dtype=np.int32).tobytes() + np.asarray(weights, dtype=np.float32).tobytes()


def _decode_postings(blob):
    blob = bytes(blob or b"")
    n = len(blob) // 8
    return np.frombuffer(blob, dtype=np.int32, count=n), np.frombuffer(blob, dtype=np.float32, offset=4 * n)


def _decode_vector(terms, weights):
    return np.frombuffer(bytes(terms), dtype=np.int32), np.frombuffer(bytes(weights), dtype=np.float32)


def _batches(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _set_postings(rows):
    """Write [(term id, postings blob)] in one statement (PostgreSQL and SQLite 3.33+ both
    have UPDATE ... FROM), not one round trip per term."""
    if not rows:
        return
    table = connection.ops.quote_name(Term._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new (id, postings) AS (VALUES {values}) "
            f"UPDATE {table} SET postings = new.postings FROM new WHERE {table}.id = new.id",
            [value for row in rows for value in row],
        )


def refresh_statistics(tables=None):
    """Let the database planner know the tables' sizes (SQLite has no statistics until ANALYZE;
    without them it reads a list by scanning every published article)."""
    tables = tables or [RelatedEntry._meta.db_table, Article._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class TfidfBackend(RelatedBackend):
    def __init__(self, tuning=None, weights=None):
        self._tuning = tuning
        self._from_settings = (None, None)
        self.weights = weights or Weights()

    @property
    def tuning(self):
        """The tuning given, else BROADSHEET_RELATED_TUNING as it is now: get_backend() keeps
        one backend per process, and a changed setting must not wait for a restart."""
        if self._tuning is not None:
            return self._tuning
        knobs = conf.tuning()
        seen, tuning = self._from_settings
        if knobs != seen:
            tuning = vectors.Tuning(**knobs)
            self._from_settings = (knobs, tuning)
        return tuning

    # --- everything at once ---

    def rebuild(self, *, progress=None):
        """Everything is computed before the write transaction opens, so the tables are locked
        only while rows are written (on SQLite, a publish meanwhile waits seconds, not minutes).
        Articles updated while this one computed are replayed before it commits (locking.py)."""
        mark = locking.journal_mark()
        index = assemble(analysed_batches(self.weights), tuning=self.tuning, progress=progress)
        postings = vectors.postings_matrix(index.vectors, self.tuning.postings)
        found = self._computed_lists(index, postings, progress)
        with locking.writing():
            # Noted by an update or a delete while this rebuild computed: brought up to date
            # under the same lock before it commits. Deletes take the lock too (receivers.py),
            # so none can remove an article between this look and the commit.
            noted = locking.noted_since(mark)
            gone = set(noted)
            for batch in _batches(noted):
                gone -= set(Article.objects.filter(id__in=batch).values_list("id", flat=True))
            keep = ~np.isin(index.ids, np.fromiter(gone, dtype=np.int64, count=len(gone)))
            bulk.empty_tables((RelatedEntry, IndexedArticle, Term))
            self._write_terms(index, postings)
            del postings
            self._write_vectors(index, keep)
            if progress:
                progress(len(index.ids) // 2)
            with bulk.indexes_built_after(RelatedEntry):
                self._write_lists(found, gone)
            if progress:
                progress(len(index.ids) - len(index.ids) // 2)
            self._state_query().update(documents=int(keep.sum()), rebuilt_at=timezone.now())
            self.update(noted)
            lists_changed_on_commit(None)
        refresh_statistics()
        return len(index.ids)

    def _computed_lists(self, index, postings, progress):
        """(article ids, related ids, scores) of every article's computed list, by article then
        best first, as compact arrays (about 12 entries per article)."""
        parts = [[], [], []]
        threads = conf.rebuild_processes()
        for src, dst, score in index.neighbours(
            self.tuning, postings=postings, threads=threads, progress=progress
        ):
            parts[0].append(index.ids[src])
            parts[1].append(index.ids[dst])
            parts[2].append(score.astype(np.float32))
        if not parts[0]:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return tuple(np.concatenate(p) for p in parts)

    def _write_terms(self, index, postings):
        ids32 = index.ids.astype(np.int32)
        indptr, cols, data = postings.indptr, postings.indices, postings.data

        def rows():
            for number, text in enumerate(index.terms):
                a, b = indptr[number], indptr[number + 1]
                blob = _encode_postings(ids32[cols[a:b]], data[a:b])
                yield (number + 1, text, int(index.df[number]), blob)

        bulk.write_rows(Term, ("id", "text", "documents", "postings"), rows())
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Term]):
                    cursor.execute(sql)

    def _write_vectors(self, index, keep):
        x = index.vectors
        # One bytes object for all rows; each row's blobs are slices of it.
        terms = (x.indices.astype(np.int32) + 1).tobytes()
        weights = x.data.astype(np.float32).tobytes()
        bounds = (4 * x.indptr).tolist()
        keep = keep.tolist()

        def rows():
            for row, (article_id, fingerprint, published) in enumerate(
                zip(index.ids.tolist(), index.fingerprints.tolist(), index.published.tolist(), strict=True)
            ):
                if keep[row]:
                    a, b = bounds[row], bounds[row + 1]
                    yield (article_id, terms[a:b], weights[a:b], fingerprint, published)

        names = ("article_id", "terms", "weights", "fingerprint", "published")
        step = 50_000
        for start in range(0, len(index.ids), step):
            bulk.write_rows(IndexedArticle, names, itertools.islice(rows(), start, start + step))

    def _write_lists(self, found, gone):
        article, related, score = found
        if gone:
            gone = np.fromiter(gone, dtype=np.int64, count=len(gone))
            keep = ~(np.isin(article, gone) | np.isin(related, gone))
            article, related, score = article[keep], related[keep], score[keep]
        pins, exclusions = lists.editors_choices()
        lists.insert_computed(
            article, related, score, pins=pins, exclusions=exclusions, length=self.tuning.stored
        )

    # --- one article at a time ---

    def update(self, article_ids):
        """Two passes, so articles updated together find each other whatever their order: first
        every vector enters the index, then every list is computed against it."""
        ids = {int(i) for i in article_ids}
        found = list(documents(ids, body_chars=self.weights.body_chars))
        gone = ids - {doc.id for doc in found}
        if gone:
            self.remove(gone)
        # A few articles (a publish, an edit) in one transaction; a batch one at a time, so the
        # database is never locked for long.
        few = len(found) <= 10
        counted = self._count_in(found)
        with locking.writing([doc.id for doc in found]) if few else contextlib.nullcontext():
            indexed = []
            for doc in found:
                with locking.writing([] if few else [doc.id]):
                    indexed.append(self._index_one(doc, counted=doc.id in counted))
            for vector in indexed:
                with locking.writing():
                    self._list_one(*vector)

    def remove(self, article_ids):
        ids = {int(i) for i in article_ids}
        affected = set()
        with locking.writing(ids):
            lists_changed_on_commit(ids)
            for batch in _batches(ids):
                affected.update(
                    RelatedEntry.objects.filter(related_id__in=batch, pinned=False)
                    .order_by()
                    .values_list("article_id", flat=True)
                )
                lists.delete_entries(article_ids=batch, related_ids=batch, keep_pinned=True)
                removed, _ = IndexedArticle.objects.filter(article_id__in=batch).delete()
                if removed:
                    self._state_query().update(documents=F("documents") - removed)
                if removed < len(batch) and not Article.objects.filter(id__in=batch).exists():
                    # deleted articles took their index rows with them: count again
                    self._state_query().update(documents=IndexedArticle.objects.count())
        self.recompute(affected - ids)

    def recompute(self, article_ids):
        ids, existing = [int(i) for i in article_ids], set()
        stored = {}
        for batch in _batches(ids):
            existing.update(Article.objects.filter(id__in=batch).values_list("id", flat=True))
            stored.update(
                (row[0], row[1:])
                for row in IndexedArticle.objects.filter(article_id__in=batch).values_list(
                    "article_id", "terms", "weights", "fingerprint", "published"
                )
            )
        with locking.writing():
            computed = {}
            for article_id in ids:
                if article_id not in existing:
                    continue  # deleted meanwhile
                if article_id not in stored:
                    computed[article_id] = []
                    continue
                terms, weights, print_, published = stored[article_id]
                term_ids, term_weights = _decode_vector(terms, weights)
                scores = self._score(article_id, term_ids, term_weights, print_, published)
                computed[article_id] = scores
            lists.save_lists(computed, length=self.tuning.stored)

    def _state_query(self):
        return IndexState.objects.filter(pk=locking.LOCK_ROW)

    def _state(self):
        """The index state (under the lock, which makes its row)."""
        return IndexState.objects.get(pk=locking.LOCK_ROW)

    def _vector(self, counts, n_docs, is_new):
        """(term ids, weights, all term ids) of one document's counts, against the stored terms."""
        counts = {t: v for t, v in counts.items() if len(t) <= MAX_TERM_LENGTH}
        known = {}
        for batch in _batches(counts):
            known.update(
                (t, (pk, df))
                for t, pk, df in Term.objects.filter(text__in=batch).values_list("text", "id", "documents")
            )
        missing = [t for t in counts if t not in known]
        if missing:
            Term.objects.bulk_create([Term(text=t) for t in missing], ignore_conflicts=True)
            for batch in _batches(missing):
                known.update(
                    (t, (pk, df))
                    for t, pk, df in Term.objects.filter(text__in=batch).values_list(
                        "text", "id", "documents"
                    )
                )
        texts = [t for t in counts if t in known]
        if not texts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32), []
        term_ids = np.array([known[t][0] for t in texts], dtype=np.int32)
        df = np.array([known[t][1] + (1 if is_new else 0) for t in texts], dtype=np.float64)
        raw = np.array([counts[t] for t in texts], dtype=np.float32) * vectors.idf(df, n_docs)
        order = np.argsort(-raw, kind="stable")[: self.tuning.vector_terms]
        weights = raw[order]
        norm = float(np.sqrt((weights.astype(np.float64) ** 2).sum())) or 1.0
        return term_ids[order], (weights / norm).astype(np.float32), term_ids

    def _score(self, article_id, term_ids, weights, print_, published, postings=None):
        """[(related id, score)] best first for one vector, from the inverted index."""
        t = self.tuning
        if len(term_ids) == 0:
            return []
        query = np.argsort(-weights, kind="stable")[: t.query_terms]
        query_ids, query_weights = term_ids[query], weights[query]
        if postings is None:
            postings = dict(Term.objects.filter(id__in=query_ids.tolist()).values_list("id", "postings"))
        found_ids, found_scores = [], []
        for term_id, w in zip(query_ids.tolist(), query_weights.tolist(), strict=True):
            ids, ws = _decode_postings(postings.get(term_id))
            found_ids.append(ids)
            found_scores.append(ws * w)
        if not found_ids:
            return []
        ids = np.concatenate(found_ids)
        approx = np.concatenate(found_scores)
        unique, inverse = np.unique(ids, return_inverse=True)
        totals = np.bincount(inverse, weights=approx)
        totals[unique == article_id] = -1
        best = unique[np.argsort(-totals, kind="stable")[: t.candidates]]
        best = best[totals[np.searchsorted(unique, best)] > 0]
        return self._exact(article_id, term_ids, weights, print_, published, best.tolist())

    def _exact(self, article_id, term_ids, weights, print_, published, candidates):
        t = self.tuning
        if not candidates:
            return []
        order = np.argsort(term_ids)
        sorted_ids, sorted_weights = term_ids[order], weights[order]
        results = []
        rows = IndexedArticle.objects.filter(article_id__in=candidates).values_list(
            "article_id", "terms", "weights", "fingerprint", "published"
        )
        for other_id, terms, other_weights, other_print, other_published in rows:
            if other_id == article_id or other_print == print_:
                continue
            other_ids, other_w = _decode_vector(terms, other_weights)
            _, mine, theirs = np.intersect1d(sorted_ids, other_ids, assume_unique=True, return_indices=True)
            cosine = float(np.dot(sorted_weights[mine], other_w[theirs]))
            if cosine < t.min_score or cosine >= t.duplicate_score:
                continue
            score = cosine * float(vectors.proximity(published, other_published, t))
            results.append((other_id, score))
        results.sort(key=lambda r: (-r[1], r[0]))
        return results

    def _count_in(self, docs):
        """Count the new articles of a batch into the document frequencies before any of them
        is weighed, so that each is weighed as a rebuild would weigh it (not the first against
        an archive without the others, where the batch's own names look rarer than they are).
        Returns the ids counted in."""
        indexed = set()
        for batch in _batches([doc.id for doc in docs]):
            indexed.update(
                IndexedArticle.objects.filter(article_id__in=batch).values_list("article_id", flat=True)
            )
        new = [doc for doc in docs if doc.id not in indexed]
        if len(new) < 2:
            return set()
        frequency = Counter()
        for doc in new:
            frequency.update(t for t in analyse(doc, self.weights)[0] if len(t) <= MAX_TERM_LENGTH)
        by_increment = defaultdict(list)
        for text, n in frequency.items():
            by_increment[n].append(text)
        with locking.writing():
            for batch in _batches(frequency):
                Term.objects.bulk_create([Term(text=t) for t in batch], ignore_conflicts=True)
            for n, texts in by_increment.items():
                for batch in _batches(texts):
                    Term.objects.filter(text__in=batch).update(documents=F("documents") + n)
            self._state_query().update(documents=F("documents") + len(new))
        return {doc.id for doc in new}

    def _index_one(self, doc, *, counted=False):
        """Store one article's vector and put it in the postings of its terms. Returns what
        _list_one needs: (id, term ids, weights, fingerprint, published). `counted`: a new
        article already counted into the frequencies (_count_in)."""
        t = self.tuning
        state = self._state()
        stored = IndexedArticle.objects.filter(article_id=doc.id)
        is_new = not stored.exists()
        uncounted = is_new and not counted
        n_docs = state.documents + (1 if uncounted else 0)
        counts, print_ = analyse(doc, self.weights)
        term_ids, weights, all_term_ids = self._vector(counts, n_docs, uncounted)
        postings = dict(Term.objects.filter(id__in=term_ids.tolist()).values_list("id", "postings"))
        updated = []
        term_weight = dict(zip(term_ids.tolist(), weights.tolist(), strict=True))
        for term_id, blob in postings.items():
            ids, ws = _decode_postings(blob)
            keep = ids != doc.id
            ids = np.append(ids[keep], doc.id)
            ws = np.append(ws[keep], term_weight[term_id])
            if len(ids) > t.postings:
                heaviest = np.argsort(-ws, kind="stable")[: t.postings]
                ids, ws = ids[heaviest], ws[heaviest]
            updated.append((term_id, _encode_postings(ids, ws)))
        _set_postings(updated)
        if uncounted:
            for batch in _batches(all_term_ids.tolist()):
                Term.objects.filter(id__in=batch).update(documents=F("documents") + 1)
            self._state_query().update(documents=F("documents") + 1)
            if n_docs >= 1024 and n_docs & (n_docs - 1) == 0:
                refresh_statistics()  # as the archive doubles
        vector = {
            "terms": term_ids.astype(np.int32).tobytes(),
            "weights": weights.astype(np.float32).tobytes(),
            "fingerprint": print_,
            "published": doc.published,
        }
        if is_new:
            IndexedArticle.objects.create(article_id=doc.id, **vector)
        else:
            stored.update(**vector)
        return doc.id, term_ids, weights, print_, doc.published

    def _list_one(self, article_id, term_ids, weights, print_, published):
        """Compute one indexed article's list, and enter it in the lists it now belongs in (or
        take it out of those it no longer does)."""
        t = self.tuning
        own = self._score(article_id, term_ids, weights, print_, published)
        # Where does it belong now? Its candidates, and the lists that hold it already.
        listing = set(
            RelatedEntry.objects.filter(related_id=article_id, pinned=False)
            .order_by()
            .values_list("article_id", flat=True)
        )
        scores = dict(own)
        current = {}
        for batch in _batches(set(scores) | listing):
            for holder, related_id, score in (
                RelatedEntry.objects.filter(article_id__in=batch, pinned=False)
                .order_by()
                .values_list("article_id", "related_id", "score")
            ):
                current.setdefault(holder, []).append((related_id, score))
        changed = {}
        for other in set(scores) | listing:
            entries = [(r, s) for r, s in current.get(other, []) if r != article_id]
            score = scores.get(other)
            qualifies = score is not None and (len(entries) < t.stored or score > min(s for _, s in entries))
            if qualifies:
                entries.append((article_id, score))
            if qualifies or other in listing:
                entries.sort(key=lambda r: (-r[1], r[0]))
                changed[other] = entries
        changed[article_id] = own
        lists.save_lists(changed, length=t.stored)
