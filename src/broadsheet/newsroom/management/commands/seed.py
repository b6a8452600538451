"""`broadsheet seed`: generate original synthetic demo content, fast and deterministic."""

import datetime
import random
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from tqdm import tqdm

from broadsheet.newsroom import demo
from broadsheet.newsroom.models import Article, Author, Section, Source, Tag
from broadsheet.newsroom.signals import articles_loaded
from broadsheet.newsroom.text import render_markdown

BATCH = 2000


# Field types whose Python value is already what the database driver takes.
_AS_IS = {"CharField", "TextField", "SlugField", "URLField", "BooleanField", "IntegerField"}


@contextmanager
def bulk_load():
    """On SQLite, write without waiting for the disk while seeding (PRAGMA synchronous=OFF).

    Only this connection and only while seeding; the usual setting comes back afterwards. If the
    machine itself crashes mid-seed the database may be damaged: seed a fresh one again.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # (it can't change mid-transaction)
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={before}")


class ArticleRows:
    """Insert articles given as {attname: value} with one executemany per batch.

    The same rows bulk_create would write (fields left out take their model default), for a
    fraction of its cost: no model instance per row, no statement assembled per 49 rows, and
    each value goes through only the conversion its field type needs.
    """

    def __init__(self):
        self.fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        adapt_datetime = connection.ops.adapt_datetimefield_value
        memo = {}

        def convert(field):
            kind = field.get_internal_type()
            if kind == "DateTimeField":  # a row's three dates are one value: convert it once
                return lambda value: (
                    memo[value] if value in memo else memo.setdefault(value, adapt_datetime(value))
                )
            if kind == "FileField":
                return lambda value: str(value or "")
            if kind in _AS_IS or field.is_relation:
                return None
            return lambda value: field.get_db_prep_save(value, connection)

        self.columns = [(f.attname, convert(f)) for f in self.fields]
        self.memo = memo
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(Article._meta.db_table),
            ", ".join(quote(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )

    def row(self, values):
        self.memo.clear()
        values = {**self.defaults, **values}
        return tuple(
            values[name] if convert is None else convert(values[name]) for name, convert in self.columns
        )

    def insert(self, rows, external_ids):
        """Write the rows; return their ids in the same order (looked up by external_id)."""
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
        ids = dict(Article.objects.filter(external_id__in=external_ids).values_list("external_id", "pk"))
        return [ids[e] for e in external_ids]


def insert_pairs(through, other, pairs):
    """Rows of an article many-to-many table (article_id, <other>) with one executemany."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}, {}) VALUES (%s, %s)".format(
        quote(through._meta.db_table), quote("article_id"), quote(other)
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, pairs)


