"""The stories lists of teasers show (the front page, section, tag, author, source and archive
pages, "most read"), read with SQL built once per process.

A front page runs the same few small indexed queries for every full render, and building each
queryset and compiling it to SQL costs more CPU than the database takes to answer it. So each
query shape here is compiled once (per database and shape: the number of ids asked for, the
number of section blocks) with stand-in values, and later runs only swap in this request's
values. The rows become what the queryset would give: Article instances with their section and
source (one instance per section or source a page shows, not one per story), or tuples.

This is local to the listings on purpose; `CompiledQuery` is small and private to them.
"""

import datetime
import threading

from django.db import connections, router
from django.db.models import DEFERRED, Q, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone

from .models import Article
from .pagination import keyset_page_by

_FIRST_STAND_IN = -7_340_233_000


def _stand_in(kind, n):
    """A value of `kind` no real query holds, distinct for each n."""
    if kind is int:
        return _FIRST_STAND_IN - n
    if kind is str:
        return f"\ue000stand-in {n}\ue000"
    if kind is datetime.datetime:
        return datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(seconds=n)
    raise TypeError(f"a compiled query takes no {kind.__name__} value")


def _adapter(kind, connection):
    if kind is datetime.datetime:
        return connection.ops.adapt_datetimefield_value
    return None


class _Shape:
    """One compiled shape: the SQL, its parameters with the slots each value fills, and how the
    rows become results."""

    def __init__(self, built, alias, stand_ins):
        connection = connections[alias]
        adapters = [_adapter(type(value), connection) for value in stand_ins]
        adapted = [adapt(value) if adapt else value for adapt, value in zip(adapters, stand_ins, strict=True)]
        self.alias = alias
        self.adapters = adapters
        self.converters = []
        self.make = None
        if isinstance(built, QuerySet):
            compiler = built.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            fields = [s[0] for s in compiler.select[: compiler.col_count]]
            self.converters = list(compiler.get_converters(fields).items())
            self.columns = compiler.col_count
            if built._iterable_class is ModelIterable:
                self.make = _model_maker(compiler, alias)
        else:  # (sql, params) written from querysets' SQL (a UNION of parts)
            sql, params = built
            self.columns = None
        where = {(type(value), value): n for n, value in enumerate(adapted)}
        self.slots = [
            (position, where[type(p), p]) for position, p in enumerate(params) if (type(p), p) in where
        ]
        if {n for _position, n in self.slots} != set(range(len(stand_ins))):
            raise ValueError("a value of the compiled query does not reach its SQL unchanged")
        self.sql = sql
        self.params = list(params)

    def run(self, values):
        params = self.params.copy()
        adapters = self.adapters
        for position, n in self.slots:
            adapt = adapters[n]
            params[position] = adapt(values[n]) if adapt else values[n]
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            converted = []
            for row in rows:
                row = list(row)
                for position, (converters, expression) in self.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        return self.make(rows) if self.make else rows


def _row_to_fields(model, init_list):
    """(field names, row part -> one value per concrete field, DEFERRED for those not read): so
    from_db() takes its short way (given fewer values, it searches the names for each field)."""
    attnames = [f.attname for f in model._meta.concrete_fields]
    if attnames == init_list:
        return attnames, None
    at = {name: n for n, name in enumerate(init_list)}
    picks = [at.get(name) for name in attnames]
    return attnames, lambda data: [DEFERRED if n is None else data[n] for n in picks]


def _model_maker(compiler, alias):
    """rows -> instances, as the ORM makes them, except that a related object (select_related)
    seen before in the same rows is the same instance: a page's stories share a few sections."""
    klass_info, select = compiler.klass_info, compiler.select
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    model = klass_info["model"]
    names, spread = _row_to_fields(model, [f[0].target.attname for f in select[start:end]])
    related = []
    for populator in get_related_populators(klass_info, select, alias):
        if populator.reorder_for_init or populator.related_populators:
            raise ValueError("only a plain select_related of direct foreign keys is compiled")
        related.append((populator, *_row_to_fields(populator.model_cls, populator.init_list)))

    def make(rows):
        found, seen = [], {}
        for row in rows:
            data = row[start:end]
            obj = model.from_db(alias, names, spread(data) if spread else data)
            for populator, other_names, other_spread in related:
                data = row[populator.cols_start : populator.cols_end]
                pk = data[populator.pk_idx]
                if pk is None:
                    other = None
                else:
                    other = seen.get((populator.model_cls, pk))
                    if other is None:
                        other = seen[populator.model_cls, pk] = populator.model_cls.from_db(
                            alias, other_names, other_spread(data) if other_spread else data
                        )
                populator.local_setter(obj, other)
            found.append(obj)
        return found

    return make


