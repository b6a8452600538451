"""Querysets whose SQL is built once: for the fixed-shape queries a page runs on every request.

Building a queryset and compiling it to SQL costs more CPU than SQLite or PostgreSQL take to
answer a small indexed query. A `PreparedQuery` compiles its queryset once per database alias
(and per set of `fixed` values) and afterwards only runs that SQL with the new parameter values,
turning the rows into what the queryset would have returned: model instances (with their
select_related objects and annotations), dicts for values(), tuples or flat values for
values_list().

    story_by_slug = PreparedQuery(
        lambda slug, now: Article.objects.published(now=now).select_related("section").filter(slug=slug)
    )
    found = story_by_slug.all(slug=slug, now=timezone.now())

The function is called with stand-in values to learn where each parameter lands in the SQL, so
every value that may change between calls must be one of its parameters (a `timezone.now()`
inside it would be frozen at the first call: compiling twice catches that, and refuses). A
parameter is a scalar (an integer, a string, a date or time, a UUID): a list would change the SQL's
shape, and None would turn `= %s` into `IS NULL`, so both are refused. Values that pick the
shape (a LIMIT, a setting) go in `fixed`: each distinct set of them is compiled once.

A compiled query is never invalidated: its shape is fixed by the code. Threads share compiled
queries read-only; two threads compiling the same shape at once both succeed, and one wins.
"""

import datetime
import inspect
import uuid
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

__all__ = ["PreparedQuery", "UnpreparableQuery"]


class UnpreparableQuery(ValueError):
    """A queryset or a value that a PreparedQuery cannot run as compiled SQL."""


# A stand-in of each parameter type, distinct per parameter and per compilation, that no real
# query would hold. Strings use a private-use character.
def _stand_in(kind: type, index: int, round_: int) -> Any:
    n = 1 + index + 100 * round_
    if kind is int:
        return -7_300_000_000 - n
    if kind is str:
        return f"\ue000prepared:{n}\ue000"
    if kind is datetime.datetime:
        return datetime.datetime(1901, 2, 3, 4, 5, 6, n, tzinfo=datetime.UTC)
    if kind is datetime.date:
        return datetime.date(1901, 1, 1) + datetime.timedelta(days=n)
    if kind is uuid.UUID:
        return uuid.UUID(int=n)
    raise UnpreparableQuery(f"a prepared query cannot take a {kind.__name__} parameter")


def _adapter(kind: type) -> Callable[[Any, Any], Any]:
    """How the ORM hands a value of this type to the database driver: f(value, connection)."""
    if kind is datetime.datetime:
        return lambda value, connection: connection.ops.adapt_datetimefield_value(value)
    if kind is datetime.date:
        return lambda value, connection: connection.ops.adapt_datefield_value(value)
    if kind is uuid.UUID:
        return lambda value, connection: value if connection.features.has_native_uuid_field else value.hex
    return lambda value, connection: value


