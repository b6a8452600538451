"""Building the whole TF-IDF index in memory from a stream of documents (rebuild and bench)."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import vectors
from .analysis import Analyser

MAX_TERM_LENGTH = 100


@dataclass
class Index:
    ids: np.ndarray  # article id per row
    vectors: sparse.csr_matrix  # rows: documents, columns: term numbers; pruned, normalised
    terms: list  # term text per column
    df: np.ndarray  # documents per term
    published: np.ndarray  # seconds since the epoch per row
    fingerprints: np.ndarray  # int64 per row
    query: sparse.csr_matrix = None  # each row's heaviest terms, the ones that look for candidates

    def neighbours(self, tuning, *, postings=None, chunk=10_000, threads=1, progress=None):
        """Yield (row, col, score) arrays chunk by chunk, in row order, covering every document.
        With threads > 1, chunks are worked on side by side (numpy and scipy let go of the GIL
        in the heavy parts)."""
        if postings is None:
            postings = vectors.postings_matrix(self.vectors, tuning.postings)
        n = self.vectors.shape[0]

        def work(start):
            rows = np.arange(start, min(start + chunk, n))
            query = self.query[start : start + chunk] if self.query is not None else None
            found = vectors.neighbours(
                self.vectors,
                self.published,
                self.fingerprints,
                tuning,
                rows=rows,
                postings=postings,
                query=query,
                threads=1 if threads > 1 else 2,
            )
            return len(rows), found

        starts = range(0, n, chunk)
        with ThreadPoolExecutor(max_workers=max(threads, 1)) as pool:
            for done, found in pool.map(work, starts) if threads > 1 else map(work, starts):
                yield found
                if progress:
                    progress(done)


def _batched(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(documents, *, weights=None, tuning=None, progress=None, batch_size=2000):
    """The index of an iterable of analysis.Document (bench and tests; a rebuild reads through
    reading.analysed_batches)."""
    analyser = Analyser(weights)

    def batches():
        for batch in _batched(documents, batch_size):
            ids = np.asarray([doc.id for doc in batch], dtype=np.int64)
            published = np.asarray([doc.published for doc in batch], dtype=np.float64)
            yield ids, published, analyser.analyse_many(batch)

    return assemble(batches(), terms=analyser.texts, tuning=tuning, progress=progress)


def assemble(batches, *, terms=None, tuning=None, progress=None):
    """The index of analysed batches: (ids, published, Analysed) with term numbers into `terms`
    (default: batches.terms), a list that may grow while batches come. Two passes over compact
    arrays: count document frequencies, then weigh and prune chunk by chunk (bounded memory)."""
    tuning = tuning or vectors.Tuning()
    terms = batches.terms if terms is None else terms
    ids, published, prints, chunks = [], [], [], []
    for batch_ids, batch_published, analysed in batches:
        chunks.append(analysed)
        prints.append(analysed.fingerprints)
        ids.append(batch_ids)
        published.append(batch_published)
        if progress:
            progress(len(batch_ids))
    ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)

    n_terms = len(terms)
    df = np.zeros(n_terms, dtype=np.int64)
    for c in chunks:
        counted = np.bincount(c.indices)
        df[: len(counted)] += counted
    used = df > 0
    if not used.all():  # words seen only past the part of a body that is read, say
        number = np.cumsum(used) - 1
        for c in chunks:
            c.indices = number[c.indices].astype(np.int32)
        terms = [text for text, keep in zip(terms, used.tolist(), strict=True) if keep]
        df = df[used]
        n_terms = len(terms)
    idf = vectors.idf(df, len(ids))
    rows, queries = [], []
    chunks.reverse()
    while chunks:
        c = chunks.pop()
        counts = sparse.csr_matrix((c.data, c.indices, c.indptr), shape=(len(c.indptr) - 1, n_terms))
        weighed = vectors.weigh_rows(counts, idf, tuning.vector_terms)
        rows.append(weighed)
        queries.append(vectors.prune_rows(weighed, tuning.query_terms))
    empty = sparse.csr_matrix((0, n_terms), dtype=np.float32)
    matrix = sparse.vstack(rows, format="csr") if rows else empty
    query = sparse.vstack(queries, format="csr") if queries else empty
    del rows, queries
    return Index(
        ids=ids,
        vectors=matrix,
        terms=terms,
        df=df,
        published=np.concatenate(published) if published else np.zeros(0, dtype=np.float64),
        fingerprints=np.concatenate(prints) if prints else np.zeros(0, dtype=np.int64),
        query=query,
    )
