"""`broadsheet wire add-feed "SOURCE NAME" FEED_URL` and `broadsheet wire poll`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from broadsheet.wire import services


class Command(BaseCommand):
    help = "The wire: add feeds, poll them."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add-feed", help="Add a feed to a source (the source is created if new).")
        add.add_argument("source_name")
        add.add_argument("url")
        add.add_argument("--every", type=int, default=15, help="Minutes between polls (default 15).")
        add.add_argument(
            "--full-text", action="store_true", help="The licence allows carrying whole stories."
        )
        poll = commands.add_parser("poll", help="Poll every due feed once.")
        poll.add_argument("--all", action="store_true", help="Poll every active feed, due or not.")
        commands.add_parser(
            "cite", help="Find the cited outlets and named entities of every published story."
        )

    def handle(self, *args, action, **options):
        if action == "add-feed":
            try:
                URLValidator(schemes=["http", "https"])(options["url"])
            except ValidationError:
                raise CommandError(f"Not a web address: {options['url']}") from None
            if not options["source_name"].strip():
                raise CommandError("The source needs a name.")
            feed = services.add_feed(
                options["source_name"],
                options["url"],
                every_minutes=max(1, options["every"]),
                full_text_allowed=options["full_text"],
            )
            self.stdout.write(f"Feed {feed.url} added to {feed.source.name}.")
        elif action == "cite":
            from broadsheet.newsroom.models import Article
            from broadsheet.wire import entities, provenance

            matcher, done = entities.matcher(), 0
            for article in Article.objects.published().iterator(chunk_size=500):
                provenance.refresh_citations(article)
                entities.refresh_mentions(article, using=matcher)
                done += 1
            self.stdout.write(f"{done} stories read.")
        else:
            from broadsheet.wire.models import Feed

            feeds = Feed.objects.filter(active=True).select_related("source") if options["all"] else None
            results = services.poll_due(feeds=feeds)
            for result in results:
                self.stdout.write(result.line())
            if not results:
                self.stdout.write("No feed is due.")
