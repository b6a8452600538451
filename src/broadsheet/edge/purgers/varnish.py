"""Varnish with the xkey module: `PURGE /` with the keys in an `xkey-purge` header (see the VCL
in broadsheet/edge/varnish/broadsheet.vcl, which allows it from the purgers' addresses only)."""

import logging
import urllib.request
from urllib.parse import urlsplit

from .. import conf
from ..middleware import STARTED
from .base import Purger

logger = logging.getLogger(__name__)


class VarnishPurger(Purger):
    batch_size = 200

    def __init__(self, *, url, **kwargs):
        super().__init__(**kwargs)
        self.url = url.rstrip("/") + "/"

    def send(self, keys):
        self.request("PURGE", self.url, headers={"xkey-purge": " ".join(keys)})

    def refresh_home(self):
        # As a reader asks (the site's Host: Varnish keeps a page per host), read to the end so
        # that Varnish keeps what it fetched.
        request = urllib.request.Request(self.url, headers={"Host": urlsplit(conf.site_url()).netloc})
        try:
            with urllib.request.urlopen(request, timeout=conf.REFRESH_TIMEOUT) as answer:
                answer.read()
                started = answer.headers.get(STARTED)
        except (OSError, ValueError) as error:
            logger.info("edge: %s: home not refreshed (%s)", self.name, type(error).__name__)
            return None
        try:
            return float(started) if started else None
        except ValueError:
            return None
