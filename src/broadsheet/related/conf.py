"""The related app's settings, read here when used (every one optional), so a changed setting
(`override_settings` in a test) takes effect without a reimport.

BROADSHEET_RELATED_BACKEND            dotted path of the backend class (one module per backend;
                                      see base.py)
BROADSHEET_RELATED_SHOWN              how many related stories show under an article (5)
BROADSHEET_RELATED_TUNING             engine knobs overriding vectors.Tuning, e.g.
                                      {"stored": 10, "proximity_days": 14}
BROADSHEET_RELATED_BULK_LIMIT         a bulk load (seed, import) of more articles than this
                                      queues a full rebuild instead (2000)
BROADSHEET_RELATED_REBUILD_PROCESSES  processes that read and analyse articles during a large
                                      rebuild (1 = all in one process; default min(2, CPUs))
"""

import os

from django.conf import settings


def backend():
    return getattr(settings, "BROADSHEET_RELATED_BACKEND", "broadsheet.related.tfidf.TfidfBackend")


def shown():
    return int(getattr(settings, "BROADSHEET_RELATED_SHOWN", 5))


def tuning():
    return dict(getattr(settings, "BROADSHEET_RELATED_TUNING", {}))


def bulk_limit():
    return int(getattr(settings, "BROADSHEET_RELATED_BULK_LIMIT", 2000))


def rebuild_processes():
    return int(getattr(settings, "BROADSHEET_RELATED_REBUILD_PROCESSES", min(2, os.cpu_count() or 1)))
