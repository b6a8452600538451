"""`broadsheet export-articles FILE.jsonl`: every published story in the import format."""

import sys

from django.core.management.base import BaseCommand, CommandError

from broadsheet.newsroom.exporting import export_lines, unexported_count


class Command(BaseCommand):
    help = "Write every published story as JSON Lines in the import format (plus `updated`); - for standard output."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .jsonl file to write, or -.")

    def handle(self, *args, **options):
        path = options["path"]
        try:
            handle = sys.stdout if path == "-" else open(path, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from None
        count = 0
        try:
            for line in export_lines():
                handle.write(line)
                count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        if path != "-":
            left = unexported_count()
            note = f"; {left} drafts and stories in review left out (the format has no status)" if left else ""
            self.stdout.write(self.style.SUCCESS(f"Exported {count} stories to {path}{note}."))