class CompiledQuery:
    """A query of a fixed shape: `build(*values, **fixed)` returns the queryset (or (sql,
    params)). Each value is a scalar (int, str, aware datetime) or a list of them and must reach
    the SQL as a parameter unchanged; `fixed` values (a LIMIT) are compiled in. Compiled once
    per database, fixed values and kind and length of the values."""

    def __init__(self, build, model=Article):
        self.build = build
        self.model = model
        self._shapes = {}
        self._lock = threading.Lock()

    def __call__(self, *values, **fixed):
        alias = router.db_for_read(self.model)
        flat, kinds = [], []
        for value in values:
            if isinstance(value, list | tuple):
                flat.extend(value)
                kinds.append((list, len(value), type(value[0]) if value else None))
            else:
                flat.append(value)
                kinds.append(type(value))
        key = (alias, *kinds, *sorted(fixed.items()))
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._compile(alias, values, fixed)
            with self._lock:
                self._shapes[key] = shape
        return shape.run(flat)

    def _compile(self, alias, values, fixed):
        counter = iter(range(1_000_000))
        stand_ins, arguments = [], []
        for value in values:
            if isinstance(value, list | tuple):
                part = [_stand_in(type(v), next(counter)) for v in value]
                stand_ins.extend(part)
                arguments.append(part)
            else:
                stand_in = _stand_in(type(value), next(counter))
                stand_ins.append(stand_in)
                arguments.append(stand_in)
        return _Shape(self.build(*arguments, **fixed), alias, stand_ins)


# The labels of the front page's id query's parts that are not a section block.
_LATEST, _PINNED = -1, -2


def _front_page_query(now, section_ids, *, depth):
    """One query for every id the front page needs: the `depth` newest stories, the pinned
    lead, and each section's `depth` newest, each part read through its own index (so the cost
    does not grow with the number of stories). Part n of the sections is labelled n."""
    newest = Article.objects.published(now=now).order_by("-publish_at", "-id").values_list("pk", flat=True)
    pinned = Article.objects.published(now=now).pinned().values_list("pk", flat=True)[:1]
    parts = [(_LATEST, newest[:depth]), (_PINNED, pinned)]
    parts += [(n, newest.filter(section_id=section_id)[:depth]) for n, section_id in enumerate(section_ids)]
    sqls, params = [], []
    for label, queryset in parts:
        sql, own = queryset.query.sql_with_params()
        sqls.append(f"SELECT {int(label)}, * FROM ({sql}) AS part{len(sqls)}")
        params.extend(own)
    return " UNION ALL ".join(sqls), params


_front_page_ids = CompiledQuery(_front_page_query)


def front_page_ids(section_ids, *, depth, now):
    """(the newest ids, the pinned lead's id or None, {section id: its newest ids}), newest
    first, `depth` of each, in one query."""
    section_ids = list(section_ids)
    latest, pinned, blocks = [], None, {section_id: [] for section_id in section_ids}
    for label, pk in _front_page_ids(now, section_ids, depth=depth):
        if label == _LATEST:
            latest.append(pk)
        elif label == _PINNED:
            pinned = pk
        else:
            blocks[section_ids[label]].append(pk)
    return latest, pinned, blocks


_stories = CompiledQuery(lambda ids: Article.objects.for_listing().filter(pk__in=ids).order_by())


def stories_by_id(ids):
    """{id: Article} of the stories with these ids (what a teaser shows: no body; the section
    and source loaded), whatever their status: the caller chose the ids."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    return {story.pk: story for story in _stories(ids)}


# What each kind of listing page lists, from the published stories and its subject's id (or,
# for a date archive, [start, end]).
_LISTED = {
    "section": lambda stories, subject: stories.in_section(subject),
    "tag": lambda stories, subject: stories.filter(tags=subject),
    "author": lambda stories, subject: stories.filter(authors=subject),
    "source": lambda stories, subject: stories.filter(source=subject),
    "archive": lambda stories, span: stories.filter(publish_at__gte=span[0], publish_at__lt=span[1]),
}


def _page_query(now, subject, *cursor, kind, direction, count):
    stories = _LISTED[kind](Article.objects.published(now=now), subject).for_listing()
    if direction == "after":
        when, pk = cursor
        return stories.filter(Q(publish_at__gt=when) | Q(publish_at=when, pk__gt=pk)).order_by(
            "publish_at", "id"
        )[:count]
    if cursor:
        when, pk = cursor
        stories = stories.filter(Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk))
    return stories.order_by("-publish_at", "-id")[:count]


_pages = CompiledQuery(_page_query)


class Listed:
    """The stories of a section, tag, author or source (its id), or of a date archive
    ([start, end]), a page at a time (pagination.keyset_page_by), each page one compiled query."""

    def __init__(self, kind, subject):
        self.kind = kind
        self.subject = subject

    def page(self, params, size, now=None):
        now = now or timezone.now()

        def fetch(direction, cursor, count):
            return _pages(
                now, self.subject, *(cursor or ()), kind=self.kind, direction=direction, count=count
            )

        return keyset_page_by(fetch, params, size)
