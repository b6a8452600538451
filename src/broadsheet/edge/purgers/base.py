"""The purger interface: send one batch of surrogate keys to a shared cache."""

import json
import urllib.error
import urllib.request


class PurgeFailed(Exception):
    """The shared cache did not confirm the purge; the keys stay queued and are sent again."""


class Purger:
    # Keys per request the shared cache takes (its documented limit).
    batch_size = 100

    def __init__(self, *, name, timeout=2.0):
        self.name = name
        self.timeout = timeout

    def purge(self, keys):
        """Purge every cached page naming one of `keys`; raise PurgeFailed when not confirmed."""
        for start in range(0, len(keys), self.batch_size):
            self.send(keys[start : start + self.batch_size])

    def send(self, keys):
        raise NotImplementedError

    def request(self, method, url, *, headers, body=None):
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers = {**headers, "Content-Type": "application/json"}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            raise PurgeFailed(f"{self.name}: {error.code} from {url}") from None
        except (OSError, ValueError) as error:
            raise PurgeFailed(f"{self.name}: {type(error).__name__} for {url}") from None
