"""Counts without Redis: each read appends one short line to a spool file (O_APPEND writes
of a few bytes are atomic between processes); the worker renames the file away and adds up
its lines, so every read is counted once."""

import os
import time

from .. import conf
from .base import Counter


class SpoolCounter(Counter):
    def __init__(self):
        self.folder = conf.spool_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "reads.spool"
        self._fd = None
        self._pid = None

    def _handle(self):
        # One descriptor per process, opened again after a fork.
        if self._fd is None or self._pid != os.getpid() or not self.path.exists():
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def add(self, article_id, hour):
        os.write(self._handle(), f"{article_id} {hour}\n".encode())

    def drain(self):
        taken = self.folder / f"reads.{time.time_ns()}.draining"
        try:
            os.rename(self.path, taken)
        except FileNotFoundError:
            return {}
        # A process may still hold the old file open for one more write: give it a moment.
        time.sleep(0.05)
        counts = {}
        with open(taken, "rb") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 2 and parts[0].isascii() and parts[0].isdigit() and parts[1].isascii() and parts[1].isdigit():
                    key = (int(parts[0]), int(parts[1]))
                    counts[key] = counts.get(key, 0) + 1
        taken.unlink()
        return counts
