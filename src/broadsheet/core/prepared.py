"""Querysets whose SQL is built once: for the fixed-shape queries a page runs on every request.

Building a queryset and compiling it to SQL costs more CPU than SQLite or PostgreSQL take to
answer a small indexed query. A `PreparedQuery` compiles its queryset once per database alias
(and per set of `fixed` values, and per length of each list parameter) and afterwards only runs
that SQL with the new parameter values, turning the rows into what the queryset would have
returned: model instances (with their select_related objects and annotations), dicts for
values(), tuples or flat values for values_list().

    story_by_slug = PreparedQuery(
        lambda slug, now: Article.objects.published(now=now).select_related("section").filter(slug=slug)
    )
    found = story_by_slug.all(slug=slug, now=timezone.now())

The function is called with stand-in values to learn where each parameter lands in the SQL, so
every value that may change between calls must be one of its parameters (a `timezone.now()`
inside it would be frozen at the first call: compiling twice catches that, and refuses). A
parameter is a scalar (an integer, a string, a date or time, a UUID) or a list of them (for
`__in`, or a pair of times): each length of a list is its own SQL, compiled once. None would
turn `= %s` into `IS NULL`, and a bool is usually a choice of shape, so both are refused.
Values that pick the shape (a LIMIT, a kind of page) go in `fixed`: each distinct set of them is
compiled once.

The function may also return `(sql, params)` written from querysets' own SQL (a UNION ALL of
parts, each read through its own index); then `model` names the model whose database it reads,
and the rows come back as the database driver gives them (tuples).

Rows become instances the short way: `Model.from_db` is handed every field, DEFERRED for those
not read (what it would make itself, after searching the names for each field; a model with a
from_db of its own gets the names as read). With `share_related`, a
select_related object read by several rows is one instance (a listing's stories share a few
sections): say so only where nothing changes those instances per row.

A compiled query is never invalidated: its shape is fixed by the code. Threads share compiled
queries read-only; two threads compiling the same shape at once both succeed, and one wins.
"""

import datetime
import inspect
import uuid
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import DEFERRED, Model, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    RelatedPopulator,
    ValuesIterable,
    ValuesListIterable,
)

__all__ = ["PreparedQuery", "UnpreparableQuery"]

Rows = list[Any]
Maker = Callable[[Rows], list[Any]]


class UnpreparableQuery(ValueError):
    """A queryset or a value that a PreparedQuery cannot run as compiled SQL."""


_SCALARS = frozenset({int, str, datetime.datetime, datetime.date, uuid.UUID})
_SHAPES = (bool, type(None), set, frozenset, dict)


# A stand-in of each parameter type, distinct per value and per compilation, that no real
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
    if kind in (list, tuple):
        raise UnpreparableQuery("a list's values are scalars: a list inside a list cannot be a parameter")
    if kind in _SHAPES:
        raise UnpreparableQuery(
            f"a {kind.__name__} cannot be a parameter (it changes the SQL's shape): pass it as a fixed value"
        )
    raise UnpreparableQuery(f"a prepared query cannot take a {kind.__name__} parameter")


def _adapter(kind: type) -> Callable[[Any, Any], Any] | None:
    """How the ORM hands a value of this type to the database driver: f(value, connection), or
    None when it goes as it is."""
    if kind is datetime.datetime:
        return lambda value, connection: connection.ops.adapt_datetimefield_value(value)
    if kind is datetime.date:
        return lambda value, connection: connection.ops.adapt_datefield_value(value)
    if kind is uuid.UUID:
        return lambda value, connection: value if connection.features.has_native_uuid_field else value.hex
    return None


def _plain(value: Any) -> tuple[Any, type]:
    """(value, its kind): a string's subclass (a SafeString from a template, a choice) goes in as
    a string; any other kind is judged when the query is compiled."""
    kind = type(value)
    if kind not in _SCALARS and isinstance(value, str):
        value = value.encode().decode()
        kind = str
    return value, kind


