"""`broadsheet related rebuild`: recompute every related list; `related show ID`: print one list."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from broadsheet.core.text import as_number
from broadsheet.newsroom.models import Article
from broadsheet.related import services
from broadsheet.related.reading import indexable


class Command(BaseCommand):
    help = "Related stories: `rebuild` recomputes every list; `show ID` prints one article's list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Recompute every published article's related list.")
        rebuild.add_argument("--no-progress", action="store_true", help="No progress bar.")
        show = sub.add_parser("show", help="Print the related list of one article.")
        show.add_argument("article", help="Article id or import id (external_id).")

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            return self.rebuild(options)
        return self.show(options["article"])

    def rebuild(self, options):
        started = time.monotonic()
        total = indexable().count()
        # Three passes: reading and analysing articles, comparing them, writing their lists.
        bar = tqdm(
            total=3 * total,
            desc="Rebuilding related lists",
            unit="article",
            disable=options["no_progress"],
            file=self.stderr,
        )
        try:
            count = services.rebuild_related(progress=bar.update)
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Related lists rebuilt for {count} articles in {time.monotonic() - started:.1f}s."
            )
        )

    def show(self, key):
        article = Article.objects.filter(external_id=key).first()
        if article is None and as_number(key) is not None:
            article = Article.objects.filter(pk=as_number(key)).first()
        if article is None:
            raise CommandError(f"No article with id or import id {key!r}.")
        self.stdout.write(f"{article.pk} {article.headline}")
        for number, other in enumerate(services.related_for(article, limit=20), start=1):
            self.stdout.write(f"  {number}. {other.pk} {other.headline}")
