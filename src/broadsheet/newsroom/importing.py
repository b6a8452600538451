"""Import articles from JSON Lines: one article a line, updated in place by `external_id`."""

import datetime
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from broadsheet.core.text import clean_text

from .models import Article, Author, Section, Source, Tag
from .signals import articles_loaded, send_robustly
from .text import render_markdown

REQUIRED = ("external_id", "title", "body", "section", "published")
MAX_BODY = 200_000
MAX_LINE = 1_000_000
_url = URLValidator(schemes=["http", "https"])


class BadLine(ValueError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, message)
    notes: list = field(default_factory=list)  # (line number, message): imported, with a problem
    article_ids: list = field(default_factory=list)


def _text(record, key, *, required=False, limit=None):
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise BadLine(f"missing field '{key}'")
        return ""
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool) and key == "external_id":
            value = str(value)
        else:
            raise BadLine(f"field '{key}' must be text")
    value = clean_text(value).strip()
    if required and not value:
        raise BadLine(f"missing field '{key}'")
    if limit and len(value) > limit:
        raise BadLine(f"field '{key}' is too long ({len(value)} characters, limit {limit})")
    return value


def parse_record(line):
    """Check one line and return clean values, or raise BadLine saying what is wrong."""
    if len(line) > MAX_LINE:
        raise BadLine(f"line is too long ({len(line)} bytes, limit {MAX_LINE})")
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadLine(f"not valid JSON ({error.msg if hasattr(error, 'msg') else error})") from None
    if not isinstance(record, dict):
        raise BadLine("each line must be a JSON object")
    values = {
        "external_id": _text(record, "external_id", required=True, limit=200),
        "headline": _text(record, "title", required=True, limit=300),
        "body": _text(record, "body", required=True, limit=MAX_BODY),
        "section": _text(record, "section", required=True, limit=120),
        "summary": _text(record, "summary", limit=1000),
        "source": _text(record, "source", limit=120),
        "source_url": _text(record, "source_url", limit=1000),
        "author": _text(record, "author", limit=120),
        "language": _text(record, "language", limit=12) or "en",
    }
    published = _text(record, "published", required=True, limit=64)
    try:
        when = parse_datetime(published)
    except ValueError:
        when = None
    if when is None:
        try:
            when = datetime.datetime.combine(datetime.date.fromisoformat(published), datetime.time())
        except ValueError:
            raise BadLine(f"'published' is not an ISO 8601 date: {published[:40]!r}") from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, datetime.UTC)
    try:  # a date at the very edge (0001-01-01+14:00) has no UTC time: PostgreSQL would store year 0
        when.astimezone(datetime.UTC)
    except OverflowError:
        raise BadLine(f"'published' is out of range: {published[:40]!r}") from None
    values["publish_at"] = when
    values["updated_at"] = parse_updated(record)
    if values["source_url"]:
        try:
            _url(values["source_url"])
        except ValidationError:
            raise BadLine(f"'source_url' is not a web address: {values['source_url'][:80]!r}") from None
    tags = record.get("tags") or []
    if isinstance(tags, str):
        tags = [t for t in tags.split(",")]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise BadLine("'tags' must be a list of text")
    values["tags"] = [t for t in (clean_text(t).strip()[:120] for t in tags) if t][:30]
    values["record"] = record  # what the registered parts read (pictures...)
    return values


def parse_updated(record):
    """The optional `updated` field (ISO 8601; no offset means UTC), or None."""
    value = _text(record, "updated", limit=64)
    if not value:
        return None
    try:
        when = parse_datetime(value)
    except ValueError:
        when = None
    if when is None:
        raise BadLine(f"'updated' is not an ISO 8601 date and time: {value[:40]!r}")
    return timezone.make_aware(when, datetime.UTC) if timezone.is_naive(when) else when


@transaction.atomic
def import_record(values, *, announce_change=True, media=None, notes=None):
    """Create or update one article from parsed values. Returns (article, created).
    announce_change=False leaves telling the other apps to the caller (see import_lines).
    `media`: the folder an export wrote its files to (pictures); `notes` collects problems
    that did not stop the story (a picture that could not be taken)."""
    section = Section.objects.find_or_create(values["section"])
    source = Source.objects.find_or_create(values["source"])
    article = Article.objects.filter(external_id=values["external_id"]).first()
    created = article is None
    if created:
        article = Article(external_id=values["external_id"], status=Article.Status.PUBLISHED)
    article.headline = values["headline"]
    article.summary = values["summary"]
    from .exporting import parts

    for part in parts():  # the media library takes the record's pictures (and rewrites the body)
        found = part.take(values.get("record") or {}, values, article, media=media)
        if notes is not None:
            notes.extend(found)
    article.body = render_markdown(values["body"])  # the import format's body is Markdown
    article.section = section
    article.source = source
    article.source_url = values["source_url"]
    article.language = values["language"]
    article.publish_at = values["publish_at"]
    if created:
        article.created_at = values["publish_at"]
    article.save()
    article.tags.set([Tag.objects.find_or_create(name) for name in values["tags"]])
    if values["author"]:
        author = Author.objects.filter(name=values["author"]).first() or Author.objects.create(
            name=values["author"]
        )
        article.authors.set([author])
    from .services import announce, record_revision

    record_revision(article)
    # The source's dates are kept: a story imported today was not "Updated" today.
    article.updated_at = values.get("updated_at") or values["publish_at"]
    Article.objects.filter(pk=article.pk).update(updated_at=article.updated_at)
    if announce_change:
        announce(article)
    return article, created


def import_lines(lines, *, progress=None, media=None):
    """Import every good line; collect every bad one with its line number. The other apps hear
    of the imported articles once, at the end, as one bulk load (articles_loaded): a large
    import is indexed in bulk instead of one background task per article."""
    report = ImportReport()
    try:
        _import_lines(lines, report, progress, media)
    finally:  # even when stopped halfway, what was stored is announced
        if report.article_ids:
            ids = list(dict.fromkeys(report.article_ids))
            transaction.on_commit(lambda: send_robustly(articles_loaded, article_ids=ids))
    return report


def _import_lines(lines, report, progress, media=None):
    for number, raw in enumerate(lines, start=1):
        if progress:
            progress.update(1)
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        line = raw.strip()
        if not line:
            continue
        try:
            values = parse_record(line)
            notes = []
            article, created = import_record(values, announce_change=False, media=media, notes=notes)
            report.notes += [(number, note) for note in notes]
        except BadLine as error:
            report.errors.append((number, str(error)))
            continue
        except Exception as error:  # a database refusal on one line must not stop the others
            report.errors.append((number, f"could not be stored: {type(error).__name__}: {str(error)[:200]}"))
            continue
        report.article_ids.append(article.pk)
        if created:
            report.created += 1
        else:
            report.updated += 1
