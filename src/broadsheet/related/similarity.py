"""Scoring two texts against each other with the related engine's analysis and the archive's
term rarities (services.text_similarity)."""

import numpy as np

from . import conf, vectors
from .analysis import Document, Weights, analyse
from .models import IndexState, Term


def _document(story):
    if isinstance(story, Document):
        return story
    headline, _, body = (story or "").partition("\n")
    return Document(id=0, headline=headline, body=body)


def similarity(first, second):
    weights = Weights()
    tuning = vectors.Tuning(**conf.tuning())
    counts = [analyse(_document(story), weights)[0] for story in (first, second)]
    terms = sorted(set(counts[0]) | set(counts[1]))
    if not counts[0] or not counts[1]:
        return 0.0
    known = dict(Term.objects.filter(text__in=terms).values_list("text", "documents"))
    state = IndexState.objects.order_by("pk").first()
    n_docs = max(state.documents if state else 0, 1) + 2  # the two stories themselves
    idf = dict(zip(terms, vectors.idf([known.get(t, 0) + 1 for t in terms], n_docs).tolist(), strict=True))
    rows = []
    for count in counts:
        weighed = {t: v * idf[t] for t, v in count.items()}
        heaviest = sorted(weighed.items(), key=lambda kv: -kv[1])[: tuning.vector_terms]
        vector = dict(heaviest)
        norm = float(np.sqrt(sum(v * v for v in vector.values()))) or 1.0
        rows.append({t: v / norm for t, v in vector.items()})
    return float(min(1.0, sum(v * rows[1].get(t, 0.0) for t, v in rows[0].items())))
