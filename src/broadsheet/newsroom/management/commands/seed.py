"""`broadsheet seed`: generate original synthetic demo content, fast and deterministic.

Articles are written a batch at a time, each batch committed with its tag and author rows, so
an interrupted seed starts again where it stopped (articles carry external_id seed-<seed>-<n>).
On PostgreSQL the rows go in with COPY, elsewhere with executemany (see the writers). A large
seed makes its stories in a second process while this one writes them (demo.made_in_batches).
Then articles_loaded tells the other apps, which do their part here and now (the search index
set-based, related lists, fingerprints), so nothing is left queued for a worker.
"""

import random
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from tqdm import tqdm

from broadsheet.newsroom import demo
from broadsheet.newsroom.models import Article, Author, Section, Source, Tag
from broadsheet.newsroom.signals import articles_loaded, send_robustly

# From this many stories on, they are made in a second process while this one writes.
MAKER_PROCESS_MIN = 20_000
# Field types whose Python value is already what the database driver takes.
_AS_IS = {"CharField", "TextField", "SlugField", "URLField", "BooleanField", "IntegerField"}


class ArticleWriter:
    """Writes seeded articles given as {attname: value}, and their tag and author rows.

    The same rows bulk_create would write (fields left out take their model default), for a
    fraction of its cost: no model instance per row, no statement assembled per 49 rows, and
    each value goes through only the conversion its field type needs. Subclasses say how the
    rows reach the database; get_writer() picks one for this connection.
    """

    batch_size = 2000

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

        self.columns = [(f.attname, self.defaults[f.attname], convert(f)) for f in self.fields]
        self.memo = memo
        self.quote = connection.ops.quote_name
        self.table = self.quote(Article._meta.db_table)
        self.column_names = ", ".join(self.quote(f.column) for f in self.fields)

    @contextmanager
    def session(self):
        """Settings that make this connection load faster while seeding."""
        yield

    def row(self, values):
        self.memo.clear()
        get = values.get
        return tuple(
            [
                get(name, default) if convert is None else convert(get(name, default))
                for name, default, convert in self.columns
            ]
        )

    def write(self, articles):
        """Write and commit these demo.SeededArticle, with their tag and author rows, in one
        transaction; return their ids in order."""
        raise NotImplementedError

    def loaded(self):
        """Called once all batches are in, before the receivers of articles_loaded read them."""

    def pairs_sql(self, through, other, template):
        return template.format(
            self.quote(through._meta.db_table), self.quote("article_id"), self.quote(other)
        )


