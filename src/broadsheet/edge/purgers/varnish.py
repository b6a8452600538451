"""Varnish with the xkey module: `PURGE /` with the keys in an `xkey-purge` header (see the VCL
in broadsheet/edge/varnish/broadsheet.vcl, which allows it from the purgers' addresses only)."""

from .base import Purger


class VarnishPurger(Purger):
    batch_size = 200

    def __init__(self, *, url, **kwargs):
        super().__init__(**kwargs)
        self.url = url.rstrip("/") + "/"

    def send(self, keys):
        self.request("PURGE", self.url, headers={"xkey-purge": " ".join(keys)})
