"""WSGI entry point for the production server (`broadsheet serve`).

Django is wrapped in the page cache, so an anonymous reader's cached page is answered before
the Django stack runs (BROADSHEET_PAGECACHE=False turns it off).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")

django_application = get_wsgi_application()

from broadsheet.pagecache.middleware import wrap  # noqa: E402  (needs the settings loaded above)

application = wrap(django_application)
