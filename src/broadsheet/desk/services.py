"""The desk's operations: saving a story from the editor (never over someone else's newer
version), the workflow steps, presence, and what each person's dashboard lists."""

import re
import time
from html import unescape

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import strip_tags

from broadsheet.media import services as media
from broadsheet.media.models import Picture
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.admin import revision_diff
from broadsheet.newsroom.models import Article, Revision, Source, Tag, slug_url, unique_slug

from . import conf
from .forms import StoryForm
from .models import TabSave

ACTIONS = ("save", "review", "publish", "schedule", "unpublish")


class Conflict(Exception):
    """Someone saved the story after the version the editor started from."""

    def __init__(self, article):
        super().__init__("This story was saved by someone else since you opened it.")
        self.article = article


def picture_data(picture):
    if picture is None:
        return None
    return {
        "id": picture.pk,
        "url": picture.file.url,
        "width": picture.width,
        "height": picture.height,
        "alt": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
    }


def _picture_for(file_name):
    return Picture.objects.filter(file=file_name).first() if file_name else None


def _name_of(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def story_data(article, *, tags=None, authors=None, saved_by=None):
    """Everything the editor shows for a story, as JSON-ready values.

    `tags` (names), `authors` (ids) and `saved_by` (a name), when the caller knows them (it just
    saved them), spare the queries that would read them back.
    """
    if saved_by is None:
        last = article.revisions.select_related("created_by").first() if article.pk else None
        saved_by = _name_of(last.created_by) if last and last.created_by else ""
    return {
        "id": article.pk,
        "version": article.version,
        "headline": article.headline,
        "summary": article.summary,
        "body": article.body,
        "slug": article.slug,
        "section": article.section_id,
        "tags": sorted(article.tags.values_list("name", flat=True) if tags is None else tags),
        "authors": sorted(article.authors.values_list("pk", flat=True) if authors is None else authors),
        "source_name": article.source.name if article.source_id else "",
        "source_url": article.source_url,
        "language": article.language,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "comments_open": article.comments_open,
        "pinned": article.is_pinned(),
        "lead_picture": picture_data(_picture_for(article.image.name)),
        "social_picture": picture_data(_picture_for(article.social_image.name)),
        "status": article.status,
        "state": state_label(article),
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
        "is_published": article.status == Article.Status.PUBLISHED,
        "url": article.get_absolute_url(),
        "preview_url": article.get_preview_url(),
        "saved_at": article.updated_at.isoformat() if article.updated_at else None,
        "saved_by": saved_by,
    }


def state_label(article):
    if article.is_scheduled():
        return f"Scheduled for {timezone.localtime(article.publish_at):%d %b %Y, %H:%M}"
    return article.get_status_display()


def new_story(*, by):
    from broadsheet.newsroom.models import Section

    section = Section.objects.order_by("position", "name").first() or Section.objects.create(name="News")
    article = Article(headline="", section=section, created_by=by, status=Article.Status.DRAFT)
    article.slug = unique_slug(Article, f"untitled-{int(time.time())}")
    article.save()
    newsroom.record_revision(article, by=by)
    return article


def _should_record_revision(article, by, action):
    if action != "save":
        return True
    last = Revision.objects.filter(article=article).order_by("-created_at", "-id").first()
    return (
        last is None
        or last.created_by_id != getattr(by, "pk", None)
        or (timezone.now() - last.created_at).total_seconds() >= conf.REVISION_EVERY_SECONDS
        or last.data.get("status") != article.status
    )


@transaction.atomic
def save_story(article_id, changes, *, base_version, by, action="save", publish_at=None, client="", seq=0):
    """Apply the editor's fields to a story and take a workflow step; returns the article.

    `client` names one editor tab (it survives a reload) and `seq` numbers its saves: when the
    newer version is that tab's own last save (sent as the page closed, its answer never read)
    and this save was made after it, it is not a conflict; a late save the tab made earlier is.
    Raises Conflict when the story moved on past `base_version`, ValidationError with
    per-field messages for bad values, PermissionDenied for what this person may not do.
    """
    if action not in ACTIONS:
        raise ValidationError({"action": "Unknown action."})
    article = (
        Article.objects.select_for_update(of=("self",)).select_related("section", "source").get(pk=article_id)
    )
    if article.version != base_version and not _follows_own_save(article, client, seq):
        raise Conflict(article)
    was_published = article.status == Article.Status.PUBLISHED
    old_slug = article.slug
    form = StoryForm(changes, instance=article)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    data = form.cleaned_data
    article = form.save(commit=False)
    if not data["slug"]:
        article.slug = (
            old_slug if was_published else unique_slug(Article, article.headline, instance_pk=article.pk)
        )
    source_name = data["source_name"].strip()
    article.source = (
        (Source.objects.filter(name__iexact=source_name).first() or Source.objects.create(name=source_name))
        if source_name
        else None
    )
    social = data["social_picture"]
    article.social_image = social.file.name if social else ""
    if action == "publish":
        newsroom.check_can_save(article, by=by, status=Article.Status.PUBLISHED)
        article.status = Article.Status.PUBLISHED
        if article.publish_at is None or article.publish_at > timezone.now():
            article.publish_at = timezone.now()
    elif action == "schedule":
        if publish_at is None or publish_at <= timezone.now():
            raise ValidationError({"publish_at": "Choose a time in the future to schedule the story."})
        newsroom.check_can_save(article, by=by, status=Article.Status.PUBLISHED)
        article.status, article.publish_at = Article.Status.PUBLISHED, publish_at
    elif action == "review":
        newsroom.check_can_save(article, by=by)
        article.status = Article.Status.REVIEW
    elif action == "unpublish":
        newsroom.check_can_save(article, by=by)
        article.status = Article.Status.DRAFT
    else:
        newsroom.check_can_save(article, by=by)
    if "pinned" in changes and bool(changes["pinned"]) != article.is_pinned():
        newsroom.set_lead(article, pinned=bool(changes["pinned"]), by=by, save=False)  # saved below
    lead = data["lead_picture"]
    if lead or article.image:
        media.set_lead_picture(article, lead)  # saves the article
    else:
        article.save()
    article.tags.set(_tags_named(data["tags"]))
    article.authors.set(data["authors"])
    if _should_record_revision(article, by, action):
        newsroom.record_revision(article, by=by)
    # An autosave of a story readers never saw changes no page, feed, index or related list.
    seen = was_published or article.status == Article.Status.PUBLISHED or action != "save"
    newsroom.announce(article, seen_by_readers=seen)
    if was_published and article.slug != old_slug:
        keep_old_address(slug_url("newsroom:article", old_slug), article.get_absolute_url())
    if client:
        _note_tab_save(article, client, seq)
    article.desk_saved = {"tags": data["tags"], "authors": [a.pk for a in data["authors"]], "by": by}
    return article


def saved_story_data(article):
    """story_data of a story save_story just saved, from what it saved (no reading back): its
    tags and authors as sent, and its saver, whose save is the last revision or follows it
    (a revision by anyone else is always recorded)."""
    saved = article.desk_saved
    return story_data(article, tags=saved["tags"], authors=saved["authors"], saved_by=_name_of(saved["by"]))


def _tags_named(names):
    """The tags with these names (any case), made when missing, in one query when all exist."""
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    found = {}
    for tag in Tag.objects.filter(query).order_by("pk"):
        found.setdefault(tag.name.casefold(), tag)
    return [found.get(n.casefold()) or Tag.objects.create(name=n) for n in names]


def keep_old_address(old_path, new_path):
    """A published story's old address answers 301 to its new one, when the redirects app is
    installed (links others made keep working); without it the editor's warning is all."""
    if apps.is_installed("broadsheet.redirects"):
        from broadsheet.redirects.services import add_many

        add_many([(old_path, new_path, "exact")], origin="desk")


def _note_tab_save(article, client, seq):
    """Remember that `client` made the story's current version (one row a story; the story's
    row is locked, so no other save writes it at the same time)."""
    fields = {"client": client, "version": article.version, "seq": seq}
    if not TabSave.objects.filter(article_id=article.pk).update(**fields):
        TabSave.objects.create(article_id=article.pk, **fields)


def _follows_own_save(article, client, seq):
    """True when the story's current version is `client`'s own save, made before this one."""
    return (
        bool(client)
        and TabSave.objects.filter(
            article_id=article.pk, client=client, version=article.version, seq__lt=seq
        ).exists()
    )


_BLOCK_END = re.compile(r"</(p|h[2-6]|li|blockquote|figcaption|figure|tr|cite)>|<br\s*/?>|<hr\s*/?>", re.I)


def readable_text(html):
    """A body as lines of text, one a paragraph, for people to compare (no markup)."""
    text = strip_tags(_BLOCK_END.sub("\n", html or ""))
    return "\n".join(line.strip() for line in unescape(text).splitlines() if line.strip())


def compare(theirs, mine):
    """revision_diff rows between their saved words and mine, as people read them."""
    fields = ("headline", "summary", "body")
    readable = {"body": readable_text}
    return revision_diff(
        {k: readable.get(k, str)(theirs.get(k) or "") for k in fields},
        {k: readable.get(k, str)(mine.get(k) or "") for k in fields},
    )


# --- presence: who else has the story open (kept in the shared cache, not the database) ---


def _presence_key(article_id):
    return f"desk:presence:{article_id}"


def mark_present(article_id, user):
    """Note that `user` has the story open; returns the names of the others who have it open."""
    now = time.time()
    key = _presence_key(article_id)
    seen = {
        uid: entry
        for uid, entry in (cache.get(key) or {}).items()
        if now - entry[1] < conf.presence_seconds()
    }
    seen[user.pk] = (user.get_full_name() or user.get_username(), now)
    cache.set(key, seen, conf.presence_seconds() * 4)
    return sorted(name for uid, (name, _at) in seen.items() if uid != user.pk)


def mark_absent(article_id, user):
    key = _presence_key(article_id)
    seen = cache.get(key) or {}
    if seen.pop(user.pk, None) is not None:
        cache.set(key, seen, conf.presence_seconds() * 4)


# --- the dashboard: what is each person's to do ---


def dashboard(user, *, now=None):
    """Lists of stories for `user`: {"key", "title", "stories", "empty"} in the order shown."""
    now = now or timezone.now()
    stories = Article.objects.select_related("section").only(
        "headline", "slug", "status", "publish_at", "updated_at", "section__name", "version"
    )
    mine = stories.filter(created_by=user)
    was_in_review = Revision.objects.filter(article=OuterRef("pk"), data__status=Article.Status.REVIEW)
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    can_publish = newsroom.can_publish(user)
    scheduled_today = stories.filter(
        status=Article.Status.PUBLISHED, publish_at__gt=now, publish_at__lte=end_of_day
    ).order_by("publish_at")
    lists = [
        (
            "drafts",
            "My drafts",
            mine.filter(status=Article.Status.DRAFT).exclude(Exists(was_in_review)),
            "No drafts. Start a new story.",
        ),
        (
            "sent-back",
            "Sent back to me",
            mine.filter(status=Article.Status.DRAFT).filter(Exists(was_in_review)),
            "Nothing sent back.",
        ),
        (
            "my-review",
            "Mine, waiting for review",
            mine.filter(status=Article.Status.REVIEW),
            "Nothing waiting.",
        ),
    ]
    if can_publish:
        lists.append(
            (
                "to-review",
                "Waiting for my review",
                stories.filter(status=Article.Status.REVIEW),
                "Nothing to review.",
            )
        )
    lists.append(
        (
            "today",
            "Scheduled today",
            scheduled_today if can_publish else scheduled_today.filter(created_by=user),
            "Nothing more scheduled today.",
        )
    )
    return [
        {
            "key": key,
            "title": title,
            "stories": list((qs if key == "today" else qs.order_by("-updated_at"))[:20]),
            "empty": empty,
        }
        for key, title, qs, empty in lists
    ]
