"""The related app's settings, read once here (every one optional)."""

import os

from django.conf import settings

# Dotted path of the backend class (one module per backend; see base.py).
BACKEND = getattr(settings, "BROADSHEET_RELATED_BACKEND", "broadsheet.related.tfidf.TfidfBackend")
# How many related stories show under an article.
SHOWN = getattr(settings, "BROADSHEET_RELATED_SHOWN", 5)
# Engine knobs overriding vectors.Tuning, e.g. {"stored": 10, "proximity_days": 14}.
TUNING = getattr(settings, "BROADSHEET_RELATED_TUNING", {})
# A bulk load (seed, import) of more articles than this queues a full rebuild instead.
BULK_LIMIT = getattr(settings, "BROADSHEET_RELATED_BULK_LIMIT", 2000)
# Processes that read and analyse articles during a large rebuild (1 = all in one process).
REBUILD_PROCESSES = getattr(settings, "BROADSHEET_RELATED_REBUILD_PROCESSES", min(2, os.cpu_count() or 1))
