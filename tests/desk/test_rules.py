"""The workflow's rules hold whatever is posted: crafted requests to the desk and the admin."""

import json

import pytest
from django.urls import reverse

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article
from tests.conftest import make_article, make_user

from .conftest import save

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    return make_user("wri", role="Writer")


def test_writer_cannot_publish_through_the_desk(client, writer):
    client.force_login(writer)
    article = make_article("Writer's draft", status="draft", created_by=writer)
    response = save(client, article, action="publish")
    assert response.status_code == 403 and "Only editors can publish" in response.json()["error"]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_writer_cannot_change_a_published_story_through_the_desk(client, writer):
    client.force_login(writer)
    article = make_article("Live story", status="published", created_by=writer, body="<p>Checked words.</p>")
    response = save(client, article, body="<p>Unchecked words.</p>")
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.body == "<p>Checked words.</p>"


def test_writer_cannot_unpublish_by_sending_a_live_story_to_review(client, writer):
    client.force_login(writer)
    article = make_article("Live story", status="published", created_by=writer)
    assert save(client, article, action="review").status_code == 403
    article.refresh_from_db()
    assert article.is_published()


def test_writer_sends_a_draft_to_review(client, writer):
    client.force_login(writer)
    article = make_article("Writer's draft", status="draft", created_by=writer)
    assert save(client, article, action="review").status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_writer_cannot_open_someone_elses_story(client, writer):
    client.force_login(writer)
    article = make_article("Not theirs", status="draft")
    assert client.get(reverse("desk:story", args=[article.pk])).status_code == 404
    assert save(client, article, headline="Taken over").status_code == 404


def test_writer_crafted_admin_post_cannot_change_a_published_story(client, writer):
    client.force_login(writer)
    article = make_article("Live story", status="published", created_by=writer, body="<p>Checked.</p>")
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    data = {
        "headline": "Live story",
        "slug": article.slug,
        "summary": "",
        "body": "<p>Unchecked.</p>",
        "status": "published",
        "section": article.section_id,
        "language": "en",
        "comments_open": "on",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "only an editor can change it" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>Checked.</p>"


def test_writer_crafted_admin_post_cannot_publish(client, writer):
    client.force_login(writer)
    article = make_article("Draft", status="draft", created_by=writer)
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    data = {
        "headline": "Draft",
        "slug": article.slug,
        "body": "<p>x</p>",
        "status": "published",
        "section": article.section_id,
        "language": "en",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_rules_live_in_the_services(writer):
    article = make_article("Live", status="published", created_by=writer)
    with pytest.raises(services.PermissionDenied):
        services.save_article(article, by=writer)
    draft = make_article("Draft", status="draft", created_by=writer)
    with pytest.raises(services.PermissionDenied):
        services.publish(draft, by=writer)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editor_may_change_a_published_story(client, db):
    client.force_login(make_user("ed", role="Editor"))
    article = make_article("Live", status="published")
    assert save(client, article, body="<p>Corrected.</p>", action="publish").status_code == 200
    article.refresh_from_db()
    assert article.body == "<p>Corrected.</p>" and article.is_published()


def test_non_json_and_bad_versions_are_refused(client, db):
    client.force_login(make_user("ed", role="Editor"))
    article = make_article(status="draft")
    url = reverse("desk:save", args=[article.pk])
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    bad = json.dumps({"version": "x", "fields": {}})
    assert client.post(url, bad, content_type="application/json").status_code == 400
