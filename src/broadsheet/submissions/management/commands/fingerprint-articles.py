"""Fill in the near-duplicate fingerprints of articles that have none (or of all, with --all)."""

from django.core.management.base import BaseCommand

from broadsheet.newsroom.models import Article
from broadsheet.submissions import duplicates


class Command(BaseCommand):
    help = "Compute the fingerprints the submissions' near-duplicate check compares against."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Recompute every article, not only missing ones."
        )
        parser.add_argument("--chunk", type=int, default=1000)

    def handle(self, *args, **options):
        queryset = Article.objects.all() if options["all"] else duplicates.missing_article_ids()
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        chunk = max(1, options["chunk"])
        for start in range(0, len(ids), chunk):
            duplicates.fingerprint_articles(ids[start : start + chunk])
        self.stdout.write(f"Fingerprinted {len(ids)} articles.")