def _every_field(
    model: type[Model], init_list: list[str]
) -> tuple[list[str], Callable[[Any], list[Any]] | None]:
    """(field names, row part -> a value per concrete field with DEFERRED for those not read, or
    None when the row part already is that). Model.from_db given every field takes its short
    way; given fewer, it searches the names for each field. A model with its own from_db gets
    the names it was read with, as the ORM gives them."""
    attnames = [f.attname for f in model._meta.concrete_fields]
    if attnames == init_list or getattr(model.from_db, "__func__", None) is not Model.from_db.__func__:
        return init_list, None
    at = {name: n for n, name in enumerate(init_list)}
    picks = [at.get(name) for name in attnames]
    return attnames, lambda data: [DEFERRED if n is None else data[n] for n in picks]


def _related(klass_info: dict[str, Any], select: Any, alias: str) -> list[tuple[Any, ...]]:
    """How each select_related object of a row is made, as Django's RelatedPopulator makes it
    (whose figures these are), as tuples for the loop in _populate."""
    found = []
    for info in klass_info.get("related_klass_infos", []):
        populator = RelatedPopulator(info, select, alias)
        names, spread = _every_field(populator.model_cls, populator.init_list)
        reorder = populator.reorder_for_init
        found.append(
            (
                None if reorder else populator.cols_start,
                None if reorder else populator.cols_end,
                reorder,
                populator.pk_idx,
                populator.model_cls.from_db,
                names,
                spread,
                populator.local_setter,
                # A plain foreign key's remote setter does nothing: skip the call.
                populator.remote_setter if info["reverse"] or info["field"].unique else None,
                _related(info, select, alias),
                object(),  # this relation's key among the shared instances
            )
        )
    return found


def _populate(
    rows: Rows, objs: list[Any], related: list[tuple[Any, ...]], alias: str, seen: dict[Any, Any] | None
) -> None:
    """Set each select_related object of each row on that row's object; with `seen`, an object
    already made from another row is that instance."""
    for (
        start,
        end,
        reorder,
        pk_idx,
        from_db,
        names,
        spread,
        local_setter,
        remote_setter,
        children,
        key,
    ) in related:
        made = seen.setdefault(key, {}) if seen is not None else None
        for row, from_obj in zip(rows, objs, strict=True):
            data = reorder(row) if reorder else row[start:end]
            pk = data[pk_idx]
            if pk is None:
                local_setter(from_obj, None)
                continue
            obj = made.get(pk) if made is not None else None
            if obj is None:
                obj = from_db(alias, names, spread(data) if spread else data)
                if children:
                    _populate([row], [obj], children, alias, seen)
                if made is not None:
                    made[pk] = obj
            local_setter(from_obj, obj)
            if remote_setter:
                remote_setter(obj, from_obj)


def _model_maker(queryset: QuerySet, compiler: Any, alias: str, share_related: bool) -> Maker:
    if queryset._known_related_objects:
        raise UnpreparableQuery("a related manager's queryset is not supported: filter by the id")
    klass_info, select = compiler.klass_info, compiler.select
    annotations = list(compiler.annotation_col_map.items())
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names, spread = _every_field(model, [f[0].target.attname for f in select[start:end]])
    related = _related(klass_info, select, alias)
    from_db = model.from_db

    def make(rows: Rows) -> list[Any]:
        found = []
        for row in rows:
            data = row[start:end]
            found.append(from_db(alias, names, spread(data) if spread else data))
        if related:
            _populate(rows, found, related, alias, {} if share_related else None)
        for name, position in annotations:
            for row, obj in zip(rows, found, strict=True):
                setattr(obj, name, row[position])
        return found

    return make


def _values_maker(queryset: QuerySet) -> Maker:
    iterable = queryset._iterable_class
    query = queryset.query
    if iterable is ValuesIterable:
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        return lambda rows: [dict(zip(names, row, strict=False)) for row in rows]
    if iterable is FlatValuesListIterable:
        return lambda rows: [row[0] for row in rows]
    if iterable is ValuesListIterable:
        return lambda rows: [tuple(row) for row in rows]
    raise UnpreparableQuery(f"results of {iterable.__name__} are not supported")


