"""The WordPress importer's settings, read once here (every one optional)."""

from django.conf import settings

# Post meta keys holding the outlet a story came from and the original's address.
SOURCE_META_KEY = getattr(settings, "BROADSHEET_WORDPRESS_SOURCE_META", "source")
SOURCE_URL_META_KEY = getattr(settings, "BROADSHEET_WORDPRESS_SOURCE_URL_META", "source_url")
# The section for a post with no category at all.
DEFAULT_SECTION = getattr(settings, "BROADSHEET_WORDPRESS_DEFAULT_SECTION", "News")