class Command(BaseCommand):
    help = "Generate synthetic demo stories (default 300 across 8 sections, 40 sources)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when there are articles already."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        if options["if_empty"] and Article.objects.exists():
            self.stdout.write("The database already has articles; not seeding.")
            return
        started = time.monotonic()
        seed, total = options["seed"], options["articles"]
        rng = random.Random(seed)
        sections = self.make_sections()
        sources = self.make_sources()
        authors = self.make_authors(rng)
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in demo.TAG_WORDS}
        pictures = self.make_pictures()
        self.make_users()

        prefix = f"seed-{seed}-"
        already = Article.objects.filter(external_id__startswith=prefix).count()
        used_slugs = (
            set(Article.objects.values_list("slug", flat=True)) if Article.objects.exists() else set()
        )
        now = timezone.now()
        created_ids = []
        rows = ArticleRows()
        progress = tqdm(
            total=total,
            initial=min(already, total),
            desc="Seeding articles",
            unit="article",
            disable=options["no_progress"] or total < 1000,
            file=self.stdout,
        )
        with bulk_load():
            for start in range(already, total, BATCH):
                stop = min(start + BATCH, total)
                batch, external_ids, batch_tags, batch_authors = [], [], [], []
                for i in range(start, stop):
                    story_rng = random.Random(f"{seed}-{i}")
                    story = demo.make_story(story_rng, i)
                    # Spread stories over the past, newest first; a few are drafts or scheduled.
                    publish_at = now - datetime.timedelta(minutes=37 * i + story_rng.randint(0, 30))
                    status = Article.Status.PUBLISHED
                    if i % 97 == 5:
                        status = Article.Status.DRAFT
                    elif i % 89 == 7:
                        status = Article.Status.REVIEW
                    slug = base = slugify(story.headline)[:150].strip("-")
                    n = 1
                    while slug in used_slugs:
                        n += 1
                        slug = f"{base}-{n}"
                    used_slugs.add(slug)
                    source = sources[story_rng.randrange(len(sources))] if story.republished else None
                    external_id = f"{prefix}{i}"
                    body_html = story.body_html
                    if body_html is None:
                        body_html = render_markdown(story.body)
                    batch.append(
                        rows.row(
                            {
                                "headline": story.headline,
                                "slug": slug,
                                "summary": story.summary,
                                "body": story.body,
                                "body_html": body_html,
                                "status": status,
                                "publish_at": publish_at,
                                "created_at": publish_at,
                                "updated_at": publish_at,
                                "section_id": sections[story.section].pk,
                                "source_id": source.pk if source else None,
                                "source_url": f"{source.homepage}stories/{slug}" if source else "",
                                "image": pictures[story.image_index] if story.image_index is not None else "",
                                "image_caption": story.caption,
                                "image_credit": story.credit,
                                "image_alt": story.caption,
                                "external_id": external_id,
                            }
                        )
                    )
                    external_ids.append(external_id)
                    batch_tags.append([tags[t] for t in story.tags])
                    batch_authors.append(story_rng.sample(authors, k=1 if story_rng.random() < 0.85 else 2))
                with transaction.atomic():
                    ids = rows.insert(batch, external_ids)
                    insert_pairs(
                        Article.tags.through,
                        "tag_id",
                        [(a, t.pk) for a, ts in zip(ids, batch_tags, strict=True) for t in ts],
                    )
                    insert_pairs(
                        Article.authors.through,
                        "author_id",
                        [
                            (a, w.pk)
                            for a, ws in zip(ids, batch_authors, strict=True)
                            for w in dict.fromkeys(ws)  # two demo authors may share one name
                        ],
                    )
                created_ids.extend(ids)
                progress.update(len(batch))
            progress.close()
            if created_ids:
                articles_loaded.send(sender=Article, article_ids=created_ids)
        if len(created_ids) >= 1000:
            # Fresh statistics after a bulk load: without them the query planner (SQLite above
            # all) walks the wrong index for the largest tables.
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {len(created_ids)} articles in {elapsed:.1f}s (seed {seed}).")
        )

    def make_sections(self):
        result = {}
        for position, (name, description) in enumerate(demo.SECTIONS):
            section, _ = Section.objects.get_or_create(
                name=name, defaults={"description": description, "position": position}
            )
            result[name] = section
        return result

    def make_sources(self):
        rng = random.Random("sources")
        sources = []
        for name in demo.outlet_names(40):
            domain = slugify(name.removeprefix("The "))
            source, _ = Source.objects.get_or_create(
                name=name,
                defaults={
                    "homepage": f"https://{domain}.example/",
                    "country": rng.choice(demo.COUNTRIES),
                    "language": "en",
                },
            )
            sources.append(source)
        return sources

    def make_authors(self, rng):
        authors = []
        for i in range(30):
            name = demo.person_name(random.Random(f"author-{i}"))
            author = Author.objects.filter(name=name).first() or Author.objects.create(
                name=name,
                bio=f"{name} reports for {settings.BROADSHEET_SITE_NAME} on {demo.SECTIONS[i % 8][0].lower()}.",
            )
            authors.append(author)
        return authors

    def make_pictures(self):
        names = []
        for index in range(24):
            name = f"seed/picture-{index:02d}.jpg"
            if not default_storage.exists(name):
                from django.core.files.base import ContentFile

                name = default_storage.save(name, ContentFile(demo.draw_picture(index)))
            names.append(name)
        return names

    def make_users(self):
        """Demo sign-ins for the back office, written to the data folder (never printed in logs)."""
        User = get_user_model()
        if User.objects.filter(username="editor").exists():
            return
        password = get_random_string(16)
        editor = User.objects.create_user("editor", password=password, is_staff=True, is_superuser=True)
        writer = User.objects.create_user("writer", password=password, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
        writer.groups.add(Group.objects.get(name="Writer"))
        path = settings.DATA_DIR / "demo-logins.txt"
        path.write_text(
            f"Back office: /admin/\neditor / {password}  (Editor)\nwriter / {password}  (Writer)\n"
        )
        path.chmod(0o600)
        self.stdout.write(f"Demo sign-ins for /admin/ are in {path}")
