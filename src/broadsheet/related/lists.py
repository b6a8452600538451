"""Writing stored related lists, with editors' pins first and exclusions left out.

Every backend hands its computed lists to save_lists(); the page reads the result in one query.
"""

from collections import defaultdict

from django.db import connection

from .models import RelatedEntry, RelatedExclusion, RelatedPin

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


def save_lists(lists, *, length):
    """Replace the stored lists of the articles in `lists` ({article_id: [(related_id, score)]},
    best first). Call inside a transaction."""
    if not lists:
        return
    pins, exclusions = editors_choices(lists.keys())
    rows = []
    for article_id, computed in lists.items():
        rows.extend(entry_rows(article_id, computed, pins=pins, exclusions=exclusions, length=length))
    delete_entries(article_ids=lists.keys())
    insert_entries(rows)


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
    if not rows:
        return
    table = connection.ops.quote_name(RelatedEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
    bulk_insert(table, columns, rows)


def bulk_insert(table, columns, rows):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns.split(",")))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
