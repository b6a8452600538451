"""Fastly: purge by surrogate key in batches (POST /service/{id}/purge, keys in the
Surrogate-Key header, up to 256 a request)."""

from .base import Purger


class FastlyPurger(Purger):
    batch_size = 256

    def __init__(self, *, service, token, api="https://api.fastly.com", soft=False, **kwargs):
        super().__init__(**kwargs)
        self.url = f"{api.rstrip('/')}/service/{service}/purge"
        self.token = token
        self.soft = soft

    def send(self, keys):
        headers = {"Fastly-Key": self.token, "Surrogate-Key": " ".join(keys), "Accept": "application/json"}
        if self.soft:
            headers["Fastly-Soft-Purge"] = "1"
        self.request("POST", self.url, headers=headers)
