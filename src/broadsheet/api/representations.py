"""What the API shows of each newsroom object: public fields only, absolute URLs.

Nothing private is ever read here: no author contact_email or user, no commenter email or IP.
"""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from broadsheet.newsroom.models import Article, Author, Section, Source, Tag

from . import conf


def absolute(path: str) -> str:
    return conf.site_url() + path


def _named(obj: Any) -> dict[str, Any]:
    return {"slug": obj.slug, "name": obj.name, "url": absolute(obj.get_absolute_url())}


def section(obj: Section) -> dict[str, Any]:
    return {**_named(obj), "description": obj.description}


def tag(obj: Tag) -> dict[str, Any]:
    return _named(obj)


def source(obj: Source) -> dict[str, Any]:
    return {
        **_named(obj),
        "homepage": obj.homepage or None,
        "country": obj.country or None,
        "language": obj.language or None,
    }


def author(obj: Author) -> dict[str, Any]:
    return {
        **_named(obj),
        "bio": obj.bio,
        "photo": absolute(obj.photo.url) if obj.photo else None,
        "is_guest": obj.is_guest,
    }


def _byline(obj: Author) -> dict[str, Any]:
    return _named(obj)


def article(obj: Article, *, highlight: dict[str, Any] | None = None) -> dict[str, Any]:
    image = None
    if obj.image:
        image = {
            "url": absolute(obj.image.url),
            "caption": obj.image_caption,
            "credit": obj.image_credit,
            "alt": obj.image_alt,
        }
    return {
        "id": obj.pk,
        "external_id": obj.external_id,
        "url": absolute(obj.get_absolute_url()),
        "api_url": absolute(reverse("api:article", args=[obj.pk])),
        "headline": obj.headline,
        "summary": obj.summary,
        "section": _named(obj.section),
        "source": _named(obj.source) if obj.source_id else None,
        "source_url": obj.source_url or None,
        "authors": [_byline(a) for a in obj.authors.all()],
        "tags": [tag(t) for t in obj.tags.all()],
        "language": obj.language,
        "published_at": obj.publish_at,
        "updated_at": obj.updated_at,
        "image": image,
        "highlight": highlight,
    }


def article_detail(obj: Article, *, related: Iterable[Article]) -> dict[str, Any]:
    data = article(obj)
    del data["highlight"]
    data.update(
        {
            "body_html": obj.body_html,
            "corrections": [
                {"kind": c.kind, "text": c.text, "created_at": c.created_at} for c in obj.corrections.all()
            ],
            "comments_open": obj.comments_open,
            "comments_url": absolute(reverse("api:article-comments", args=[obj.pk])),
            "related": [
                {
                    "id": r.pk,
                    "external_id": r.external_id,
                    "headline": r.headline,
                    "url": absolute(r.get_absolute_url()),
                }
                for r in related
            ],
        }
    )
    return data


def comment(row: dict[str, Any]) -> dict[str, Any]:
    """A comment from comments.services.public_comments: named public fields only."""
    return {
        "id": row["id"],
        "parent_id": row["parent_id"],
        "author_name": row["author_name"],
        "author_url": row["author_url"] or None,
        "body_html": row["body_html"],
        "created_at": row["created_at"],
    }
