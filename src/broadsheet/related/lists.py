"""Writing stored related lists, with editors' pins first and exclusions left out.

Every backend hands its computed lists to save_lists(); the page reads the result in one query.
"""

from collections import defaultdict

import numpy as np
from django.db import connection

from . import bulk
from .models import RelatedEntry, RelatedExclusion, RelatedPin
from .signals import lists_changed_on_commit

ENTRY_COLUMNS = ("article_id", "related_id", "rank", "score", "pinned")
_CHUNK = 500  # ids per IN (...) list


def _chunks(items, size=_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def editors_choices(article_ids=None):
    """({article: [pinned ids in order]}, {article: {excluded ids}}) for these articles (or all)."""
    pins, exclusions = defaultdict(list), defaultdict(set)
    pin_rows = RelatedPin.objects.order_by("article_id", "position", "id")
    exclusion_rows = RelatedExclusion.objects.all()
    batches = [None] if article_ids is None else list(_chunks(article_ids))
    for batch in batches:
        p, e = pin_rows, exclusion_rows
        if batch is not None:
            p, e = p.filter(article_id__in=batch), e.filter(article_id__in=batch)
        for article_id, pinned_id in p.values_list("article_id", "pinned_id"):
            pins[article_id].append(pinned_id)
        for article_id, excluded_id in e.values_list("article_id", "excluded_id"):
            exclusions[article_id].add(excluded_id)
    return pins, exclusions


def entry_rows(article_id, computed, *, pins, exclusions, length):
    """Rows for one article's list: pins in order, then up to `length` computed stories
    (best first) that are not the article itself, not pinned and not excluded."""
    rows = []
    pinned = pins.get(article_id, ())
    for position, pinned_id in enumerate(pinned):
        rows.append((article_id, pinned_id, position, 1.0, True))
    skip = set(pinned) | exclusions.get(article_id, set()) | {article_id}
    rank = len(rows)
    for related_id, score in computed:
        if len(rows) - len(pinned) >= length:
            break
        if related_id in skip:
            continue
        skip.add(related_id)
        rows.append((article_id, int(related_id), rank, float(score), False))
        rank += 1
    return rows


def insert_computed(article, related, score, *, pins, exclusions, length):
    """Write many computed lists at once (a rebuild, into an empty table). Arrays sorted by
    article, best first, never an article under itself. Lists without editors' choices are cut
    to `length` with array operations; the few with pins or exclusions go through entry_rows,
    and a pinned article with nothing computed still gets its pins."""
    article = np.asarray(article, dtype=np.int64)
    chosen = np.fromiter(set(pins) | set(exclusions), dtype=np.int64)
    special = np.isin(article, chosen)
    plain = ~special
    ids, others, scores = article[plain], np.asarray(related)[plain], np.asarray(score)[plain]
    position = np.arange(len(ids))
    first = np.r_[True, ids[1:] != ids[:-1]] if len(ids) else np.zeros(0, dtype=bool)
    rank = position - np.maximum.accumulate(np.where(first, position, 0))
    keep = rank < length
    bulk.write_columns(
        RelatedEntry,
        {
            "article_id": ids[keep],
            "related_id": others[keep],
            "rank": rank[keep],
            "score": scores[keep].astype(np.float64),
            "pinned": np.zeros(int(keep.sum()), dtype=bool),
        },
    )
    computed = defaultdict(list)
    for article_id, related_id, value in zip(
        article[special].tolist(),
        np.asarray(related)[special].tolist(),
        np.asarray(score)[special].tolist(),
        strict=True,
    ):
        computed[article_id].append((related_id, value))
    rows = []
    for article_id in set(computed) | set(pins):
        rows.extend(
            entry_rows(article_id, computed[article_id], pins=pins, exclusions=exclusions, length=length)
        )
    insert_entries(rows)


def save_lists(lists, *, length):
    """Replace the stored lists of the articles in `lists` ({article_id: [(related_id, score)]},
    best first). Call inside a transaction. Only lists whose stories or order change are
    rewritten; related_lists_changed names them after the commit. Returns their ids."""
    if not lists:
        return set()
    pins, exclusions = editors_choices(lists.keys())
    new = defaultdict(list)
    for article_id, computed in lists.items():
        new[article_id] = entry_rows(article_id, computed, pins=pins, exclusions=exclusions, length=length)
    old = defaultdict(list)
    for batch in _chunks(lists.keys()):
        for row in (
            RelatedEntry.objects.filter(article_id__in=batch)
            .order_by("article_id", "rank")
            .values_list("article_id", "related_id", "pinned", "score")
        ):
            old[row[0]].append(row)

    def shown(rows):
        return [(r[1], r[2]) for r in rows]

    changed = {a for a in lists if shown(old[a]) != [(r[1], r[4]) for r in new[a]]}
    # Scores are rewritten too (updates compare against them), but only a change readers see is announced.
    rescored = {
        a
        for a in set(lists) - changed
        if any(abs(o[3] - n[3]) > 1e-6 for o, n in zip(old[a], new[a], strict=True))
    }
    delete_entries(article_ids=changed | rescored)
    insert_entries([row for a in changed | rescored for row in new[a]])
    lists_changed_on_commit(changed)
    return changed


def delete_entries(*, article_ids=(), related_ids=(), keep_pinned=False):
    """Delete the lists of `article_ids` and/or the entries showing `related_ids`, in plain SQL
    (no per-row signals to send)."""
    table = connection.ops.quote_name(RelatedEntry._meta.db_table)
    with connection.cursor() as cursor:
        for column, ids in (("article_id", article_ids), ("related_id", related_ids)):
            for batch in _chunks(ids):
                marks = ", ".join(["%s"] * len(batch))
                extra = " AND pinned = %s" if keep_pinned and column == "related_id" else ""
                params = [*batch, False] if extra else batch
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks}){extra}", params)


def insert_entries(rows):
    """Insert many (article_id, related_id, rank, score, pinned) rows fast (COPY on PostgreSQL)."""
    if rows:
        bulk.write_rows(RelatedEntry, ENTRY_COLUMNS, rows)
