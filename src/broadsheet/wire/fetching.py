"""Fetching a feed over HTTP with limits: conditional GET, socket timeouts, a deadline for the
whole reply, a size cap, and a bounded number of redirects. Every failure becomes a FetchError
with a message an editor can read on the feed's health."""

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from . import conf


class FetchError(Exception):
    """Why a fetch gave nothing; the message is shown on the feed's health."""


@dataclass
class Fetched:
    status: int  # 200 or 304
    url: str  # after redirects
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_repeats = 2

    @property
    def max_redirections(self):  # read per redirect: the opener is built once, at import
        return conf.fetch_max_redirects()

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise FetchError(f"Redirect to a non-web address refused: {newurl[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_Redirects)


def fetch(url, *, etag="", last_modified="", timeout=None, deadline=None, max_bytes=None):
    """GET `url`. Returns Fetched (status 304 with no body when nothing changed); raises FetchError."""
    timeout = conf.fetch_timeout() if timeout is None else timeout
    deadline = conf.fetch_deadline() if deadline is None else deadline
    max_bytes = conf.fetch_max_bytes() if max_bytes is None else max_bytes
    headers = {
        "User-Agent": conf.user_agent(),
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    started = time.monotonic()
    try:
        response = _opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(status=304, url=error.url or url, etag=etag, last_modified=last_modified)
        if 300 <= error.code < 400:
            raise FetchError(
                f"Too many redirects (more than {conf.fetch_max_redirects()}) or a redirect loop"
            ) from None
        raise FetchError(f"The server answered {error.code} {error.reason}") from None
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(f"No answer within {timeout:g} s") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"No answer within {timeout:g} s") from None
        raise FetchError(f"Could not connect: {reason}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise FetchError(f"Could not fetch: {error!r}") from None
    with response:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"Too large: {int(length):,} bytes (the limit is {max_bytes:,})")
        chunks, size = [], 0
        try:
            while True:
                if time.monotonic() - started > deadline:
                    raise FetchError(f"The reply did not finish within {deadline:g} s")
                chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"Too large: more than {max_bytes:,} bytes")
                chunks.append(chunk)
        except TimeoutError:
            raise FetchError(f"The reply stalled for more than {timeout:g} s") from None
        except FetchError:
            raise
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"The connection broke: {error!r}") from None
        return Fetched(
            status=response.status,
            url=response.url,
            body=b"".join(chunks),
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag", "")[:300],
            last_modified=response.headers.get("Last-Modified", "")[:100],
        )
