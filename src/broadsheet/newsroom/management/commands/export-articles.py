"""`broadsheet export-articles FILE.jsonl [--media DIR]`: every published story in the import
format, with its pictures' words in each line and their files in DIR."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from broadsheet.newsroom.exporting import ExportState, export_lines, unexported_count


class Command(BaseCommand):
    help = (
        "Write every published story as JSON Lines in the import format (plus `updated`, and the "
        "pictures each story shows); - for standard output. --media DIR writes the pictures' files."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .jsonl file to write, or -.")
        parser.add_argument("--media", help="A folder to write the original pictures into (made if missing).")

    def handle(self, *args, **options):
        path = options["path"]
        media = Path(options["media"]) if options.get("media") else None
        if media is not None:
            try:
                media.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise CommandError(f"Cannot make the media folder {media}: {error.strerror}") from None
        try:
            handle = sys.stdout if path == "-" else open(path, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from None
        state = ExportState(media=media)
        count = with_pictures = 0
        try:
            for line in export_lines(state=state):
                handle.write(line)
                count += 1
                with_pictures += '"pictures": [{' in line or '"lead_picture": {' in line
        finally:
            if handle is not sys.stdout:
                handle.close()
        for note in state.notes:
            self.stderr.write(note)
        if path != "-":
            left = unexported_count()
            note = f"; {left} drafts and stories in review left out (the format has no status)" if left else ""
            pictures = f"; {state.counts.get('pictures', 0)} pictures written to {media}" if media else ""
            self.stdout.write(self.style.SUCCESS(f"Exported {count} stories to {path}{pictures}{note}."))
            if with_pictures and media is None:
                self.stdout.write(
                    f"{with_pictures} stories show pictures: add --media DIR to write their files, so "
                    "another site can take them."
                )
