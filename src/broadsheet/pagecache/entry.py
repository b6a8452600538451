"""A stored page: what Django answered, cut around its CSRF tokens, with a gzip copy.

A page holding a CSRF token is kept as the pieces between its tokens. Serving it puts a token
made for this reader between the pieces. The gzip copy is a deflate stream flushed at each cut,
so a reader's token goes in as a small uncompressed block without compressing the page again.
"""

import gzip
import hashlib
import struct
import zlib
from dataclasses import dataclass, field

from django.utils.http import http_date

from . import csrf

GZIP_MIN_BYTES = 512
GZIP_LEVEL = 6
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"

# Headers the cache writes itself on every answer.
_OWN_HEADERS = {"content-length", "etag", "last-modified", "set-cookie", "x-cache"}


@dataclass(slots=True)
class Entry:
    status: str
    headers: list
    pieces: tuple
    gzip_parts: tuple | None
    etag: str
    last_modified: float
    expires: float
    generation: int
    sets_csrf_cookie: bool
    slots: tuple = ()  # the purge slots of the surrogate keys the page declared
    size: int = 0
    # Ready-made answers for pages without tokens: (headers, body) per encoding.
    plain: tuple | None = field(default=None, repr=False)
    gzipped: tuple | None = field(default=None, repr=False)

    @property
    def has_tokens(self):
        return len(self.pieces) > 1

    def answer(self, label, *, token=None, accepts_gzip=False):
        """(headers, body) for one reader; `token` fills the CSRF gaps of a page with tokens."""
        if not self.has_tokens:
            headers, body = self.gzipped if accepts_gzip and self.gzipped else self.plain
            return [*headers, ("X-Cache", label)], body
        token_bytes = token.encode("ascii")
        body = token_bytes.join(self.pieces)
        encoding = []
        if accepts_gzip and self.gzip_parts is not None:
            body = splice_gzip(self.gzip_parts, token_bytes, body)
            encoding = [("Content-Encoding", "gzip")]
        return [
            *self.headers,
            *encoding,
            ("Content-Length", str(len(body))),
            ("X-Cache", label),
        ], body


def build(status, headers, body, *, secret, sets_csrf_cookie, generation, now, expires, browser_max_age, slots=()):
    """An Entry from Django's answer. `secret` is the reader's CSRF secret during that request."""
    pieces = csrf.split_on_tokens(body, secret) if secret and sets_csrf_cookie else [body]
    digest = hashlib.blake2b(digest_size=12)
    for piece in pieces:
        digest.update(piece)
        digest.update(b"\0token\0")
    etag = f'"{digest.hexdigest()}"'
    compressible = len(body) >= GZIP_MIN_BYTES
    kept = [(name, value) for name, value in headers if name.lower() not in _OWN_HEADERS]
    names = {name.lower() for name, _ in kept}
    if "cache-control" not in names:
        private = "private, " if len(pieces) > 1 else ""
        kept.append(("Cache-Control", f"{private}max-age={browser_max_age}, must-revalidate"))
    if compressible:
        kept = add_vary(kept, "Accept-Encoding")
    kept.append(("Last-Modified", http_date(now)))
    entry = Entry(
        status=status,
        headers=kept,
        pieces=tuple(pieces),
        gzip_parts=compress(pieces) if compressible else None,
        etag=etag,
        last_modified=int(now),
        expires=expires,
        generation=generation,
        sets_csrf_cookie=sets_csrf_cookie,
        slots=tuple(slots),
    )
    entry.size = sum(len(p) for p in pieces) + sum(len(p) for p in entry.gzip_parts or ()) + 1024
    if not entry.has_tokens:
        base = [*kept, ("ETag", "W/" + etag)]
        entry.plain = ([*base, ("Content-Length", str(len(body)))], body)
        if entry.gzip_parts is not None:
            packed = entry.gzip_parts[0]
            entry.gzipped = (
                [*base, ("Content-Encoding", "gzip"), ("Content-Length", str(len(packed)))],
                packed,
            )
    return entry


def add_vary(headers, value):
    out, done = [], False
    for name, current in headers:
        if name.lower() == "vary":
            present = {v.strip().lower() for v in current.split(",")}
            if value.lower() not in present:
                current = f"{current}, {value}"
            done = True
        out.append((name, current))
    if not done:
        out.append(("Vary", value))
    return out


def compress(pieces):
    """A whole gzip file for one piece; raw deflate chunks, flushed at each cut, for several."""
    if len(pieces) == 1:
        return (gzip.compress(pieces[0], compresslevel=GZIP_LEVEL, mtime=0),)
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
    # A full flush ends byte-aligned and forgets the window, so bytes put between two chunks
    # are never referred to by the chunk after them.
    parts = [compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH) for piece in pieces[:-1]]
    parts.append(compressor.compress(pieces[-1]) + compressor.flush())
    return tuple(parts)


def splice_gzip(parts, token, body):
    """A gzip file of `body` from the precompressed chunks, with `token` as stored blocks between."""
    stored_block = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
    trailer = struct.pack("<II", zlib.crc32(body) & 0xFFFFFFFF, len(body) & 0xFFFFFFFF)
    return _GZIP_HEADER + stored_block.join(parts) + trailer
