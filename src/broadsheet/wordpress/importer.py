"""Moving a WordPress site in: the export is read twice as a stream (pictures, authors and
terms first, then posts, pages and comments), each item stored in its own transaction and
remembered by its WordPress id, so a second run updates, an interrupted run resumes, and a
story that did not come from WordPress is never touched.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from broadsheet.comments.models import Comment, CommentTally, body_fingerprint, normalise_email
from broadsheet.comments.text import clean_comment_text, render_comment
from broadsheet.media.models import Picture
from broadsheet.media.services import add_picture, set_lead_picture
from broadsheet.newsroom.models import SLUG_MAX, Article, Author, Section, Source, Tag, unique_slug
from broadsheet.newsroom.services import record_revision
from broadsheet.newsroom.signals import articles_loaded
from broadsheet.newsroom.text import clean_text
from broadsheet.pages.models import Page
from broadsheet.pages.services import save_page
from broadsheet.redirects.services import add_many
from broadsheet.sitesettings.services import add_page_to_menu

from . import conf
from .content import PictureRef, convert
from .models import WordPressItem
from .uploads import Uploads, relative_path
from .wxr import ExportError, Item, read

Kind = WordPressItem.Kind
STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with a future time: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.DRAFT,  # not public, kept
    "trash": Article.Status.DRAFT,  # not public, kept
}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
EARLIEST, LATEST = 1900, 2200
BATCH = 100  # items a transaction: fewer commits, and a short write lock on SQLite


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)  # (what, reason)
    notes: list = field(default_factory=list)  # (what, note)
    fatal: str = ""
    article_ids: list = field(default_factory=list)

    def lines(self):
        out = [f"{name}: {count}" for name, count in sorted(self.counts.items())]
        out += [f"skipped {what}: {reason}" for what, reason in self.skipped]
        out += [f"note on {what}: {note}" for what, note in self.notes]
        if self.fatal:
            out.append(f"stopped: {self.fatal}")
        return out


def parse_gmt(value):
    """An aware UTC datetime from WordPress's 'YYYY-MM-DD HH:MM:SS', None when empty or zero,
    ValueError when out of the range a newsroom can mean."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        when = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ValueError(f"date {value[:30]!r} is not a date") from None
    if not EARLIEST <= when.year <= LATEST:
        raise ValueError(f"date {value[:30]!r} is out of range")
    return when.replace(tzinfo=datetime.UTC)


