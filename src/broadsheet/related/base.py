"""The interface every related-stories backend provides; get_backend() picks one from settings."""

import functools
from abc import ABC, abstractmethod

from django.utils.module_loading import import_string


class RelatedBackend(ABC):
    """Computes related lists and keeps them stored (see lists.py): pages only read them."""

    @abstractmethod
    def rebuild(self, *, progress=None):
        """Recompute every published article's list from scratch. `progress(n)` is called as
        articles are read, as their lists are computed and as they are written (three times the
        number of articles in all). Returns the number of articles indexed."""

    @abstractmethod
    def update(self, article_ids):
        """Bring these articles up to date after a change: a published (or scheduled) one is
        indexed, gets its list, and enters the lists it now belongs in; any other is removed."""

    @abstractmethod
    def remove(self, article_ids):
        """Take these articles out of the index and out of every computed list."""

    @abstractmethod
    def recompute(self, article_ids):
        """Recompute these articles' own lists (after an editor pinned or excluded a story)."""


def get_backend() -> RelatedBackend:
    """The backend BROADSHEET_RELATED_BACKEND names, one instance per process and backend."""
    from . import conf

    return _backend(conf.backend())


@functools.cache
def _backend(dotted_path: str) -> RelatedBackend:
    return import_string(dotted_path)()
