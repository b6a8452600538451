"""`broadsheet readership flush`: move counted reads to the database now (the worker does it
every BROADSHEET_READERSHIP_FLUSH_SECONDS by itself)."""

from django.core.management.base import BaseCommand

from broadsheet.readership import services


class Command(BaseCommand):
    help = "Readership: flush counted reads to the database."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["flush"])

    def handle(self, *args, **options):
        self.stdout.write(f"{services.flush()} reads moved to the database.")
