"""The newsroom's settings, read here when used.

BROADSHEET_PAGE_SIZE  stories on one page of a section, tag, author or source listing (20)
"""

from django.conf import settings


def page_size():
    return int(getattr(settings, "BROADSHEET_PAGE_SIZE", 20))
