"""`broadsheet import-articles FILE.jsonl`: import or update articles, reporting bad lines (the
good ones are imported; the command then exits non-zero)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from broadsheet.newsroom.importing import import_lines


class Command(BaseCommand):
    help = "Import articles from a JSON Lines file (one article a line). The same external_id updates."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .jsonl file, or - for standard input.")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--media", help="The media folder export-articles wrote (the stories' pictures are taken from it)."
        )

    def handle(self, *args, **options):
        path = options["path"]
        media = options.get("media")
        if media and not Path(media).is_dir():
            raise CommandError(f"The media folder {media} does not exist.")
        try:
            handle = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot open {path}: {error.strerror}") from None
        with handle:
            total = None
            if path != "-":
                total = sum(1 for _ in open(path, "rb"))
            with tqdm(
                total=total, desc="Importing", unit="line", disable=options["no_progress"], file=self.stderr
            ) as bar:
                report = import_lines(handle, progress=bar, media=media)
        for number, message in report.errors:
            self.stderr.write(f"line {number}: {message}")
        for number, message in report.notes:
            self.stderr.write(f"line {number}: imported; {message}")
        summary = f"Imported {report.created} new and updated {report.updated} articles; {len(report.errors)} bad lines."
        self.stdout.write(self.style.SUCCESS(summary) if not report.errors else self.style.WARNING(summary))
        if report.errors and not report.created and not report.updated:
            raise CommandError("No line could be imported.")
        if report.errors:
            # The good lines are in; a script running the import must still hear that some were not.
            raise CommandError(f"{len(report.errors)} bad lines were not imported (listed above).")
