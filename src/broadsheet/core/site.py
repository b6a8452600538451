"""The site's own name and address, read in one place for every app (feeds, emails, the API)."""

from django.conf import settings


def site_url() -> str:
    """The public address of the site, without a trailing slash (BROADSHEET_SITE_URL)."""
    return settings.BROADSHEET_SITE_URL.rstrip("/")


def site_name() -> str:
    return settings.BROADSHEET_SITE_NAME