class ExecutemanyWriter(ArticleWriter):
    """One INSERT run with executemany per table and batch: SQLite, and any database without COPY."""

    def __init__(self):
        super().__init__()
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            self.table, self.column_names, ", ".join(["%s"] * len(self.fields))
        )
        pair = "INSERT INTO {} ({}, {}) VALUES (%s, %s)"
        self.tags_sql = self.pairs_sql(Article.tags.through, "tag_id", pair)
        self.authors_sql = self.pairs_sql(Article.authors.through, "author_id", pair)

    @contextmanager
    def session(self):
        """On SQLite, write without waiting for the disk while seeding (PRAGMA synchronous=OFF).

        Only this connection and only while seeding; the usual setting comes back afterwards. If
        the machine itself crashes mid-seed the database may be damaged: seed a fresh one again.
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

    def write(self, articles):
        rows = [self.row(article.values) for article in articles]
        external_ids = [article.values["external_id"] for article in articles]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
            found = dict(
                Article.objects.filter(external_id__in=external_ids).values_list("external_id", "pk")
            )
            ids = [found[e] for e in external_ids]
            pairs = list(zip(ids, articles, strict=True))
            cursor.executemany(self.tags_sql, [(pk, t) for pk, a in pairs for t in a.tag_ids])
            cursor.executemany(self.authors_sql, [(pk, w) for pk, a in pairs for w in a.author_ids])
        return ids


class CopyWriter(ArticleWriter):
    """PostgreSQL: ids taken from the table's own sequence, rows streamed with COPY.

    Each article goes to the server as soon as it is ready, so the server stores one while the
    next is being prepared here. While seeding, this connection also sets (see session):
    - synchronous_commit=off: a crash of the server may lose the last batches committed, never
      damage the database; seeding again with the same --seed adds what is missing;
    - default_toast_compression=lz4 (when the server has it): the long bodies are compressed
      several times faster than with pglz, and read back faster too;
    and each batch sets for itself session_replication_role=replica (when the role may set it
    and no trigger of our own would be skipped): the foreign keys are then checked once per
    batch, set-based, instead of once per row (see lock_referenced).
    """

    batch_size = 5000

    def __init__(self):
        super().__init__()
        self.sql = f"COPY {self.table} ({self.quote('id')}, {self.column_names}) FROM STDIN"
        copy_pairs = "COPY {} ({}, {}) FROM STDIN"
        self.tags_sql = self.pairs_sql(Article.tags.through, "tag_id", copy_pairs)
        self.authors_sql = self.pairs_sql(Article.authors.through, "author_id", copy_pairs)
        # The article's own foreign keys: (position in a row, model referred to).
        self.references = [
            (n, f.related_model) for n, f in enumerate(self.fields) if f.many_to_one and f.concrete
        ]
        tables = [model._meta.db_table for model in (Article, Article.tags.through, Article.authors.through)]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user)"
                " AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE NOT t.tgisinternal"
                " AND t.tgrelid IN (SELECT c.oid FROM pg_class c WHERE c.relname = ANY(%s)"
                " AND pg_table_is_visible(c.oid))),"
                " EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'"
                " AND 'lz4' = ANY(enumvals))",
                [tables],
            )
            self.checks_per_batch, self.lz4 = cursor.fetchone()

    @contextmanager
    def session(self):
        if connection.in_atomic_block:  # nothing commits before the caller does
            yield
            return
        settings = {"synchronous_commit": "off"}
        if self.lz4:
            settings["default_toast_compression"] = "lz4"
        with connection.cursor() as cursor:
            before = self.set_config(cursor, settings, local=False)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                self.set_config(cursor, before, local=False)

    def write(self, articles):
        tag_pairs, author_pairs, references = [], [], {model: set() for _, model in self.references}
        with transaction.atomic(), connection.cursor() as cursor:
            if self.checks_per_batch:
                before = self.set_config(cursor, {"session_replication_role": "replica"}, local=True)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Article._meta.db_table, len(articles)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.cursor.copy(self.sql) as copy:
                for pk, article in zip(ids, articles, strict=True):
                    row = self.row(article.values)
                    copy.write_row((pk, *row))
                    for n, model in self.references:
                        references[model].add(row[n])
                    tag_pairs += [(pk, t) for t in article.tag_ids]
                    author_pairs += [(pk, w) for w in article.author_ids]
            for sql, pairs in ((self.tags_sql, tag_pairs), (self.authors_sql, author_pairs)):
                with cursor.cursor.copy(sql) as copy:  # two integers a line: COPY's text format
                    copy.write("".join(f"{article_id}\t{other_id}\n" for article_id, other_id in pairs))
            if self.checks_per_batch:
                references[Tag] = {t for _, t in tag_pairs}
                references[Author] = {w for _, w in author_pairs}
                self.lock_referenced(cursor, references)
                # Within an outer transaction (a test, a caller's atomic block) the batch is a
                # savepoint, and what SET LOCAL set would outlive it.
                self.set_config(cursor, before, local=True)
        return ids

    @staticmethod
    def set_config(cursor, settings, *, local):
        """Set these settings for the session or the rest of the transaction; return what they were."""
        names = list(settings)
        cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
        before = dict(zip(names, cursor.fetchone(), strict=True))
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, %s)"] * len(names)),
            [value for name in names for value in (name, settings[name], local)],
        )
        return before

    def lock_referenced(self, cursor, references):
        """What the foreign key triggers do for each new row, once for the batch: every row it
        refers to exists, and is locked FOR KEY SHARE (as they lock it) so that none can be
        deleted before the batch commits. The join rows refer to articles of this batch."""
        for model, pks in references.items():
            pks = sorted(pk for pk in pks if pk is not None)
            if not pks:
                continue
            table, pk = self.quote(model._meta.db_table), self.quote(model._meta.pk.column)
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {pk} = ANY(%s) FOR KEY SHARE) AS locked",
                [pks],
            )
            if cursor.fetchone()[0] != len(pks):
                raise IntegrityError(
                    f"Some {model._meta.verbose_name_plural} the seeded articles refer to are gone."
                )

    def loaded(self):
        # The receivers (the search index above all) read the new rows by id range; with the
        # table's statistics from before the load the planner would take it for a few rows.
        tables = [
            Article._meta.db_table,
            Article.tags.through._meta.db_table,
            Article.authors.through._meta.db_table,
        ]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(self.quote(t) for t in tables))


def get_writer():
    return CopyWriter() if connection.vendor == "postgresql" else ExecutemanyWriter()


class Command(BaseCommand):
    help = "Generate synthetic demo stories (default 300 across 8 sections, 40 sources)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when there are articles already."
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--no-comments", action="store_true", help="Leave out the other apps' demo data (readers' comments)."
        )

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
        maker = demo.ArticleMaker(
            seed=seed,
            now=timezone.now(),
            section_ids={name: section.pk for name, section in sections.items()},
            sources=[(source.pk, source.homepage) for source in sources],
            tag_ids={name: tag.pk for name, tag in tags.items()},
            author_ids=[author.pk for author in authors],
            pictures=pictures,
            statuses=tuple(
                str(s) for s in (Article.Status.PUBLISHED, Article.Status.DRAFT, Article.Status.REVIEW)
            ),
        )
        created_ids = []
        writer = get_writer()
        batches = [
            (start, min(start + writer.batch_size, total))
            for start in range(already, total, writer.batch_size)
        ]
        # Stories are made in a second process when there are enough of them to pay for starting it.
        processes = 1 if total - already >= MAKER_PROCESS_MIN else 0
        progress = tqdm(
            total=total,
            initial=min(already, total),
            desc="Seeding articles",
            unit="article",
            disable=options["no_progress"] or total < 1000,
            file=self.stdout,
        )
        with writer.session():
            for batch in demo.made_in_batches(maker, batches, processes=processes):
                for article in batch:
                    article.take_unique_slug(used_slugs)
                ids = writer.write(batch)
                created_ids.extend(ids)
                progress.update(len(ids))
            progress.close()
            if created_ids:
                writer.loaded()
                send_robustly(articles_loaded, article_ids=created_ids, in_process=True)
        if created_ids and not options["no_comments"]:
            self.seed_other_apps(created_ids, seed)
        if len(created_ids) >= 1000:
            # Fresh statistics after a bulk load: without them the query planner (SQLite above
            # all) walks the wrong index for the largest tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {len(created_ids)} articles in {elapsed:.1f}s (seed {seed}).")
        )

    def seed_other_apps(self, article_ids, seed):
        """What other apps add to a demo site (readers' comments), through their seed steps."""
        from broadsheet.newsroom import slots

        for name, step in slots.seed_steps():
            made = step(article_ids, seed=seed)
            self.stdout.write(f"Seeded {made} {name}.")

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
