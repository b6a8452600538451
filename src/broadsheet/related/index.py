"""Building the whole TF-IDF index in memory from a stream of documents (rebuild and bench)."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import vectors
from .analysis import Weights, analyse

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

    def neighbours(self, tuning, *, chunk=20_000, progress=None):
        """Yield (row, col, score) arrays chunk by chunk, covering every document."""
        postings = vectors.postings_matrix(self.vectors, tuning.postings)
        n = self.vectors.shape[0]
        for start in range(0, n, chunk):
            rows = np.arange(start, min(start + chunk, n))
            yield vectors.neighbours(
                self.vectors,
                self.published,
                self.fingerprints,
                tuning,
                rows=rows,
                postings=postings,
                query=self.query[start : start + chunk] if self.query is not None else None,
            )
            if progress:
                progress(len(rows))


class _Chunk:
    """Term counts of a slice of documents, stored compactly (numbers, not Python objects)."""

    __slots__ = ("indptr", "indices", "data")

    def __init__(self, indptr, indices, data):
        self.indptr, self.indices, self.data = indptr, indices, data


def build(documents, *, weights=None, tuning=None, progress=None, chunk_size=5000):
    """documents: an iterable of analysis.Document. Two passes over compact arrays: count terms
    and document frequencies, then weigh and prune chunk by chunk (bounded memory)."""
    weights = weights or Weights()
    tuning = tuning or vectors.Tuning()
    vocabulary = {}
    ids, published, prints, chunks = [], [], [], []
    indptr, indices, data = [0], [], []

    def flush():
        if len(indptr) > 1:
            chunks.append(
                _Chunk(
                    np.asarray(indptr, dtype=np.int64),
                    np.asarray(indices, dtype=np.int32),
                    np.asarray(data, dtype=np.float32),
                )
            )
        indptr[:] = [0]
        indices.clear()
        data.clear()

    add_term = vocabulary.setdefault
    for doc in documents:
        counts, print_ = analyse(doc, weights)
        indices.extend([add_term(term, len(vocabulary)) for term in counts])
        data.extend(counts.values())
        indptr.append(len(indices))
        ids.append(doc.id)
        published.append(doc.published)
        prints.append(print_)
        if len(indptr) > chunk_size:
            flush()
        if progress:
            progress(1)
    flush()

    n_terms = len(vocabulary)
    df = np.zeros(n_terms, dtype=np.int64)
    for c in chunks:
        df += np.bincount(c.indices, minlength=n_terms)
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
    terms = [None] * n_terms
    for term, number in vocabulary.items():
        terms[number] = term
    return Index(
        ids=np.asarray(ids, dtype=np.int64),
        vectors=matrix,
        terms=terms,
        df=df,
        published=np.asarray(published, dtype=np.float64),
        fingerprints=np.asarray(prints, dtype=np.int64),
        query=query,
    )
