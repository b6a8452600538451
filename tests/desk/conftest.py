"""Helpers for the desk's tests: a signed-in client and the editor's save request."""

import json

import pytest
from django.urls import reverse

from tests.conftest import make_user


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_user("ed", role="Editor"))
    return client


@pytest.fixture
def writer_client(client, db):
    client.force_login(make_user("wri", role="Writer"))
    return client


def story_fields(article, **changes):
    """The fields the editor sends, as they are now, with `changes`."""
    fields = {
        "headline": article.headline,
        "summary": article.summary,
        "body": article.body,
        "slug": article.slug,
        "section": article.section_id,
        "language": article.language,
        "source_name": "",
        "source_url": article.source_url,
        "seo_title": "",
        "seo_description": "",
        "comments_open": True,
        "tags": [],
        "authors": [],
        "lead_picture": "",
        "social_picture": "",
    }
    fields.update(changes)
    return fields


def save(client, article, *, version=None, action="save", publish_at=None, **changes):
    payload = {
        "version": article.version if version is None else version,
        "fields": story_fields(article, **changes),
        "action": action,
    }
    if publish_at:
        payload["publish_at"] = publish_at
    return client.post(
        reverse("desk:save", args=[article.pk]), json.dumps(payload), content_type="application/json"
    )
