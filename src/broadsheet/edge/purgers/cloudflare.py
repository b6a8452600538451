"""Cloudflare: purge by Cache-Tag (POST /client/v4/zones/{zone}/purge_cache {"tags": [...]},
up to 30 tags a request); an answer without "success": true is a failure."""

import json

from .base import PurgeFailed, Purger


class CloudflarePurger(Purger):
    batch_size = 30

    def __init__(self, *, zone, token, api="https://api.cloudflare.com", **kwargs):
        super().__init__(**kwargs)
        self.url = f"{api.rstrip('/')}/client/v4/zones/{zone}/purge_cache"
        self.token = token

    def send(self, keys):
        _status, body = self.request(
            "POST", self.url, headers={"Authorization": f"Bearer {self.token}"}, body={"tags": list(keys)}
        )
        try:
            ok = json.loads(body or b"{}").get("success") is True
        except ValueError:
            ok = False
        if not ok:
            raise PurgeFailed(f"{self.name}: Cloudflare did not confirm the purge")
