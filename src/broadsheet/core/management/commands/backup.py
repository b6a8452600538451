"""`broadsheet backup [PATH]`: the database and uploaded media in one .tar.gz archive."""

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the uploaded media into one "
        "archive. PATH is a folder (default: the data folder's backups/) or a file name ending in .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None)
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, path=None, database="default", **options):
        try:
            archive = backups.create_backup(path, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        size = archive.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive} ({size / 1024:.0f} KiB)"))
