"""The newsroom's own words: Section, Tag, Author, Source, Article, Correction, Revision."""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from broadsheet.core.text import clean_text

from .text import render_body, to_body

_SLUG_PLACEHOLDER = "0slug0"
_url_patterns = {}


def slug_url(view_name, slug):
    """reverse(view_name, args=[slug]) for the pages named by a slug, without resolving the
    pattern again each time (a listing links to dozens of stories, sections and tags)."""
    key = (view_name, get_script_prefix())
    pattern = _url_patterns.get(key)
    if pattern is None:
        pattern = _url_patterns[key] = reverse(view_name, args=[_SLUG_PLACEHOLDER]).split(_SLUG_PLACEHOLDER)
    before, after = pattern
    return f"{before}{slug}{after}"


SLUG_MAX = 200


def unique_slug(model, text, *, instance_pk=None, field="slug", max_length=SLUG_MAX):
    """A slug from `text` that no other row of `model` uses: `name`, `name-2`, `name-3`..."""
    base = slugify(strip_tags(text or ""), allow_unicode=False)[: max_length - 8].strip("-") or "story"
    candidate, n = base, 1
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager.all()
    while others.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class NamedQuerySet(models.QuerySet):
    def find_or_create(self, name):
        """The row named `name` (any case, spaces collapsed), created if there is none; None for
        an empty name. Safe when two requests or workers ask for the same new name at once."""
        name = " ".join((name or "").split())[: self.model._meta.get_field("name").max_length]
        if not name:
            return None
        for _attempt in range(3):
            found = self.filter(name__iexact=name).first()
            if found is not None:
                return found
            try:
                with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
                    return self.create(name=name)
            except IntegrityError:
                # Someone else created this name, or took the slug we picked, since we looked.
                continue
        return self.get(name__iexact=name)


