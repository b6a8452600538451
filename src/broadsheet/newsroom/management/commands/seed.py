"""`broadsheet seed`: generate original synthetic demo content, fast and deterministic."""

import datetime
import random
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from tqdm import tqdm

from broadsheet.newsroom import demo
from broadsheet.newsroom.models import Article, Author, Section, Source, Tag
from broadsheet.newsroom.signals import articles_loaded
from broadsheet.newsroom.text import render_markdown

BATCH = 2000


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
        progress = tqdm(
            total=total,
            initial=min(already, total),
            desc="Seeding articles",
            unit="article",
            disable=options["no_progress"] or total < 1000,
            file=self.stdout,
        )
        for start in range(already, total, BATCH):
            stop = min(start + BATCH, total)
            batch, batch_tags, batch_authors = [], [], []
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
                article = Article(
                    headline=story.headline,
                    slug=slug,
                    summary=story.summary,
                    body=story.body,
                    body_html=render_markdown(story.body),
                    status=status,
                    publish_at=publish_at,
                    created_at=publish_at,
                    updated_at=publish_at,
                    section=sections[story.section],
                    source=source,
                    source_url=f"{source.homepage}stories/{slug}" if source else "",
                    image=pictures[story.image_index] if story.image_index is not None else "",
                    image_caption=story.caption,
                    image_credit=story.credit,
                    image_alt=story.caption,
                    external_id=f"{prefix}{i}",
                )
                batch.append(article)
                batch_tags.append([tags[t] for t in story.tags])
                batch_authors.append(story_rng.sample(authors, k=1 if story_rng.random() < 0.85 else 2))
            with transaction.atomic():
                Article.objects.bulk_create(batch)
                if batch[0].pk is None:  # backends that don't return ids
                    ids = dict(
                        Article.objects.filter(external_id__in=[a.external_id for a in batch]).values_list(
                            "external_id", "pk"
                        )
                    )
                    for article in batch:
                        article.pk = ids[article.external_id]
                Tagging = Article.tags.through
                Byline = Article.authors.through
                Tagging.objects.bulk_create(
                    [
                        Tagging(article_id=a.pk, tag_id=t.pk)
                        for a, ts in zip(batch, batch_tags, strict=True)
                        for t in ts
                    ]
                )
                Byline.objects.bulk_create(
                    [
                        Byline(article_id=a.pk, author_id=w.pk)
                        for a, ws in zip(batch, batch_authors, strict=True)
                        for w in ws
                    ]
                )
            created_ids.extend(a.pk for a in batch)
            progress.update(len(batch))
        progress.close()
        if created_ids:
            articles_loaded.send(sender=Article, article_ids=created_ids)
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
