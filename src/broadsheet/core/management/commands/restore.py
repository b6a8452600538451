"""`broadsheet restore PATH`: put back the database and media from a `broadsheet backup` archive."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from broadsheet.core import backups


class Command(BaseCommand):
    help = (
        "Restore the database and uploaded media from a backup archive, replacing what is there now. "
        "Stop the app servers and workers first. A backup of the current state is taken before, "
        "unless --no-safety-backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument(
            "--no-safety-backup",
            action="store_false",
            dest="safety_backup",
            help="do not back up the current state before restoring",
        )

    def handle(self, *args, path, database="default", interactive=True, safety_backup=True, **options):
        try:
            manifest = backups.read_manifest(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup from {manifest['created_at']}: {manifest['database']['vendor']} database, "
            f"{manifest['media_files']} media files."
        )
        if interactive:
            answer = input("This replaces the current database and media. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            if safety_backup:
                before = backups.create_backup(alias=database)
                self.stdout.write(f"Current state kept first in {before}")
            backups.restore_backup(path, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))
        executor = MigrationExecutor(connections[database])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                "The backup predates some migrations of this version: run `broadsheet migrate`."
            )
