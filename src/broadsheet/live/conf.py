"""Live-page settings, read here and nowhere else.

BROADSHEET_LIVE_POLL_SECONDS  how often a reader's page asks for new updates (15)
"""

from django.conf import settings


def poll_seconds():
    return float(getattr(settings, "BROADSHEET_LIVE_POLL_SECONDS", 15))