def old_path(url):
    """The decoded path (with its query, if any) of an address on the old site."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    path = unquote(parts.path or "/")
    return f"{path}?{parts.query}" if parts.query else path


def _is_our_address(path):
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


class Importer:
    def __init__(self, path, *, uploads=None, dry_run=False, since=None, progress=None):
        self.path = path
        self.uploads = Uploads(uploads)
        self.dry_run = dry_run
        self.since = since
        self.progress = progress
        self.report = Report()
        self.site = None
        self.authors = {}  # login -> Author pk
        self.terms = {}  # (taxonomy, nicename) -> name
        self.term_ids = {}  # term_id -> nicename (categories)
        self.term_parents = {}  # category nicename -> parent nicename
        self.pictures = {}  # attachment id -> PictureRef
        self.picture_paths = {}  # uploads relative path -> attachment id
        self.children = defaultdict(list)  # post id -> attachment ids
        self.attachment_pages = {}  # attachment id -> old page path
        self.mapped = {}  # (kind, wp_id) -> (object_id, fingerprint)
        self.redirects = []
        self.archives = set()
        self.used_categories = set()
        self.used_tags = set()
        self.remembered = []
        self.sections = {}
        self.tags = {}
        self.sources = {}

    # --- running ---

    def run(self) -> Report:
        if self.uploads.problem:
            self.report.notes.append(("pictures", self.uploads.problem))
        self.mapped = {
            (k, w): (o, f) for k, w, o, f in WordPressItem.objects.values_list("kind", "wp_id", "object_id", "fingerprint")
        }
        self.load_known_pictures()
        try:
            # A file cut short is still read up to the break in both passes: what came before it
            # is imported. An export refused at its start stops at once.
            for stage in (self.first_pass, self.second_pass):
                try:
                    stage()
                except ExportError as error:
                    self.report.fatal = str(error)
                    if self.site is None:
                        break
            self.site_redirects()
            self.flush_redirects()
        finally:
            self.uploads.close()
            if self.report.article_ids and not self.dry_run:
                ids = list(dict.fromkeys(self.report.article_ids))
                articles_loaded.send(sender=Article, article_ids=ids)
        return self.report

    def events(self):
        with open(self.path, "rb") as handle:
            reader = _Progress(handle, self.progress)
            yield from read(reader)

    def in_batches(self, events, size=BATCH):
        """The events in groups, each group handled in one transaction (one commit per group, a
        savepoint per item); a read error comes after the group read before it is handled."""
        while True:
            group, error = [], None
            try:
                for event in events:
                    group.append(event)
                    if len(group) >= size:
                        break
            except ExportError as problem:
                error = problem
            with transaction.atomic():
                yield group
            if error is not None:
                raise error
            if len(group) < size:
                return

    def first_pass(self):
        for group in self.in_batches(self.events()):
            for kind, value in group:
                self.take_header_or_picture(kind, value)

    def take_header_or_picture(self, kind, value):
        if kind == "site":
            self.site = value
        elif kind == "author":
            self.guard(f"author {value.get('author_login', '')!r}", self.take_author, value)
        elif kind == "category":
            nicename = unquote(value.get("category_nicename", ""))
            self.terms[("category", nicename)] = value.get("cat_name") or nicename
            self.term_ids[value.get("term_id", "")] = nicename
            if value.get("category_parent"):
                self.term_parents[nicename] = unquote(value["category_parent"])
        elif kind == "tag":
            nicename = unquote(value.get("tag_slug", ""))
            self.terms[("post_tag", nicename)] = value.get("tag_name") or nicename
        elif kind == "item":
            if value.post_type == "attachment":
                self.guard(f"picture {value.wp_id}", self.take_attachment, value)
                if value.post_parent:
                    self.children[value.post_parent].append(value.wp_id)

    def second_pass(self):
        for group in self.in_batches(self.events()):
            fresh = set() if self.dry_run else self.new_post_ids(group)
            new_posts = []
            for kind, value in group:
                if kind != "item" or value.post_type == "attachment":
                    continue
                if value.post_type == "post" and value.wp_id in fresh:
                    self.guard(f"post {value.wp_id}", lambda item, keep=new_posts.append: keep(self.prepare_post(item)), value)
                elif value.post_type == "post":
                    self.guard(f"post {value.wp_id}", self.take_post, value)
                elif value.post_type == "page":
                    self.guard(f"page {value.wp_id}", self.take_page, value)
                else:
                    self.report.counts[f"other items skipped ({value.post_type or 'no type'})"] += 1
            new_posts = [p for p in new_posts if p is not None]
            if new_posts:
                self.store_new_posts(new_posts)

    def guard(self, what, take, item):
        """One item, all or nothing; whatever goes wrong is a report line, never a stop."""
        try:
            with transaction.atomic():
                take(item)
                self.flush_remembered()
        except _Skip as skip:
            self.remembered = []
            self.report.skipped.append((what, str(skip)))
        except Exception as error:  # a database refusal on one item must not stop the others
            self.remembered = []
            self.sections.clear(), self.tags.clear(), self.sources.clear()  # may name rolled-back rows
            self.report.skipped.append((what, f"could not be stored: {type(error).__name__}: {str(error)[:200]}"))
        if len(self.redirects) >= 1000:
            self.flush_redirects()

    def unchanged(self, kind, item):
        known = self.mapped.get((kind, str(item.wp_id)))
        if known and known[1] == item.fingerprint:
            return True
        if self.since and known:
            modified = _safe_date(item.modified_gmt) or _safe_date(item.post_date_gmt)
            if modified and modified < self.since and not any(
                (_safe_date(c["date_gmt"]) or self.since) >= self.since for c in item.comments
            ):
                return True
        return False

    def remember(self, kind, wp_id, object_id, fingerprint="", wp_status="", is_sticky=False):
        """Note what an item became; written with the item's other rows (see flush_remembered)."""
        self.remembered.append(
            WordPressItem(
                kind=kind, wp_id=str(wp_id), object_id=object_id, fingerprint=fingerprint,
                wp_status=wp_status, is_sticky=is_sticky, imported_at=timezone.now(),
            )
        )  # fmt: skip

    def flush_remembered(self):
        rows, self.remembered = self.remembered, []
        for row in rows:
            self.mapped[(row.kind, row.wp_id)] = (row.object_id, row.fingerprint)
        WordPressItem.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "wp_id"],
            update_fields=["object_id", "fingerprint", "wp_status", "is_sticky", "imported_at"],
            batch_size=500,
        )

    # --- authors ---

    def take_author(self, value):
        login = value.get("author_login", "").strip()
        if not login:
            self.report.skipped.append(("an author", "no login"))
            return
        name = clean_text(value.get("author_display_name") or login)[:120]
        email = value.get("author_email", "")[:254]
        known = self.mapped.get((Kind.AUTHOR, login))
        author = Author.objects.filter(pk=known[0]).first() if known else None
        if self.dry_run:
            self.report.counts["authors"] += 1
            return
        if author is None:
            # Someone already on the desk with that name or email is the same person: linked, not changed.
            author = (email and Author.objects.filter(contact_email__iexact=email).first()) or Author.objects.filter(
                name=name
            ).first()
            if author is None:
                slug = slugify(login)[:140]
                if not slug or Author.objects.filter(slug=slug).exists():
                    slug = unique_slug(Author, name, max_length=140)
                author = Author.objects.create(name=name, slug=slug, contact_email=email)
                self.report.counts["authors created"] += 1
            else:
                self.report.counts["authors matched to ours"] += 1
            self.remember(Kind.AUTHOR, login, author.pk)
            self.flush_remembered()
        self.authors[login] = author.pk
        self.redirects.append((f"/author/{login}/", author.get_absolute_url(), "exact"))
        if value.get("author_id", "").isascii() and value.get("author_id", "").isdigit():
            self.redirects.append((f"/?author={value['author_id']}", author.get_absolute_url(), "exact"))
        self.redirects.append((f"/author/{login}/feed/", f"/feed/author/{author.slug}/", "exact"))

    # --- pictures ---

    def load_known_pictures(self):
        ids = {int(w): o for (k, w), (o, _f) in self.mapped.items() if k == Kind.ATTACHMENT and o}
        if not ids:
            return
        by_pk = {p.pk: p for p in Picture.objects.filter(pk__in=ids.values())}
        for att_id, pk in ids.items():
            if pk in by_pk:
                self.pictures[att_id] = _ref(by_pk[pk])

    def take_attachment(self, item: Item):
        relative = item.meta.get("_wp_attached_file") or relative_path(item.attachment_url)
        if relative:
            self.picture_paths[relative] = item.wp_id
            original = re.sub(r"-scaled(\.\w+)$", r"\1", relative)
            self.picture_paths[original] = item.wp_id
        page = old_path(item.link)
        if self.unchanged(Kind.ATTACHMENT, item) and item.wp_id in self.pictures:
            self.report.counts["pictures unchanged"] += 1
            self.picture_redirects(item, relative, page)
            return
        if not item.attachment_url.lower().split("?")[0].endswith((".jpg", ".jpeg", ".png", ".gif", ".webp")):
            raise _Skip("not a picture (only pictures are imported)")
        if not self.uploads.available:
            self.report.counts["pictures not imported (no uploads)"] += 1
            return
        data = self.uploads.read(relative)
        if data is None:
            raise _Skip(f"{relative} is not in the uploads folder")
        if self.dry_run:
            self.report.counts["pictures"] += 1
            return
        credit = _php_string(item.meta.get("_wp_attachment_metadata", ""), "credit")
        upload = SimpleUploadedFile(relative.rsplit("/", 1)[-1], data)
        try:
            with transaction.atomic():
                picture = add_picture(
                    upload,
                    alt_text=clean_text(item.meta.get("_wp_attachment_image_alt", ""))[:300],
                    caption=clean_text(strip_tags(item.excerpt))[:500],
                    credit=clean_text(credit)[:200],
                    title=clean_text(item.title)[:200],
                    origin=f"wordpress:attachment:{item.wp_id}",
                )
                created = (Kind.ATTACHMENT, str(item.wp_id)) not in self.mapped
                self.remember(Kind.ATTACHMENT, item.wp_id, picture.pk, item.fingerprint)
        except ValidationError as error:
            raise _Skip(f"{relative} is not a picture we accept: {' '.join(error.messages)}") from None
        self.pictures[item.wp_id] = _ref(picture)
        self.report.counts["pictures created" if created else "pictures updated"] += 1
        self.picture_redirects(item, relative, page)

    def picture_redirects(self, item, relative, page):
        ref = self.pictures.get(item.wp_id)
        if ref is None:
            return
        if relative:
            self.redirects.append((f"{self.uploads_path()}{relative}", ref.url, "exact"))
        if page:
            self.attachment_pages[item.wp_id] = page
            self.redirects.append((page, ref.url, "exact"))
        self.redirects.append((f"/?attachment_id={item.wp_id}", ref.url, "exact"))

    def uploads_path(self):
        base = urlsplit(self.site.base_site_url if self.site else "").path.rstrip("/")
        return f"{unquote(base)}/wp-content/uploads/"

    def resolve_picture(self, att_id, src):
        if att_id and att_id in self.pictures:
            return self.pictures[att_id]
        relative = relative_path(src) if src else ""
        if relative:
            found = self.picture_paths.get(relative) or self.picture_paths.get(
                re.sub(r"-(\d+x\d+|scaled)(\.\w+)$", r"\2", relative)
            )
            if found and found in self.pictures:
                return self.pictures[found]
        return None

    # --- posts ---

    def take_post(self, item: Item):
        post = self.prepare_post(item)
        if post is not None and not self.dry_run:
            self.store_post(post)

    def prepare_post(self, item: Item):
        """Check and convert one post (nothing stored); None when there is nothing to store."""
        if item.status in ("auto-draft", "inherit") or item.status not in STATUSES:
            raise _Skip(f"status {item.status or 'none'!r} is not imported")
        if self.unchanged(Kind.POST, item):
            self.report.counts["posts unchanged"] += 1
            self.post_redirects(item, self.mapped[(Kind.POST, str(item.wp_id))][0])
            return None
        notes = []
        status = STATUSES[item.status]
        try:
            published = parse_gmt(item.post_date_gmt) or (
                parse_gmt(item.post_date) if item.status in ("publish", "future") else None
            )
        except ValueError as error:
            notes.append(f"{error}: imported as a draft with no date")
            published, status = None, Article.Status.DRAFT
        try:
            modified = parse_gmt(item.modified_gmt)
        except ValueError:
            modified = None
        if status == Article.Status.PUBLISHED and published is None:
            published = modified
            if published is None:
                notes.append("published with no date: imported as a draft")
                status = Article.Status.DRAFT
        headline = clean_text(item.title).strip()
        converted = convert(item.content, resolve=self.resolve_picture, children_of_post=lambda: self.children[item.wp_id])
        notes += converted.notes
        if not headline:
            text = strip_tags(converted.body) or strip_tags(item.excerpt)
            headline = Truncator(" ".join(text.split())).words(10, truncate="…") or f"Untitled (WordPress post {item.wp_id})"
            notes.append(f"no title: headline made from its first words ({headline!r})")
        for note in notes:
            self.report.notes.append((f"post {item.wp_id}", note))
        if self.dry_run:
            self.report.counts["posts"] += 1
        return _Post(item, headline, converted.body, status, published, modified, notes)

    def store_post(self, post):
        item = post.item
        with transaction.atomic():
            article, created = self.store_article(
                item, post.headline, post.body, post.status, post.published, post.modified, post.notes
            )
            self.take_comments(item, article, new_article=created)
            self.remember(
                Kind.POST, item.wp_id, article.pk, item.fingerprint, wp_status=item.status, is_sticky=item.is_sticky
            )
        self.post_stored(item, article, created)

    def post_stored(self, item, article, created):
        self.report.article_ids.append(article.pk)
        self.report.counts["posts created" if created else "posts updated"] += 1
        if item.status in ("private", "trash"):
            self.report.counts[f"posts kept unpublished ({item.status})"] += 1
        if item.is_sticky:
            self.report.counts["sticky posts"] += 1
        self.post_redirects(item, article.pk, article)

    # --- new posts in bulk ---

    def new_post_ids(self, group):
        """WordPress ids of the group's posts never imported before (each once in the group)."""
        ids = Counter(v.wp_id for k, v in group if k == "item" and v.post_type == "post")
        fresh = {i for i, n in ids.items() if n == 1 and (Kind.POST, str(i)) not in self.mapped}
        if fresh:
            taken = Article.objects.filter(external_id__in=[f"wordpress:post:{i}" for i in fresh])
            fresh -= {int(e.rsplit(":", 1)[1]) for e in taken.values_list("external_id", flat=True)}
        return fresh

    def store_new_posts(self, posts):
        """Posts seen for the first time, written a group at a time. If the group fails, each is
        stored on its own, so the report names the one that cannot be stored."""
        try:
            with transaction.atomic():
                stored = self.insert_posts(posts)
                self.flush_remembered()
        except Exception:
            self.remembered = []
            self.sections.clear(), self.tags.clear(), self.sources.clear()
            for post in posts:
                self.guard(f"post {post.item.wp_id}", self.store_post, post)
            return
        for post, article in stored:
            self.post_stored(post.item, article, True)

    def insert_posts(self, posts):
        """Each story saved once (through Article.save or set_lead_picture, so the newsroom's
        own rules apply); their tags, authors and mappings written together."""
        wanted = [wanted_slug(p.item, p.headline) for p in posts]
        taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        tag_rows, author_rows, stored = [], [], []
        Tags, Authors = Article.tags.through, Article.authors.through
        for post in posts:
            item = post.item
            article = Article(
                external_id=f"wordpress:post:{item.wp_id}",
                headline=post.headline[:300],
                body=post.body,
                summary=clean_text(strip_tags(item.excerpt)).strip()[:1000],
                status=post.status,
                publish_at=post.published,
                comments_open=item.comment_status == "open",
                section=self.section_for(item),
            )
            article.source, article.source_url = self.source_for(item)
            article.slug = self.slug_for(item, post.headline, article, post.notes, taken=taken)
            taken.add(article.slug)
            picture = self.featured_picture(item)
            if picture is not None:
                set_lead_picture(article, picture)  # saves the story
            else:
                article.save()
            tag_rows += [Tags(article_id=article.pk, tag_id=t) for t in sorted({t.pk for t in self.tags_for(item, article.section)})]
            author = self.authors.get(item.creator)
            if author:
                author_rows.append(Authors(article_id=article.pk, author_id=author))
            stored.append((post, article))
        Tags.objects.bulk_create(tag_rows)
        Authors.objects.bulk_create(author_rows)
        for post, article in stored:
            record_revision(article)
            self.take_comments(post.item, article, new_article=True)
            self.remember(
                Kind.POST, post.item.wp_id, article.pk, post.item.fingerprint,
                wp_status=post.item.status, is_sticky=post.item.is_sticky,
            )  # fmt: skip
            # WordPress's own dates, not the import's: no "Updated <import day>".
            article.created_at = post.published or article.created_at
            article.updated_at = post.modified or post.published or article.updated_at
        Article.objects.bulk_update([a for _p, a in stored], ["created_at", "updated_at"])
        return stored

    def store_article(self, item, headline, body, status, published, modified, notes):
        external_id = f"wordpress:post:{item.wp_id}"
        # Only the story that came from this post is ever updated (never one an editor wrote).
        article = Article.objects.filter(external_id=external_id).first()
        created = article is None
        if created:
            article = Article(external_id=external_id)
        article.headline = headline[:300]
        article.body = body
        article.summary = clean_text(strip_tags(item.excerpt)).strip()[:1000]
        article.status = status
        article.publish_at = published
        article.comments_open = item.comment_status == "open"
        article.section = self.section_for(item)
        article.source, article.source_url = self.source_for(item)
        article.slug = self.slug_for(item, headline, article, notes)
        picture = self.featured_picture(item)
        if picture is not None:
            set_lead_picture(article, picture)  # saves the story: one save either way
        else:
            article.save()
        article.tags.set(self.tags_for(item, article.section))
        author = self.authors.get(item.creator)
        if author:
            article.authors.set([author])
        record_revision(article)
        # The dates WordPress had, not the import's: no "Updated <today>" on an old story.
        stamp = {"updated_at": modified or published or article.updated_at}
        if published:
            stamp["created_at"] = published
        Article.objects.filter(pk=article.pk).update(**stamp)
        return article, created

    def tags_for(self, item, section):
        """The post's tags and its categories other than the one that became its section."""
        tags = [self.tag_for(nicename, name) for domain, nicename, name in item.categories if domain == "post_tag"]
        tags += [
            self.tag_for(unquote(nicename), name)
            for domain, nicename, name in item.categories
            if domain == "category" and unquote(nicename) != section.slug
        ]
        return [t for t in tags if t]

    def featured_picture(self, item):
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not (thumbnail.isascii() and thumbnail.isdigit()):
            return None
        ref = self.pictures.get(int(thumbnail))
        if ref is None:
            self.report.notes.append((f"post {item.wp_id}", f"featured picture {thumbnail} was not imported"))
            return None
        return Picture.objects.filter(pk=ref.picture_id).first()

    def slug_for(self, item, headline, article, notes, *, taken=None):
        """The post's own slug, or the first free `slug-N`. `taken`: slugs known to be in use
        (a group being written in bulk); without it, the database is asked."""
        wanted = wanted_slug(item, headline)
        if article.pk and article.slug == wanted:
            return wanted

        def in_use(slug):
            if taken is not None and (slug in taken or slug == wanted):  # `wanted` was looked up with the group
                return slug in taken
            return Article.objects.filter(slug=slug).exclude(pk=article.pk).exists()

        candidate, n = wanted, 1
        while in_use(candidate):
            n += 1
            candidate = f"{wanted[: SLUG_MAX - 8]}-{n}"
        if candidate != wanted:
            note = f"slug {wanted!r} is taken: stored as {candidate!r}"
            notes.append(note)
            self.report.notes.append((f"post {item.wp_id}", note))
        return candidate

    def section_for(self, item):
        categories = [(unquote(n), name) for domain, n, name in item.categories if domain == "category"]
        primary = self.term_ids.get(item.meta.get("_yoast_wpseo_primary_category", "").strip())
        chosen = next((c for c in categories if c[0] == primary), categories[0] if categories else None)
        if chosen is None:
            name, nicename = conf.default_section(), slugify(conf.default_section())
        else:
            nicename, name = chosen
        name = clean_text(name or nicename)[:120]
        if (nicename, name) in self.sections:
            return self.sections[(nicename, name)]
        section = Section.objects.filter(slug=nicename).first() or Section.objects.filter(name__iexact=name).first()
        if section is None:
            slug = nicename if _ascii_slug(nicename) and not Section.objects.filter(slug=nicename).exists() else ""
            section = Section.objects.create(name=name, slug=slug)
            self.report.counts["sections created"] += 1
        self.used_categories.add(nicename)
        self.sections[(nicename, name)] = section
        return section

    def tag_for(self, nicename, name):
        nicename = unquote(nicename or "")
        name = clean_text(name or nicename).strip()[:120]
        if not name:
            return None
        if (nicename, name) in self.tags:
            return self.tags[(nicename, name)]
        tag = (nicename and Tag.objects.filter(slug=nicename).first()) or Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            slug = nicename if _ascii_slug(nicename) and not Tag.objects.filter(slug=nicename).exists() else ""
            tag = Tag.objects.create(name=name, slug=slug)
        self.used_tags.add((nicename, tag.pk))
        self.tags[(nicename, name)] = tag
        return tag

    def source_for(self, item):
        name = clean_text(strip_tags(item.meta.get(conf.source_meta_key(), ""))).strip()[:120]
        url = item.meta.get(conf.source_url_meta_key(), "").strip()
        if not url.startswith(("http://", "https://")) or len(url) > 1000:
            url = ""
        source = None
        if name:
            source = self.sources.get(name.lower())
            if source is None:
                source = Source.objects.filter(name__iexact=name).first() or Source.objects.create(name=name)
                self.sources[name.lower()] = source
        return source, url

    def post_redirects(self, item, article_id, article=None):
        if item.status not in ("publish", "future"):  # never public on the old site: no old address
            return
        if article is None:
            article = Article.objects.filter(pk=article_id).only("slug").first()
            if article is None:
                return
        url = article.get_absolute_url()
        for path in {old_path(item.link), f"/?p={item.wp_id}", old_path(item.guid) if "?p=" in item.guid else ""}:
            if path and path != "/":
                self.redirects.append((path, url, "exact"))
        link = old_path(item.link)
        if link.endswith("/") and "?" not in link:
            self.redirects.append((f"{link}feed/", f"/comments/feed/{article_id}/", "exact"))
            self.redirects.append((f"{link}amp/", url, "exact"))
        try:
            published = parse_gmt(item.post_date_gmt)
        except ValueError:
            published = None
        if published and item.status == "publish":
            self.archives.add((published.year, published.month, published.day))

    # --- comments ---

    def take_comments(self, item, article, *, new_article=False):
        """Every comment of a post, stored a thread level at a time (parents before replies);
        a comment seen before is updated in place."""
        by_id = {c["wp_id"]: c for c in item.comments if c["wp_id"]}
        if not by_id:
            return
        ours = {}  # wp id -> Comment
        known, seen = {}, set()
        if not new_article:  # a story made just now has no comments yet
            mapped = [self.mapped.get((Kind.COMMENT, str(w)), (None,))[0] for w in by_id]
            known = {c.pk: c for c in Comment.objects.filter(pk__in=[o for o in mapped if o], article=article)}
            seen = set(Comment.objects.filter(article=article).values_list("author_email", "fingerprint"))
        level = [c for c in by_id.values() if not c["parent"] or c["parent"] not in by_id]
        handled = set()
        while level:
            new, changed = [], []
            for data in sorted(level, key=lambda c: c["wp_id"]):
                handled.add(data["wp_id"])
                # A reply to a comment left out (a pingback, an empty one) joins the thread above it.
                parent = by_id.get(data["parent"])
                while parent is not None and parent["wp_id"] not in ours:
                    parent = by_id.get(parent["parent"])
                comment = self.build_comment(data, article, ours.get(parent["wp_id"]) if parent else None, known, seen)
                if comment is None:
                    continue
                ours[data["wp_id"]] = comment
                (changed if comment.pk else new).append((data, comment))
            Comment.objects.bulk_create([c for _d, c in new])  # as they are: no per-comment signal
            for _data, comment in changed:
                models.Model.save(comment)
            for data, comment in new + changed:
                self.remember(Kind.COMMENT, data["wp_id"], comment.pk)
                self.report.counts[f"comments {comment.status}"] += 1
            level = [c for c in by_id.values() if c["parent"] in handled and c["wp_id"] not in handled]
        for wp_id in sorted(by_id.keys() - handled):
            self.report.skipped.append((f"comment {wp_id}", "its thread loops back on itself"))
        if ours:
            CommentTally.recount(article.pk)

    def build_comment(self, data, article, parent, known, seen):
        what = f"comment {data['wp_id']}"
        if data["type"] in ("pingback", "trackback"):
            self.report.counts[f"{data['type']}s skipped"] += 1
            return None
        status = COMMENT_STATUSES.get(data["approved"])
        if status is None:
            self.report.skipped.append((what, f"unknown approval {data['approved']!r}"))
            return None
        try:
            created_at = parse_gmt(data["date_gmt"]) or parse_gmt(data["date"]) or timezone.now()
        except ValueError as error:
            self.report.skipped.append((what, str(error)))
            return None
        body = clean_comment_text(data["content"]).strip()
        if not body:
            self.report.skipped.append((what, "empty comment"))
            return None
        mapped = self.mapped.get((Kind.COMMENT, str(data["wp_id"])))
        comment = known.get(mapped[0]) if mapped else None
        if comment is None:
            comment = Comment(article=article)
        comment.parent = parent
        comment.thread_id = (parent.thread_id or parent.pk) if parent else None
        comment.depth = parent.depth + 1 if parent else 1
        comment.author_name = clean_comment_text(data["author"]).strip()[:100] or "Anonymous"
        email = normalise_email(clean_comment_text(data["email"]))[:254]
        url = data["url"].strip()
        comment.author_url = url[:200] if url.startswith(("http://", "https://")) else ""
        fingerprint = body_fingerprint(body)
        if (comment.author_email, comment.fingerprint) != (email, fingerprint):
            if (email, fingerprint) in seen:
                self.report.skipped.append((what, "the same words from the same person on this story are already there"))
                return None
            seen.add((email, fingerprint))
        comment.author_email, comment.body, comment.fingerprint = email, body, fingerprint
        comment.body_html = render_comment(body)
        comment.status = status
        comment.ip_address = data["ip"][:64]
        comment.created_at = comment.updated_at = created_at
        return comment

    # --- pages ---

    def take_page(self, item: Item):
        if item.status not in ("publish", "draft", "private", "pending", "future"):
            raise _Skip(f"status {item.status or 'none'!r} is not imported")
        known = self.mapped.get((Kind.PAGE, str(item.wp_id)))
        if self.unchanged(Kind.PAGE, item) and known and Page.objects.filter(pk=known[0]).exists():
            self.report.counts["pages unchanged"] += 1
            page = Page.objects.get(pk=known[0])
        else:
            converted = convert(item.content, resolve=self.resolve_picture, children_of_post=lambda: self.children[item.wp_id])
            for note in converted.notes:
                self.report.notes.append((f"page {item.wp_id}", note))
            if self.dry_run:
                self.report.counts["pages"] += 1
                return
            title = clean_text(item.title).strip() or f"Page {item.wp_id}"
            with transaction.atomic():
                page = save_page(
                    page_id=known[0] if known else None,
                    title=title,
                    slug=unquote(item.post_name).lower(),
                    body=converted.body,
                    is_published=item.status == "publish",
                )
                if not known:  # a new page goes in the footer menu, as on most WordPress themes
                    add_page_to_menu(page, menu="footer", position=max(0, min(item.menu_order, 32767)))
                self.remember(Kind.PAGE, item.wp_id, page.pk, item.fingerprint, wp_status=item.status)
            self.report.counts["pages created" if not known else "pages updated"] += 1
        url = page.get_absolute_url()
        for path in (old_path(item.link), f"/?page_id={item.wp_id}", f"/?p={item.wp_id}"):
            if path and path != "/":
                self.redirects.append((path, url, "exact"))

    # --- addresses of the old site ---

    def site_redirects(self):
        for nicename in self.used_categories:
            section = Section.objects.filter(slug=nicename).first() or Section.objects.filter(
                name__iexact=self.terms.get(("category", nicename), nicename)
            ).first()
            if section is None:
                continue
            paths = {f"/category/{nicename}/", f"/category/{self.category_path(nicename)}/"}
            paths |= {f"/?cat={term_id}" for term_id, name in self.term_ids.items() if name == nicename and term_id}
            for path in paths:
                self.redirects.append((path, section.get_absolute_url(), "exact"))
                self.redirects.append((f"{path}feed/", f"/feed/section/{section.slug}/", "exact"))
        for nicename, tag_pk in self.used_tags:
            tag = Tag.objects.filter(pk=tag_pk).first()
            if tag is None or not nicename:
                continue
            if ("category", nicename) in self.terms:  # a secondary category that became a tag
                path = f"/category/{self.category_path(nicename)}/"
                if nicename not in self.used_categories:
                    self.redirects.append((path, tag.get_absolute_url(), "exact"))
                    self.redirects.append((f"{path}feed/", f"/feed/tag/{tag.slug}/", "exact"))
            else:
                self.redirects.append((f"/tag/{nicename}/", tag.get_absolute_url(), "exact"))
                self.redirects.append((f"/?tag={nicename}", tag.get_absolute_url(), "exact"))
                self.redirects.append((f"/tag/{nicename}/feed/", f"/feed/tag/{tag.slug}/", "exact"))
        for year, month, day in self.archives:
            self.redirects.append((f"/{year}/", f"/archive/{year}/", "exact"))
            self.redirects.append((f"/{year}/{month:02d}/", f"/archive/{year}/{month}/", "exact"))
            self.redirects.append((f"/{year}/{month:02d}/{day:02d}/", f"/archive/{year}/{month}/{day}/", "exact"))
            self.redirects.append((f"/?m={year}{month:02d}", f"/archive/{year}/{month}/", "exact"))
        for path, target in (
            ("/feed/rss2/", "/feed/"),
            ("/feed/rss/", "/feed/"),
            ("/feed/rdf/", "/feed/"),
            ("/rss/", "/feed/"),
            ("/?feed=rss2", "/feed/"),
            ("/?feed=atom", "/feed/atom/"),
            ("/comments/feed/", "/comments/feed/"),
            ("/wp-login.php", "/admin/"),
            ("/wp-admin/", "/admin/"),
        ):
            self.redirects.append((path, target, "exact"))

    def category_path(self, nicename):
        chain, seen = [nicename], {nicename}
        while chain[0] in self.term_parents and self.term_parents[chain[0]] not in seen:
            chain.insert(0, self.term_parents[chain[0]])
            seen.add(chain[0])
        return "/".join(chain)

    def flush_redirects(self):
        rules = [(p, u, m) for p, u, m in self.redirects if p and p != u and not _serves_itself(p, u)]
        self.redirects = []
        if self.dry_run or not rules:
            return
        added = add_many(rules, origin="wordpress")
        self.report.counts["redirects added or refreshed"] += added


