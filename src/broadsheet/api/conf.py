"""Content API settings, read in one place.

BROADSHEET_API_CORS_ORIGINS  origins allowed to read the API from a browser: ["*"] (default:
                             any site may read it; it is public, read-only and sends no
                             cookies) or a list such as ["https://app.example.org"]; [] = none.
BROADSHEET_API_PAGE_SIZE     items per page unless `page_size` asks otherwise (default 20)
BROADSHEET_API_MAX_PAGE_SIZE the most `page_size` may ask for (default 100)
BROADSHEET_API_MAX_AGE       seconds clients and proxies may reuse an answer (default 60)
"""

from django.conf import settings

from broadsheet.core import site


def cors_origins() -> list[str]:
    value = getattr(settings, "BROADSHEET_API_CORS_ORIGINS", ["*"])
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",") if item.strip()]
    return list(value)


def page_size() -> int:
    return int(getattr(settings, "BROADSHEET_API_PAGE_SIZE", 20))


def max_page_size() -> int:
    return int(getattr(settings, "BROADSHEET_API_MAX_PAGE_SIZE", 100))


def max_age() -> int:
    return int(getattr(settings, "BROADSHEET_API_MAX_AGE", 60))


site_url = site.site_url  # one rule for every app, in core
