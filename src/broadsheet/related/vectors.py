"""Sparse vector arithmetic for the TF-IDF engine: weights, pruning, postings, nearest neighbours.

Pure numpy/scipy, no Django: the bench and the backend share it. Documents are rows of a CSR
matrix of L2-normalised TF-IDF weights cut to each document's heaviest terms; postings are the
transposed matrix cut to each term's heaviest documents, so every lookup costs a bounded amount
whatever the size of the archive.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

try:  # a multi-threaded sparse product that keeps only the best n per row; scipy does it too
    from sparse_dot_topn import sp_matmul_topn
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    sp_matmul_topn = None

DAY = 86400.0


@dataclass(frozen=True)
class Tuning:
    """The engine's knobs; defaults chosen on bench/data/related_eval.jsonl (see bench_related.py)."""

    vector_terms: int = 64  # heaviest terms kept per article
    query_terms: int = 12  # of those, how many look for candidates
    postings: int = 240  # heaviest articles kept per term (8 bytes each: a Term row stays under
    # PostgreSQL's 2 kB TOAST threshold, so an update rewrites it in place)
    candidates: int = 20  # candidates scored exactly per article
    stored: int = 8  # list length kept per article (pins come on top)
    min_score: float = 0.02  # below this, not related at all
    duplicate_score: float = 0.97  # this similar (or the same words) is the same story copied
    proximity_weight: float = 0.3  # share of the score that depends on closeness in time ...
    proximity_days: float = 21.0  # ... decaying over this many days


def idf(df, n_docs):
    """Rarer terms weigh more; a term in every article weighs almost nothing."""
    df = np.asarray(df, dtype=np.float64)
    return np.log1p(np.maximum(n_docs, 1) / np.maximum(df, 1)).astype(np.float32)


def weigh_rows(counts, idf_values, top_terms):
    """counts: CSR (docs x terms) of weighted term counts -> pruned, L2-normalised TF-IDF rows."""
    m = counts.tocsr().astype(np.float32, copy=True)
    m.data *= idf_values[m.indices]
    m = prune_rows(m, top_terms)
    return normalise_rows(m)


def prune_rows(m, top):
    """Keep the `top` heaviest entries of every row of a CSR matrix (non-negative weights)."""
    m = m.tocsr()
    m.sort_indices()
    lengths = np.diff(m.indptr)
    if m.nnz == 0 or lengths.max() <= top:
        return m
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), lengths)
    # Heaviest first within each row, rows in order: one sort of row number + a fraction below 1.
    peak = np.ones(m.shape[0], dtype=np.float64)
    peak[lengths > 0] = np.maximum.reduceat(m.data, m.indptr[:-1][lengths > 0])
    key = rows + 0.5 * (1.0 - m.data / np.maximum(peak, 1e-30)[rows])
    order = np.argsort(key)
    rank = np.arange(m.nnz, dtype=np.int64) - np.repeat(m.indptr[:-1], lengths)
    keep = np.sort(order[rank < top])
    indptr = np.zeros(m.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.minimum(lengths, top), out=indptr[1:])
    return sparse.csr_matrix((m.data[keep], m.indices[keep], indptr), shape=m.shape)


def normalise_rows(m):
    m = m.tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel()).astype(np.float32)
    norms[norms == 0] = 1.0
    m.data /= np.repeat(norms, np.diff(m.indptr))
    return m


def postings_matrix(x, per_term):
    """Terms x docs: for each term, the `per_term` docs where it weighs most. Only the few long
    rows (common terms) are cut, one at a time, so memory stays near one copy of x."""
    t = x.T.tocsr()
    lengths = np.diff(t.indptr)
    long_rows = np.flatnonzero(lengths > per_term)
    if len(long_rows) == 0:
        return t
    keep = np.ones(t.nnz, dtype=bool)
    for row in long_rows:
        a, b = t.indptr[row], t.indptr[row + 1]
        lightest = np.argpartition(-t.data[a:b], per_term)[per_term:]
        keep[a + lightest] = False
    rows = np.repeat(np.arange(t.shape[0], dtype=np.int32), lengths)[keep]
    indptr = np.zeros(t.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=t.shape[0]), out=indptr[1:])
    out = sparse.csr_matrix((t.data[keep], t.indices[keep], indptr), shape=t.shape)
    return out


def proximity(published_a, published_b, tuning):
    """A gentle preference for stories close in time: 1.0 same day, down to 1 - weight."""
    if tuning.proximity_weight <= 0:
        return np.ones(np.broadcast(published_a, published_b).shape, dtype=np.float32)
    gap = np.abs(np.asarray(published_a, dtype=np.float64) - np.asarray(published_b, dtype=np.float64))
    decay = np.exp(-gap / (tuning.proximity_days * DAY))
    return ((1 - tuning.proximity_weight) + tuning.proximity_weight * decay).astype(np.float32)


def _candidates(query, postings, n, threads=2):
    """The n best-scoring columns per row of query @ postings (approximate when postings are cut)."""
    if sp_matmul_topn is not None:
        return sp_matmul_topn(query, postings, top_n=n, threshold=0.0, n_threads=threads).tocsr()
    product = (query @ postings).tocsr()
    return prune_rows(product, n)


def row_dots(x, rows_a, rows_b):
    """Exact dot products x[a] . x[b] for many pairs, in bounded memory."""
    out = np.empty(len(rows_a), dtype=np.float32)
    step = 50_000
    for start in range(0, len(rows_a), step):
        a = x[rows_a[start : start + step]]
        b = x[rows_b[start : start + step]]
        out[start : start + step] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def neighbours(x, published, fingerprints, tuning, *, rows=None, postings=None, query=None, threads=2):
    """Best related documents for `rows` of x (default: all), as (row, col, score) arrays sorted
    by row then descending score, at most tuning.stored (+ spare) per row.

    x: CSR docs x terms (pruned, normalised); published: float seconds per doc; fingerprints:
    int64 per doc. Never a document itself or a duplicate of it."""
    if rows is None:
        rows = np.arange(x.shape[0])
    if postings is None:
        postings = postings_matrix(x, tuning.postings)
    if query is None:
        query = prune_rows(x[rows], tuning.query_terms)
    found = _candidates(query, postings, tuning.candidates + 1, threads)
    lengths = np.diff(found.indptr)
    src = np.repeat(np.asarray(rows, dtype=np.int64), lengths)
    dst = found.indices.astype(np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    exact = row_dots(x, src, dst)
    keep = (exact >= tuning.min_score) & (fingerprints[src] != fingerprints[dst])
    keep &= exact < tuning.duplicate_score
    src, dst, exact = src[keep], dst[keep], exact[keep]
    score = exact * proximity(published[src], published[dst], tuning)
    order = np.lexsort((-score, src))
    src, dst, score = src[order], dst[order], score[order]
    # rank within each row, keep the best `stored` + spare (room for exclusions and pins)
    starts = np.r_[0, np.flatnonzero(np.diff(src)) + 1]
    rank = np.arange(len(src)) - np.repeat(starts, np.diff(np.r_[starts, len(src)]))
    keep = rank < tuning.stored + 4
    return src[keep], dst[keep], score[keep]
