"""Running Debian's Varnish in front of Broadsheet: the VCL filled in, varnishd started."""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

VCL = Path(__file__).resolve().parent / "broadsheet.vcl"
VARNISHD = "/usr/sbin/varnishd"


def find_varnishd():
    """The varnishd binary and whether the xkey module is there, or None."""
    binary = shutil.which("varnishd") or (VARNISHD if os.path.exists(VARNISHD) else None)
    if not binary:
        return None
    found = subprocess.run([binary, "-x", "parameter"], capture_output=True, text=True)
    match = re.search(r"vmod_path\s.*?Default is (\S+)", found.stdout, re.S)
    paths = (match.group(1) if match else "/usr/lib/x86_64-linux-gnu/varnish/vmods").split(":")
    if not any(Path(p, "libvmod_xkey.so").exists() for p in paths):
        return None
    return binary


def render_vcl(*, backend_host, backend_port, hosts, purgers=("127.0.0.1", "::1")):
    """The shipped VCL for one origin; `hosts` are the host names the site serves."""
    alternatives = []
    for host in (h.lower() for h in hosts if h and h != "*"):
        # ALLOWED_HOSTS' ".example.org" is the domain and every subdomain.
        alternatives.append(f"(.+\\.)?{re.escape(host[1:])}" if host.startswith(".") else re.escape(host))
    pattern = f"^({'|'.join(alternatives)})(:[0-9]+)?$" if alternatives else "."
    text = VCL.read_text()
    return (
        text.replace("@BACKEND_HOST@", backend_host)
        .replace("@BACKEND_PORT@", str(backend_port))
        .replace("@HOSTS@", pattern.replace('"', ""))
        .replace("@PURGERS@", "\n    ".join(f'"{p}";' for p in purgers))
    )


def command(binary, *, listen, vcl_path, workdir, memory="256m"):
    return [
        binary,
        "-F",  # in the foreground: its parent stops it
        "-a",
        listen,
        "-f",
        str(vcl_path),
        "-n",
        str(workdir),
        "-s",
        f"malloc,{memory}",
        "-p",
        "default_ttl=0",
        "-p",
        "feature=+http2",
    ]


def start(*, listen_host, listen_port, backend_host, backend_port, hosts, workdir=None, **popen):
    """Start varnishd (a child process) and return (process, workdir)."""
    binary = find_varnishd()
    if binary is None:
        raise RuntimeError(
            "Varnish with the xkey module is not installed: apt-get install varnish varnish-modules"
        )
    workdir = Path(workdir or tempfile.mkdtemp(prefix="broadsheet-varnish-"))
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)  # varnishd's compiler runs as an unprivileged user and must read it
    vcl_path = workdir / "broadsheet.vcl"
    vcl_path.write_text(render_vcl(backend_host=backend_host, backend_port=backend_port, hosts=hosts))
    vcl_path.chmod(0o644)
    process = subprocess.Popen(
        command(binary, listen=f"{listen_host}:{listen_port}", vcl_path=vcl_path, workdir=workdir), **popen
    )
    return process, workdir


def serve_in_front(host, port, app_port, env):
    """For `broadsheet serve --with-varnish`: Varnish on `port` in front of the app server on
    `app_port`, and `env` (the servers' and worker's) set to purge it. Returns the process."""
    import json

    from django.conf import settings

    env.setdefault(
        "BROADSHEET_EDGE_PURGERS", json.dumps([{"kind": "varnish", "url": f"http://127.0.0.1:{port}"}])
    )
    process, _workdir = start(
        listen_host=host,
        listen_port=port,
        backend_host="127.0.0.1",
        backend_port=app_port,
        hosts=settings.ALLOWED_HOSTS,
    )
    return process
