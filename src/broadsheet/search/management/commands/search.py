"""`broadsheet search rebuild`: fill the search index again from every published story."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from broadsheet.search import get_backend, services


class Command(BaseCommand):
    help = "Search index maintenance: `search rebuild` re-indexes every published story."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="ACTION")
        rebuild = commands.add_parser("rebuild", help="Empty the index and index every published story.")
        rebuild.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")
        commands.add_parser("status", help="How many stories the index holds.")

    def handle(self, *args, **options):
        action = options.get("action")
        if action == "rebuild":
            return self.rebuild(no_progress=options["no_progress"])
        if action == "status":
            backend = get_backend()
            self.stdout.write(
                f"{type(backend).__name__}: {backend.count()} stories indexed, "
                f"{services.indexable_count()} published or scheduled."
            )
            return
        raise CommandError("Say what to do: `search rebuild` or `search status`.")

    def rebuild(self, *, no_progress):
        started = time.monotonic()
        total = services.indexable_count()
        with tqdm(
            total=total, desc="Indexing stories", unit="story", disable=no_progress, file=self.stderr
        ) as bar:
            indexed = services.rebuild(progress=bar.update)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} stories in {elapsed:.1f}s."))
