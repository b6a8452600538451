"""`broadsheet import-wordpress EXPORT.xml [--uploads DIR_OR_TAR] [--dry-run] [--since DATE]`."""

import datetime
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from broadsheet.wordpress.importer import Importer


class Command(BaseCommand):
    help = "Import a WordPress export (Tools > Export): posts, pages, authors, terms, pictures, comments, old URLs."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file WordPress wrote.")
        parser.add_argument("--uploads", help="A copy of wp-content/uploads, or a tarball of it.")
        parser.add_argument("--dry-run", action="store_true", help="Read and check everything, store nothing.")
        parser.add_argument("--since", help="Only items changed on or after this date (YYYY-MM-DD or ISO 8601).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path = options["export"]
        if not os.path.isfile(path):
            raise CommandError(f"Cannot open {path}: no such file")
        since = None
        if options["since"]:
            try:
                since = parse_datetime(options["since"]) or (
                    datetime.datetime.combine(parse_date(options["since"]), datetime.time())
                    if parse_date(options["since"])
                    else None
                )
            except ValueError:
                since = None
            if since is None:
                raise CommandError(f"--since {options['since']!r} is not a date (YYYY-MM-DD)")
            if since.tzinfo is None:
                since = since.replace(tzinfo=datetime.UTC)
        total = os.path.getsize(path) * 2  # read twice: pictures and people first, then stories
        with tqdm(
            total=total, desc="Importing", unit="B", unit_scale=True, disable=options["no_progress"], file=self.stderr
        ) as bar:
            report = Importer(
                path, uploads=options["uploads"], dry_run=options["dry_run"], since=since, progress=bar
            ).run()
        title = "Dry run (nothing stored)" if options["dry_run"] else "WordPress import"
        self.stdout.write(title)
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if report.fatal:
            self.stderr.write(self.style.ERROR(f"The export could not be read to its end: {report.fatal}"))
            if not report.article_ids and not any(k.endswith("unchanged") for k in report.counts):
                raise CommandError("Nothing was imported.")
        else:
            self.stdout.write(self.style.SUCCESS("Done."))