def _serves_itself(old, new):
    """An old address that is one of ours and already the new one needs no rule; one of ours
    that differs (our /feed/ vs their /feed/rss2/) is only a fallback after a 404."""
    return old.split("?", 1)[0] == new and _is_our_address(old)


class _Skip(Exception):
    pass


@dataclass
class _Post:
    """A post checked and converted, ready to be stored."""

    item: Item
    headline: str
    body: str
    status: str
    published: datetime.datetime | None
    modified: datetime.datetime | None
    notes: list


def wanted_slug(item, headline):
    """The slug WordPress had (percent-decoded), else one made from the headline."""
    wanted = unquote(item.post_name).strip().lower()[:SLUG_MAX] or slugify(headline, allow_unicode=True)[:SLUG_MAX]
    wanted = re.sub(r"__trashed(-\d+)?$", "", wanted)
    return wanted or slugify(strip_tags(headline))[: SLUG_MAX - 8].strip("-") or "story"


class _Progress:
    """A file wrapper that moves a progress bar by the bytes read."""

    def __init__(self, handle, bar):
        self.handle, self.bar = handle, bar

    def read(self, size=-1):
        data = self.handle.read(size)
        if self.bar is not None:
            self.bar.update(len(data))
        return data


def _ref(picture):
    return PictureRef(
        picture_id=picture.pk,
        url=picture.file.url,
        width=picture.width,
        height=picture.height,
        alt=picture.alt_text,
        caption=picture.caption,
        credit=picture.credit,
    )


def _safe_date(value):
    try:
        return parse_gmt(value)
    except ValueError:
        return None


def _ascii_slug(value):
    return bool(value) and re.fullmatch(r"[-a-zA-Z0-9_]+", value) is not None and len(value) <= 140


def _php_string(serialized, key):
    """One string value from PHP's serialize() output (the attachment metadata), or ""."""
    match = re.search(rf's:{len(key)}:"{re.escape(key)}";s:\d+:"([^"]*)";', serialized or "")
    return match.group(1) if match else ""
