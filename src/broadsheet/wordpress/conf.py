"""The WordPress importer's settings, read here when used (every one optional).

BROADSHEET_WORDPRESS_SOURCE_META      post meta key holding the outlet a story came from ("source")
BROADSHEET_WORDPRESS_SOURCE_URL_META  post meta key holding the original's address ("source_url")
BROADSHEET_WORDPRESS_DEFAULT_SECTION  the section for a post with no category at all ("News")
"""

from django.conf import settings


def source_meta_key():
    return str(getattr(settings, "BROADSHEET_WORDPRESS_SOURCE_META", "source"))


def source_url_meta_key():
    return str(getattr(settings, "BROADSHEET_WORDPRESS_SOURCE_URL_META", "source_url"))


def default_section():
    return str(getattr(settings, "BROADSHEET_WORDPRESS_DEFAULT_SECTION", "News"))
