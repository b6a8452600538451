"""Settings of the shared infrastructure, read when used (so a test or a reload sees changes).

BROADSHEET_BEHIND_PROXY     requests come through one or more reverse proxies (default false)
BROADSHEET_PROXY_COUNT      how many proxies each add an X-Forwarded-For entry (default 1)
BROADSHEET_TRUSTED_PROXIES  addresses or networks of those proxies, e.g. ["10.0.0.0/8"]; when
                            set, it is used instead of the count
BROADSHEET_MAX_REQUEST_BYTES the largest request body accepted (default 16 MB); larger ones are
                            refused with 413 before they are read
BROADSHEET_WORKER_STALE_SECONDS a task worker not heard from for this long is taken for dead and
                            its running tasks run again (default 60)
"""

import ipaddress

from django.conf import settings


def behind_proxy():
    return bool(getattr(settings, "BEHIND_PROXY", False))


def proxy_count():
    return int(getattr(settings, "BROADSHEET_PROXY_COUNT", 1))


def trusted_proxies():
    value = getattr(settings, "BROADSHEET_TRUSTED_PROXIES", [])
    if isinstance(value, str):
        value = [item for item in value.replace(",", " ").split() if item]
    return [ipaddress.ip_network(item, strict=False) for item in value]


def max_request_bytes():
    return int(getattr(settings, "BROADSHEET_MAX_REQUEST_BYTES", 16 * 1024 * 1024))


def worker_stale_seconds():
    return int(getattr(settings, "BROADSHEET_WORKER_STALE_SECONDS", 60))


def worker_beat_seconds():
    """How often a worker beats: several times within the stale time, at most every 10 s."""
    return max(1, min(10, worker_stale_seconds() // 4))
