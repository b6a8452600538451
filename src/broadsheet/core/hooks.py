"""One registry of hooks: places where an app lets others add to what it does, without
importing them (the pattern of wagtail/hooks.py).

The app that calls a hook defines its name, once, where it calls it:

    ARTICLE_BLOCK = hooks.define("article_block", "(request, article) -> (template, context) or None")

Other apps register functions for it in their AppConfig.ready(), or with the decorator form:

    hooks.register(ARTICLE_BLOCK, related_block, order=10, name="related", shared=True)

    @hooks.register(BODY_FILTER)
    def add_srcset(html): ...

and the owner runs them in order: `for fn in hooks.get_hooks(ARTICLE_BLOCK): ...`, or reads
`hooks.get_entries(...)` when it needs each registration's name or options (`shared=True`).

Lower `order` runs first; equal orders go by name, so a page's blocks do not depend on the
order of INSTALLED_APPS. Registering the same name again (or, unnamed, the same function)
replaces the earlier registration, so a ready() that runs twice adds nothing twice. A name
nobody defined is refused with the closest defined one, so a typo fails at start-up instead
of leaving a block silently missing.
"""

import difflib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class UnknownHook(LookupError):
    """A hook name no app defined (usually a typo)."""


@dataclass(frozen=True)
class Hook:
    """One registration: the function, where it goes, and what its owner may need to know."""

    fn: Callable[..., Any]
    order: int = 0
    name: str | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


_lock = threading.Lock()
_defined: dict[str, str] = {}
# Each hook's registrations, kept sorted so that get_hooks() on a request path only copies.
_hooks: dict[str, tuple[Hook, ...]] = {}


def define(hook_name: str, doc: str = "") -> str:
    """Declare that `hook_name` exists (what its functions take and return, in `doc`); returns
    the name, for a constant the registering apps import."""
    with _lock:
        _defined.setdefault(hook_name, doc)
        _hooks.setdefault(hook_name, ())
    return hook_name


def defined_hooks() -> dict[str, str]:
    """{hook name: what its functions take and return} for every defined hook."""
    return dict(_defined)


def _known(hook_name: str) -> None:
    if hook_name in _defined:
        return
    close = difflib.get_close_matches(hook_name, list(_defined), n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownHook(
        f"No hook is called {hook_name!r}.{hint} Defined: {', '.join(sorted(_defined)) or 'none'}."
    )


def _sort_key(hook: Hook) -> tuple[int, str]:
    return (hook.order, hook.name or "")


def register(
    hook_name: str, fn: Callable[..., Any] | None = None, order: int = 0, *, name: str | None = None, **options: Any
) -> Any:
    """Register `fn` for `hook_name` and return it; without `fn`, a decorator that does so."""
    if fn is None:

        def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
            register(hook_name, function, order, name=name, **options)
            return function

        return decorator
    hook = Hook(fn=fn, order=order, name=name, options=MappingProxyType(dict(options)))
    with _lock:
        _known(hook_name)
        kept = [h for h in _hooks[hook_name] if not _same(h, hook)]
        # sorted() is stable: equal keys keep the order they were registered in.
        _hooks[hook_name] = tuple(sorted([*kept, hook], key=_sort_key))
    return fn


def _same(a: Hook, b: Hook) -> bool:
    if a.name is not None or b.name is not None:
        return a.name == b.name
    return a.fn == b.fn


def unregister(hook_name: str, fn_or_name: Callable[..., Any] | str) -> None:
    """Take a registration out again, by its name or its function."""
    with _lock:
        _known(hook_name)
        _hooks[hook_name] = tuple(
            h for h in _hooks[hook_name] if fn_or_name not in (h.name, h.fn)
        )


def get_entries(hook_name: str) -> list[Hook]:
    """The registrations for `hook_name`, in order (a new list each time)."""
    _known(hook_name)
    return list(_hooks[hook_name])


def get_hooks(hook_name: str) -> list[Callable[..., Any]]:
    """The functions registered for `hook_name`, in order (a new list each time)."""
    _known(hook_name)
    return [hook.fn for hook in _hooks[hook_name]]


@contextmanager
def register_temporarily(
    hook_name: str, fn: Callable[..., Any], order: int = 0, *, name: str | None = None, **options: Any
) -> Iterator[Callable[..., Any]]:
    """Register `fn` for the length of a `with` block (tests), then restore what was there."""
    with _lock:
        _known(hook_name)
        before = _hooks[hook_name]
    register(hook_name, fn, order, name=name, **options)
    try:
        yield fn
    finally:
        with _lock:
            _hooks[hook_name] = before
