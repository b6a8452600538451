"""The uploads folder given to the importer: a wp-content/uploads copy or its tarball.

Files are found by their path under uploads/ (2026/03/bridge.jpg), whatever folders the copy
or the tarball puts before it. Nothing is extracted to disk; a tarball member is read only if it
is a regular file of reasonable size.
"""

import os
import tarfile
from pathlib import Path

MAX_FILE = 30 * 1024 * 1024


def relative_path(url_or_path: str) -> str:
    """2026/03/bridge.jpg from http://old.example/wp-content/uploads/2026/03/bridge.jpg."""
    value = (url_or_path or "").split("?", 1)[0].split("#", 1)[0]
    marker = "/uploads/"
    if marker in value:
        return value.split(marker, 1)[1].lstrip("/")
    if "://" in value:
        return ""
    return value.lstrip("/")


class Uploads:
    """read(relative path) -> bytes, or None when the file is not there."""

    def __init__(self, location: str | None):
        self.location = location
        self.problem = ""
        self._tar = None
        self._members = {}
        self._root = None
        if not location:
            self.problem = "no uploads folder given (--uploads): pictures are not imported"
            return
        path = Path(location)
        if path.is_dir():
            for candidate in (path / "wp-content" / "uploads", path / "uploads", path):
                if candidate.is_dir():
                    self._root = candidate
                    break
        elif path.is_file():
            try:
                self._tar = tarfile.open(path, "r:*")  # noqa: SIM115 (closed by close())
                for member in self._tar:
                    if member.isfile():
                        name = member.name.replace("\\", "/")
                        name = name.split("/uploads/", 1)[1] if "/uploads/" in name else name.removeprefix("uploads/")
                        self._members[name.lstrip("./")] = member
            except (tarfile.TarError, OSError, EOFError) as error:
                self.problem = f"the uploads tarball {location} cannot be read ({error}): pictures are not imported"
                self._tar = None
        else:
            self.problem = f"the uploads folder {location} does not exist: pictures are not imported"

    @property
    def available(self):
        return self._root is not None or self._tar is not None

    def read(self, relative: str) -> bytes | None:
        relative = (relative or "").lstrip("/")
        if not relative or ".." in relative.split("/"):
            return None
        if self._root is not None:
            target = self._root / relative
            try:
                if target.is_file() and os.path.getsize(target) <= MAX_FILE:
                    return target.read_bytes()
            except OSError:
                return None
            return None
        if self._tar is not None:
            member = self._members.get(relative)
            if member is None or member.size > MAX_FILE:
                return None
            handle = self._tar.extractfile(member)
            return handle.read() if handle else None
        return None

    def close(self):
        if self._tar is not None:
            self._tar.close()