class _Compiled:
    """One compiled shape: the SQL, its constant parameters, where each parameter goes, and how
    the rows become results."""

    def __init__(
        self, queryset: QuerySet, alias: str, names: list[str], stand_ins: list[Any], second: QuerySet
    ):
        connection = connections[alias]
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = second.query.get_compiler(using=alias).as_sql()
        adapters = [_adapter(type(value)) for value in stand_ins]
        first = [adapt(value, connection) for adapt, value in zip(adapters, stand_ins, strict=True)]
        slots: list[tuple[int, int]] = []  # (position in params, parameter index)
        for position, value in enumerate(params):
            matches = [i for i, stand_in in enumerate(first) if _same(value, stand_in)]
            if matches:
                slots.append((position, matches[0]))
        used = {index for _, index in slots}
        missing = [names[i] for i in range(len(names)) if i not in used]
        if missing:
            raise UnpreparableQuery(
                f"parameter(s) {', '.join(missing)} do not reach the SQL as given (a lookup that "
                "changes the value, such as __contains or __in, cannot be prepared)"
            )
        varying = {position for position, _ in slots}
        if (
            sql != other_sql
            or len(params) != len(other_params)
            or any(params[i] != other_params[i] for i in range(len(params)) if i not in varying)
        ):
            raise UnpreparableQuery(
                "the query's SQL or constants change between builds: make every changing value "
                "(the time now, a setting) a parameter or a fixed value"
            )
        self.sql = sql
        self.params = list(params)
        self.slots = slots
        self.adapters = adapters
        self.kinds = [type(value) for value in stand_ins]
        self.alias = alias
        self.col_count = compiler.col_count
        self.trim = compiler.col_count if compiler.has_extra_select else None
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise UnpreparableQuery("composite fields are not supported")
        self.fields = fields
        # Converters are the backend's bound methods: each thread's connection gets its own, so
        # none keeps another thread's connection alive or reads its state.
        self._converters: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()
        self._converters[connection] = self._converters_for(connection)
        iterable = queryset._iterable_class
        query = queryset.query
        self.make: Callable[[list[list[Any]]], list[Any]]
        if iterable is ModelIterable:
            self.make = self._model_maker(queryset, compiler, alias)
        elif iterable is ValuesIterable:
            names_ = (
                list(query.selected)
                if query.selected
                else [
                    *query.extra_select,
                    *query.values_select,
                    *query.annotation_select,
                ]
            )
            self.make = lambda rows: [dict(zip(names_, row, strict=False)) for row in rows]
        elif iterable is FlatValuesListIterable:
            self.make = lambda rows: [row[0] for row in rows]
        elif iterable is ValuesListIterable:
            self.make = lambda rows: [tuple(row) for row in rows]
        else:
            raise UnpreparableQuery(f"results of {iterable.__name__} are not supported")

    @staticmethod
    def _model_maker(queryset: QuerySet, compiler: Any, alias: str) -> Callable[[list[list[Any]]], list[Any]]:
        if queryset._known_related_objects:
            raise UnpreparableQuery("a related manager's queryset is not supported: filter by the id")
        klass_info, select, annotations = compiler.klass_info, compiler.select, compiler.annotation_col_map
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        from_db = model.from_db

        def make(rows: list[list[Any]]) -> list[Any]:
            found = []
            for row in rows:
                obj = from_db(alias, init_list, row[start:end])
                for populator in populators:
                    populator.populate(row, obj)
                if annotations:
                    for name, position in annotations.items():
                        setattr(obj, name, row[position])
                found.append(obj)
            return found

        return make

    def _converters_for(self, connection: Any) -> list[tuple[int, tuple[list[Any], Any]]]:
        found = []
        for position, expression in enumerate(self.fields):
            if expression:
                converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                    connection
                )
                if converters:
                    found.append((position, (converters, expression)))
        return found

    def run(self, values: list[Any]) -> list[Any]:
        connection = connections[self.alias]
        params = self.params.copy()
        for position, index in self.slots:
            params[position] = self.adapters[index](values[index], connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.trim is not None:
            rows = [row[: self.trim] for row in rows]
        converters_here = self._converters.get(connection)
        if converters_here is None:
            converters_here = self._converters[connection] = self._converters_for(connection)
        if converters_here:
            converted = []
            for row in rows:
                row = list(row)
                for position, (converters, expression) in converters_here:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        return self.make(rows)


def _same(value: Any, stand_in: Any) -> bool:
    return type(value) is type(stand_in) and value == stand_in


class PreparedQuery:
    """A queryset of a fixed shape, compiled once per database and set of `fixed` values.

    `build` returns the queryset; its arguments are the parameters (any scalar) and the names in
    `fixed` (compiled in: a LIMIT, a setting). `all(**values)` runs it and returns a list.
    Prefetching and a related manager's querysets are refused: fetch those with their own
    prepared query.
    """

    def __init__(self, build: Callable[..., QuerySet], *, fixed: Iterable[str] = ()) -> None:
        self.build = build
        self.fixed = tuple(fixed)
        self.parameters = [n for n in inspect.signature(build).parameters if n not in self.fixed]
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}
        self._model: Any = None

    def all(self, *, using: str | None = None, **values: Any) -> list[Any]:
        try:
            given = [values[name] for name in self.parameters]
            fixed = tuple(values[name] for name in self.fixed)
        except KeyError as missing:
            raise TypeError(f"a value for {missing} is needed") from None
        if len(values) != len(self.parameters) + len(self.fixed):
            extra = set(values) - {*self.parameters, *self.fixed}
            raise TypeError(f"unknown parameter(s): {', '.join(sorted(extra))}")
        kinds = tuple(type(value) for value in given)
        if any(kind is not str and issubclass(kind, str) for kind in kinds):
            # A string's subclass (a SafeString from a template, a lazy name) goes in as a string.
            given = [value.encode().decode() if isinstance(value, str) else value for value in given]
            kinds = tuple(type(value) for value in given)
        if using is None:
            if self._model is None:
                self._model = self._build(fixed, kinds, 0)[0].model
            using = router.db_for_read(self._model)
        key = (using, fixed, kinds)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, fixed, kinds)
        return compiled.run(given)

    def first(self, *, using: str | None = None, **values: Any) -> Any:
        found = self.all(using=using, **values)
        return found[0] if found else None

    def _build(
        self, fixed: tuple[Any, ...], kinds: tuple[type, ...], round_: int
    ) -> tuple[QuerySet, list[Any]]:
        for kind in kinds:
            if kind is bool or kind is type(None) or kind in (list, tuple, set, frozenset, dict):
                raise UnpreparableQuery(
                    f"a {kind.__name__} cannot be a parameter (it changes the SQL's shape): "
                    "pass it as a fixed value"
                )
        stand_ins = [_stand_in(kind, i, round_) for i, kind in enumerate(kinds)]
        arguments = dict(zip(self.fixed, fixed, strict=True))
        queryset = self.build(**arguments, **dict(zip(self.parameters, stand_ins, strict=True)))
        if not isinstance(queryset, QuerySet):
            raise UnpreparableQuery("build() must return a QuerySet")
        if queryset._prefetch_related_lookups:
            raise UnpreparableQuery("prefetch_related is not supported: prepare each query")
        return queryset, stand_ins

    def _compile(self, using: str, fixed: tuple[Any, ...], kinds: tuple[type, ...]) -> _Compiled:
        queryset, stand_ins = self._build(fixed, kinds, 0)
        second, _ = self._build(fixed, kinds, 1)
        return _Compiled(queryset, using, self.parameters, stand_ins, second)
