"""Near-duplicate fingerprints: word shingles summed up as a MinHash signature, cut into bands.

One-permutation MinHash: each shingle is hashed once; the top bits pick one of BINS bins and the
smallest value per bin is kept (empty bins borrow from their right neighbour). Two texts share a
bin's value with a probability equal to their Jaccard similarity, so the share of equal bins
estimates it. Bands of ROWS_PER_BAND bins are hashed into keys; texts sharing any key are the
only candidates compared, found through an index instead of reading every article.
"""

import hashlib
import re
import struct

from broadsheet.core.text import STOP_WORDS

BINS = 32
ROWS_PER_BAND = 2
BANDS = BINS // ROWS_PER_BAND
SHINGLE_WORDS = 3
_BIN_BITS = 5
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_PACK = struct.Struct(f">{BINS}Q")

_WORD = re.compile(r"\w+")


def words(text):
    return _WORD.findall((text or "").casefold())


def shingles(text):
    content = [w for w in words(text) if w not in STOP_WORDS]
    if len(content) < SHINGLE_WORDS:
        return {" ".join(content)} if content else set()
    return {" ".join(content[i : i + SHINGLE_WORDS]) for i in range(len(content) - SHINGLE_WORDS + 1)}


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def signature(text):
    """A tuple of BINS integers, or None when the text has no words."""
    found = shingles(text)
    if not found:
        return None
    mins = [None] * BINS
    for shingle in found:
        h = _hash64(shingle.encode("utf-8", "replace"))
        b, v = h >> _VALUE_BITS, h & _VALUE_MASK
        if mins[b] is None or v < mins[b]:
            mins[b] = v
    filled = list(mins)
    for i in range(BINS):
        if mins[i] is None:
            for distance in range(1, BINS):
                value = mins[(i + distance) % BINS]
                if value is not None:
                    filled[i] = _hash64(f"{value}:{distance}".encode()) & _VALUE_MASK
                    break
    return tuple(filled)


def similarity(a, b):
    """Estimated Jaccard similarity of two signatures, 0.0 to 1.0."""
    if not a or not b:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / BINS


def band_keys(sig):
    """One signed 64-bit key per band (fits a BigIntegerField)."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        data = struct.pack(f">B{ROWS_PER_BAND}Q", band, *rows)
        keys.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True))
    return keys


def pack(sig):
    return _PACK.pack(*sig)


def unpack(data):
    return _PACK.unpack(bytes(data)) if data else None


def text_hash(text):
    """Same words in the same order, whatever the case, spacing or punctuation: same hash."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8", "replace")).hexdigest()
