"""`broadsheet serve`: the production WSGI server on PORT, with a task worker beside it."""

import os
import shutil
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

GRANIAN_THREADS = 8


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
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
            "BROADSHEET_DATA": str(settings.DATA_DIR),
        }
        children = []
        if options["with_varnish"]:
            from broadsheet.edge.varnish import serve_in_front

            options = {**options, "port": options["port"] + 1}
            children.append(serve_in_front(options["host"], options["port"] - 1, options["port"], env))
        if not options["no_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "broadsheet", "worker"], env=env))
        self.stdout.write(
            f"Serving {settings.BROADSHEET_SITE_NAME} at http://{options['host']}:{options['port']}/"
        )
        server = subprocess.Popen(self.server_command(options), env=env)
        children.append(server)

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            server.wait()
        finally:
            stop(None, None)
            for child in children:
                child.wait(timeout=20)
        sys.exit(server.returncode or 0)
