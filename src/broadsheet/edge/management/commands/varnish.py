"""`broadsheet varnish`: Debian's Varnish with the shipped VCL in front of a running site."""

import os
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from broadsheet.edge import varnish


class Command(BaseCommand):
    help = "Run Varnish (with the xkey module) in front of a Broadsheet server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VARNISH_PORT", "6081")))
        parser.add_argument("--backend", default="127.0.0.1:8000", help="the app server, host:port")
        parser.add_argument("--print-vcl", action="store_true", help="print the filled-in VCL and stop")

    def handle(self, *args, **options):
        host, _, port = options["backend"].rpartition(":")
        hosts = settings.ALLOWED_HOSTS
        if options["print_vcl"]:
            self.stdout.write(varnish.render_vcl(backend_host=host, backend_port=int(port), hosts=hosts))
            return
        try:
            process, workdir = varnish.start(
                listen_host=options["host"],
                listen_port=options["port"],
                backend_host=host,
                backend_port=int(port),
                hosts=hosts,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Varnish at http://{options['host']}:{options['port']}/ in front of {options['backend']}"
        )
        signal.signal(signal.SIGTERM, lambda *a: process.terminate())
        try:
            sys.exit(process.wait())
        except KeyboardInterrupt:
            process.terminate()
            process.wait(timeout=10)