class _Compiled:
    """One compiled shape: the SQL, its constant parameters, where each value goes, and how the
    rows become results."""

    def __init__(
        self,
        built: Any,
        second: Any,
        alias: str,
        names: list[str],
        stand_ins: list[Any],
        share_related: bool,
    ):
        connection = connections[alias]
        compiler = None
        if isinstance(built, QuerySet):
            compiler = built.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            other_sql, other_params = second.query.get_compiler(using=alias).as_sql()
        else:
            (sql, params), (other_sql, other_params) = built, second
        adapters = [_adapter(type(value)) for value in stand_ins]
        first = [
            adapt(value, connection) if adapt else value
            for adapt, value in zip(adapters, stand_ins, strict=True)
        ]
        where = {(type(value), value): index for index, value in enumerate(first)}
        slots = []  # (position in params, index of the value)
        for position, param in enumerate(params):
            try:
                index = where.get((type(param), param))
            except TypeError:  # unhashable (a list for an array), so no stand-in
                continue
            if index is not None:
                slots.append((position, index))
        used = {index for _, index in slots}
        missing = dict.fromkeys(names[i] for i in range(len(names)) if i not in used)
        if missing:
            raise UnpreparableQuery(
                f"parameter(s) {', '.join(missing)} do not reach the SQL as given (a lookup that "
                "changes the value, such as __contains, cannot be prepared)"
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
        # The values the driver takes otherwise than given: each adapted once per run, however
        # many places in the SQL it fills (the time now, in every part of a UNION).
        self.adapted = [(index, adapt) for index, adapt in enumerate(adapters) if adapt]
        self.alias = alias
        self.trim: int | None = None
        self.fields: list[Any] = []
        self.make: Maker | None = None  # None: the rows as the driver gives them
        if compiler is not None:
            self.trim = compiler.col_count if compiler.has_extra_select else None
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            if compiler.has_composite_fields(fields):
                raise UnpreparableQuery("composite fields are not supported")
            self.fields = fields
            if built._iterable_class is ModelIterable:
                self.make = _model_maker(built, compiler, alias, share_related)
            else:
                self.make = _values_maker(built)
        # Converters are the backend's bound methods: each thread's connection gets its own, so
        # none keeps another thread's connection alive or reads its state.
        self._converters: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()
        self._converters[connection] = self._converters_for(connection)
        # The last connection's converters, the common case kept without a WeakKeyDictionary
        # look-up: (a weak reference to the connection, its converters).
        self._last: tuple[Any, list[Any]] = (weakref.ref(connection), self._converters[connection])

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
        if self.adapted:
            values = values.copy()
            for index, adapt in self.adapted:
                values[index] = adapt(values[index], connection)
        params = self.params.copy()
        for position, index in self.slots:
            params[position] = values[index]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.trim is not None:
            rows = [row[: self.trim] for row in rows]
        last_connection, converters_here = self._last
        if last_connection() is not connection:
            converters_here = self._converters.get(connection)
            if converters_here is None:
                converters_here = self._converters[connection] = self._converters_for(connection)
            self._last = (weakref.ref(connection), converters_here)
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
        return self.make(rows) if self.make else rows


class _Nothing:
    """A shape that matches nothing (an empty list for `__in`): no query, as the ORM does."""

    def run(self, values: list[Any]) -> list[Any]:
        return []


class PreparedQuery:
    """A queryset of a fixed shape, compiled once per database, set of `fixed` values and length
    of each list parameter.

    `build` returns the queryset, or `(sql, params)` (then `model` names the model whose
    database it reads); its arguments are the parameters (a scalar or a list of scalars) and
    the names in `fixed` (compiled in: a LIMIT, a kind). `all(**values)` runs it and returns a
    list. With `share_related`, rows reading the same select_related row share its instance.
    Prefetching and a related manager's querysets are refused: fetch those with their own
    prepared query.
    """

    def __init__(
        self,
        build: Callable[..., Any],
        *,
        fixed: Iterable[str] = (),
        model: type[Model] | None = None,
        share_related: bool = False,
    ) -> None:
        self.build = build
        self.fixed = tuple(fixed)
        self.parameters = [n for n in inspect.signature(build).parameters if n not in self.fixed]
        self.share_related = share_related
        self._compiled: dict[tuple[Any, ...], _Compiled | _Nothing] = {}
        self._model: Any = model

    def all(self, *, using: str | None = None, **values: Any) -> list[Any]:
        given: list[Any] = []  # every value, a list's one by one
        kinds: list[Any] = []  # a type, or a tuple of types for a list
        try:
            for name in self.parameters:
                value = values[name]
                kind = type(value)
                if kind is list or kind is tuple:
                    elements = tuple(map(type, value))
                    if not _SCALARS.issuperset(elements):
                        value = [_plain(element)[0] for element in value]
                        elements = tuple(map(type, value))
                    given.extend(value)
                    kinds.append(elements)
                else:
                    if kind not in _SCALARS:
                        value, kind = _plain(value)
                    given.append(value)
                    kinds.append(kind)
            fixed = tuple(map(values.__getitem__, self.fixed))
        except KeyError as missing:
            raise TypeError(f"a value for {missing} is needed") from None
        if len(values) != len(self.parameters) + len(self.fixed):
            extra = set(values) - {*self.parameters, *self.fixed}
            raise TypeError(f"unknown parameter(s): {', '.join(sorted(extra))}")
        if using is None:
            if self._model is None:
                built = self._build(fixed, kinds, 0)[0]
                if not isinstance(built, QuerySet):
                    raise UnpreparableQuery("a build() that returns (sql, params) needs model=")
                self._model = built.model
            using = router.db_for_read(self._model)
        key = (using, fixed, *kinds)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, fixed, kinds)
        return compiled.run(given)

    def first(self, *, using: str | None = None, **values: Any) -> Any:
        found = self.all(using=using, **values)
        return found[0] if found else None

    def _build(
        self, fixed: tuple[Any, ...], kinds: list[Any], round_: int
    ) -> tuple[Any, list[Any], list[str]]:
        """(what build() returns for stand-in values, the stand-ins one by one, and the
        parameter each stand-in is for)."""
        stand_ins: list[Any] = []
        names: list[str] = []
        arguments = dict(zip(self.fixed, fixed, strict=True))
        for name, kind in zip(self.parameters, kinds, strict=True):
            if type(kind) is tuple:
                part = [_stand_in(k, len(stand_ins) + i, round_) for i, k in enumerate(kind)]
                stand_ins.extend(part)
                names.extend([name] * len(part))
                arguments[name] = part
            else:
                arguments[name] = _stand_in(kind, len(stand_ins), round_)
                stand_ins.append(arguments[name])
                names.append(name)
        built = self.build(**arguments)
        if isinstance(built, QuerySet):
            if built._prefetch_related_lookups:
                raise UnpreparableQuery("prefetch_related is not supported: prepare each query")
        elif not (isinstance(built, tuple) and len(built) == 2 and isinstance(built[0], str)):
            raise UnpreparableQuery("build() must return a QuerySet or (sql, params)")
        return built, stand_ins, names

    def _compile(self, using: str, fixed: tuple[Any, ...], kinds: list[Any]) -> "_Compiled | _Nothing":
        try:
            built, stand_ins, names = self._build(fixed, kinds, 0)
            second = self._build(fixed, kinds, 1)[0]
            if isinstance(built, QuerySet) != isinstance(second, QuerySet):
                raise UnpreparableQuery("build() must return the same kind of query each time")
            return _Compiled(built, second, using, names, stand_ins, self.share_related)
        except EmptyResultSet:
            return _Nothing()
