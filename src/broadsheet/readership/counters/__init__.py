"""Read counters: one small interface (base.py), one module per backend, chosen once."""

from django.utils.module_loading import import_string

_counter = None


def get_counter():
    global _counter
    if _counter is None:
        from .. import conf

        _counter = import_string(conf.counter_path())()
    return _counter


def reset():
    """Forget the chosen backend (tests that change settings)."""
    global _counter
    _counter = None
