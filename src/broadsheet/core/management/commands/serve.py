"""`broadsheet serve`: the production WSGI server on PORT, with a supervised task worker beside it.

It refuses a port another server already holds (granian shares a port it finds in use, so two
sites would answer at random), collects static files when they are missing or stale, and starts
the task worker again whenever it stops.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from broadsheet.core import ports, staticfiles

GRANIAN_THREADS = 8
SUPERVISE_SECONDS = 1.0
RESTART_MIN_SECONDS = 1.0
RESTART_MAX_SECONDS = 60.0


class Command(BaseCommand):
    help = "Serve the site with the production server (granian by default) and run a task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument(
            "--server",
            choices=["granian", "gunicorn"],
            default=os.environ.get("BROADSHEET_SERVER", "granian"),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("BROADSHEET_THREADS", "0")) or None,
            help=(
                "Threads per worker process (granian: blocking threads, default 8; gunicorn: gthread "
                "workers). Each thread keeps its own database connection, so workers x threads x app "
                "servers must stay under PostgreSQL's max_connections."
            ),
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start a background task worker.")
        parser.add_argument(
            "--with-varnish",
            action="store_true",
            help="Run Varnish (Debian's, with xkey) on --port in front of the app server on --port + 1.",
        )

    def server_command(self, options):
        bin_dir = os.path.dirname(sys.executable)
        threads = options.get("threads")
        if options["server"] == "gunicorn":
            return [
                shutil.which("gunicorn", path=bin_dir) or "gunicorn",
                "broadsheet.wsgi:application",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                *(["--worker-class", "gthread", "--threads", str(threads)] if threads else []),
            ]
        return [
            shutil.which("granian", path=bin_dir) or "granian",
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--no-ws",
            # granian's own default for WSGI is half its backpressure (256 threads per worker),
            # and every thread holds a database connection: a burst would exhaust PostgreSQL.
            "--blocking-threads",
            str(threads or GRANIAN_THREADS),
            "broadsheet.wsgi:application",
        ]

    def handle(self, *args, **options):
        holder = ports.holder_of(options["host"], options["port"])
        if holder is not None:
            raise CommandError(
                f"Port {options['port']} on {options['host']} is already served by {holder}. "
                "Stop it first, or serve on another port (PORT=8080 or --port 8080)."
            )
        self.collect_static_if_needed()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
            "BROADSHEET_DATA": str(settings.DATA_DIR),
            # Absolute links follow the address served when BROADSHEET_SITE_URL is unset.
            "HOST": options["host"],
            "PORT": str(options["port"]),
        }
        front = []
        if options["with_varnish"]:
            # Varnish answers on the port asked for; the app listens on the next one behind it.
            from broadsheet.edge.varnish import serve_in_front

            public_port = options["port"]
            options = {**options, "port": public_port + 1}
            holder = ports.holder_of(options["host"], options["port"])
            if holder is not None:
                raise CommandError(f"Port {options['port']} (the app behind Varnish) is already served by {holder}.")
            front.append(serve_in_front(options["host"], public_port, options["port"], env))
        self.stdout.write(
            f"Serving {settings.BROADSHEET_SITE_NAME} at http://{options['host']}:{options['port']}/"
        )
        server = subprocess.Popen(self.server_command(options), env=env)
        worker = None if options["no_worker"] else Supervised([sys.executable, "-m", "broadsheet", "worker"], env)
        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping.is_set() and server.poll() is None:
                if worker is not None:
                    restarted = worker.keep_running()
                    if restarted:
                        self.stderr.write(restarted)
                stopping.wait(SUPERVISE_SECONDS)
        finally:
            for child in (server, worker.process if worker else None, *front):
                if child is not None and child.poll() is None:
                    child.terminate()
            for child in (server, worker.process if worker else None, *front):
                if child is not None:
                    try:
                        child.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        child.kill()
        sys.exit(server.returncode or 0)

    def collect_static_if_needed(self):
        """Pages name their styles through the static manifest: without collectstatic every page
        answered 500. Collect when the manifest is missing or older than a source file."""
        if not staticfiles.needs_collect():
            return
        self.stdout.write("Collecting static files (first start, or they changed)...")
        call_command("collectstatic", interactive=False, verbosity=0)


class Supervised:
    """The task worker, started again when it stops (waiting longer each time it dies young)."""

    def __init__(self, command, env):
        self.command, self.env = command, env
        self.delay = RESTART_MIN_SECONDS
        self.restart_at = None
        self.process = self._start()

    def _start(self):
        self.started = time.monotonic()
        return subprocess.Popen(self.command, env=self.env)

    def keep_running(self):
        """Check the worker; return a line for the log when it stopped or was started again."""
        if self.process.poll() is None:
            if time.monotonic() - self.started > RESTART_MAX_SECONDS:
                self.delay = RESTART_MIN_SECONDS  # it ran a good while: the next death is news
            return None
        if self.restart_at is None:
            self.restart_at = time.monotonic() + self.delay
            return (
                f"The task worker stopped (exit code {self.process.returncode}); "
                f"starting it again in {self.delay:.0f} s."
            )
        if time.monotonic() < self.restart_at:
            return None
        self.restart_at = None
        self.delay = min(RESTART_MAX_SECONDS, self.delay * 2)
        self.process = self._start()
        return f"The task worker was started again (pid {self.process.pid})."
