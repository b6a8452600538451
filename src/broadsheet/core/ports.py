"""Is a port already served, and by which process? (`broadsheet serve` refuses a taken port.)"""

import errno
import os
import socket
from pathlib import Path

LISTEN = "0A"


def holder_of(host, port):
    """None when `port` on `host` is free to listen on; else a description of its holder."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # Connections of an earlier server still closing (TIME_WAIT) do not make a port taken;
        # a listening socket does, even one opened with SO_REUSEPORT, as granian's are.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                return None  # not ours to judge (no such address...): the server will say
            return describe_listener(port) or "another process"
    return None


def _listening_inodes(port):
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def describe_listener(port):
    """"process 1234 (granian --interface wsgi ...)" for the lowest pid listening on `port`
    that this user may see, or None (not Linux, or another user's process)."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    targets = {f"socket:[{inode}]" for inode in inodes}
    for pid in sorted(int(name) for name in os.listdir("/proc") if name.isdigit()):
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        except OSError:
            continue
        if links & targets:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                command = "?"
            return f"process {pid} ({command[:120]})"
    return None