class SluggedModel(models.Model):
    """A named thing with a unique slug made from its name."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True, blank=True)

    objects = NamedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, instance_pk=self.pk, max_length=140)
        super().save(*args, **kwargs)


class SectionQuerySet(NamedQuerySet):
    def navigation(self):
        return self.filter(in_navigation=True).order_by("position", "name")


class Section(SluggedModel):
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the site header.")
    in_navigation = models.BooleanField(default=True)

    objects = SectionQuerySet.as_manager()

    class Meta(SluggedModel.Meta):
        ordering = ["position", "name"]

    def get_absolute_url(self):
        return slug_url("newsroom:section", self.slug)


class Tag(SluggedModel):
    def get_absolute_url(self):
        return slug_url("newsroom:tag", self.slug)


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="authors/%Y/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )
    is_guest = models.BooleanField(default=False, help_text="An outside contributor, not staff.")
    # Private: used by editors to reach a guest contributor. Never rendered on a public page.
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, instance_pk=self.pk, max_length=140)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("newsroom:author", self.slug)


class Source(SluggedModel):
    """Another outlet whose stories we republish."""

    homepage = models.URLField(blank=True)
    country = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=12, blank=True, default="en")
    # A picture of the one library (verified and re-encoded on the way in like every upload).
    logo = models.ForeignKey(
        "media.Picture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A small picture of the outlet's logo, shown beside its name.",
    )

    LOGO_HEIGHT = 24
    LOGO_MAX_WIDTH = 120

    def get_absolute_url(self):
        return slug_url("newsroom:source", self.slug)

    def logo_size(self):
        """(width, height) the logo is shown at: LOGO_HEIGHT high, at most LOGO_MAX_WIDTH wide,
        never larger than the picture itself; None without a logo."""
        picture = self.logo
        if picture is None or not picture.width or not picture.height:
            return None
        scale = min(self.LOGO_HEIGHT / picture.height, self.LOGO_MAX_WIDTH / picture.width, 1.0)
        return max(1, round(picture.width * scale)), max(1, round(picture.height * scale))


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=now or timezone.now())

    def in_section(self, section):
        return self.filter(section=section)

    def latest_first(self):
        return self.order_by("-publish_at", "-id")

    def pinned(self):
        """Stories pinned as the home page's lead, the one pinned last first."""
        return self.filter(pinned_at__isnull=False).order_by("-pinned_at", "-publish_at", "-id")

    def for_listing(self):
        """What a list of teasers shows: no bodies, the section and source in the same query."""
        return self.select_related("section", "source").defer("body", "body_html")

    def editable_by(self, user):
        if user.has_perm("newsroom.publish_article"):
            return self
        return self.filter(created_by=user)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=300)
    # Unicode letters are welcome (a Turkish or Greek story keeps its own words in its address).
    slug = models.SlugField(max_length=SLUG_MAX, unique=True, blank=True, allow_unicode=True)
    summary = models.TextField(blank=True, max_length=1000)
    body = models.TextField(blank=True, help_text="HTML in the story body format (docs/body-format.md).")
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When the story appears. A future time schedules it."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    image = models.ImageField(upload_to="articles/%Y/%m/", blank=True)
    image_caption = models.CharField(max_length=300, blank=True)
    image_credit = models.CharField(max_length=200, blank=True)
    image_alt = models.CharField(
        max_length=300, blank=True, help_text="Describes the picture for screen readers."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    source_url = models.URLField(
        max_length=1000, blank=True, help_text="The original story, when republished."
    )
    language = models.CharField(max_length=12, default="en")
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The story this one translates: readers and search engines are pointed between them.",
    )
    comments_open = models.BooleanField(default=True)
    pinned_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the story was pinned as the home page's lead (the one pinned last leads while published).",
    )
    external_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The desk's additions: search-engine and social-network wording, and a version number that
    # every save moves on, so a save made on top of an older version can be refused.
    seo_title = models.CharField("SEO title", max_length=300, blank=True)
    seo_description = models.CharField("SEO description", max_length=500, blank=True)
    social_image = models.ImageField(upload_to="articles/%Y/%m/", blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", "Can publish, unpublish and schedule articles")]
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="article_public_idx"),
            models.Index(fields=["section", "status", "-publish_at"], name="article_section_idx"),
            models.Index(fields=["source", "status", "-publish_at"], name="article_source_idx"),
            models.Index(
                fields=["-pinned_at"], name="article_pinned_idx", condition=models.Q(pinned_at__isnull=False)
            ),
            # Everything an article sitemap page reads, so it is read from the index alone.
            models.Index(
                fields=["id", "status", "publish_at", "slug", "updated_at"], name="article_sitemap_idx"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.prepare_for_save(update_fields=kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def prepare_for_save(self, *, update_fields=None):
        """What every save does to the story before it is written (clean text, a slug, the body
        in its format and rendered, times and version); a bulk writer calls it for each story
        before bulk_create, so its stories obey the same rules (the WordPress import)."""
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and isinstance(
                getattr(self, field.attname), str
            ):
                setattr(self, field.attname, clean_text(getattr(self, field.attname)))
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, instance_pk=self.pk)
        # A Markdown body (import-articles, contributors, older callers) is stored in the HTML
        # body format from now on; an HTML body is sanitised to the format's vocabulary.
        self.body = to_body(self.body)
        self.body_html = render_body(self.body)
        if self.external_id == "":
            self.external_id = None
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if update_fields is None or "updated_at" in update_fields:
            self.updated_at = timezone.now()
        if update_fields is None or "version" in update_fields:
            self.version = (self.version or 0) + 1

    # --- questions about one article ---

    def is_published(self, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )

    def is_scheduled(self, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > (now or timezone.now())
        )

    def was_updated(self):
        return bool(
            self.publish_at
            and self.updated_at
            and self.updated_at - self.publish_at > timezone.timedelta(minutes=5)
        )

    def is_pinned(self):
        return self.pinned_at is not None

    def is_republished(self):
        return self.source_id is not None or bool(self.source_url)

    def translation_links(self):
        """[(language, url)] of this story and its published translations (hreflang), or [] alone."""
        if self.__dict__.get("_no_translations"):  # known from translation_families()
            return []
        root_id = self.translation_of_id or self.pk
        family = list(
            Article.objects.published()
            .filter(models.Q(pk=root_id) | models.Q(translation_of_id=root_id))
            .only("language", "slug")
            .order_by("language", "pk")
        )
        if len(family) < 2:
            return []
        links = {}
        for story in family:
            links.setdefault(story.language, story.get_absolute_url())
        return sorted(links.items())

    RIGHT_TO_LEFT = ("ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb")

    def text_direction(self):
        """ "rtl" for a story in Arabic, Hebrew, Persian, Urdu... (the page sets dir by it)."""
        return "rtl" if (self.language or "").split("-")[0].lower() in self.RIGHT_TO_LEFT else "ltr"

    # --- addresses ---

    def get_absolute_url(self):
        return slug_url("newsroom:article", self.slug)

    def preview_token(self):
        return signing.TimestampSigner(salt="newsroom.preview").sign(str(self.pk))

    def get_preview_url(self):
        return reverse("newsroom:preview", args=[self.preview_token()])

    @staticmethod
    def from_preview_token(token, max_age=7 * 24 * 3600):
        pk = signing.TimestampSigner(salt="newsroom.preview").unsign(token, max_age=max_age)
        return Article.objects.get(pk=int(pk))

    # --- revisions ---

    REVISION_FIELDS = (
        "headline",
        "summary",
        "body",
        "status",
        "publish_at",
        "section_id",
        "source_id",
        "source_url",
        "image_caption",
        "image_credit",
        "image_alt",
        "language",
        "comments_open",
        "seo_title",
        "seo_description",
    )

    def snapshot(self, *, tags=None, authors=None):
        """The story as a revision keeps it; `tags` (names) and `authors` (ids) when the caller
        knows them already (a bulk writer), else they are read."""
        data = {}
        for name in self.REVISION_FIELDS:
            value = getattr(self, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if self.pk:
            data["tags"] = sorted(tags if tags is not None else self.tags.values_list("name", flat=True))
            data["authors"] = sorted(authors if authors is not None else self.authors.values_list("pk", flat=True))
        return data


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.created_at:%Y-%m-%d}"


class Revision(models.Model):
    """A copy of an article's words and settings as they were after one save."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M:%S}"
