"""Run in fresh processes by test_rate_limits: count hits from a process of its own."""

import os
import time


def hits_at(start_at, scope, count, limit):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from broadsheet.core.antispam import hit_rate_limit

    time.sleep(max(0.0, start_at - time.time()))
    return [hit_rate_limit(scope, "203.0.113.5", limit=limit, window=3600) for _ in range(count)]
