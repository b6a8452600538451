"""The workflow: drafts, stories in review and scheduled stories stay hidden until their time."""

import datetime

import pytest
from django.utils import timezone

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def visible_on_home(client, headline):
    return headline in client.get("/").content.decode()


def test_draft_is_invisible_to_the_public(client):
    article = make_article("Draft about the tunnel", status="draft")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert not visible_on_home(client, "Draft about the tunnel")


def test_story_in_review_is_invisible_to_the_public(client):
    article = make_article("Review about the bridge", status="review")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert not visible_on_home(client, "Review about the bridge")


def test_scheduled_article_appears_at_its_time(client):
    article = make_article("Scheduled ferry timetable", status="draft")
    at = timezone.now() + datetime.timedelta(hours=2)
    services.schedule(article, at=at)
    assert article.is_scheduled()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert Article.objects.published().filter(pk=article.pk).count() == 0
    # No cron job: the same query, asked after the time has come, finds it.
    later = at + datetime.timedelta(seconds=1)
    assert Article.objects.published(now=later).filter(pk=article.pk).count() == 1
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert visible_on_home(client, "Scheduled ferry timetable")


def test_publish_and_unpublish(client):
    article = make_article("Tram line reopens", status="draft")
    services.publish(article)
    assert client.get(article.get_absolute_url()).status_code == 200
    services.unpublish(article)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_every_workflow_step_keeps_a_revision():
    article = make_article("Revisions matter", status="draft")
    services.send_to_review(article)
    services.publish(article)
    services.unpublish(article)
    statuses = list(article.revisions.order_by("created_at", "id").values_list("data__status", flat=True))
    assert statuses == ["review", "published", "draft"]


def test_restore_revision_brings_back_old_words():
    article = make_article("First headline", status="draft", body="Original body")
    services.save_article(article)
    first = article.revisions.get()
    article.headline = "Second headline"
    article.body = "Rewritten body"
    services.save_article(article)
    services.restore_revision(first)
    article.refresh_from_db()
    assert article.headline == "First headline"
    assert "Original body" in article.body_html
    assert article.revisions.count() == 3


def test_slugs_never_collide():
    a = make_article("Same headline")
    b = make_article("Same headline")
    c = make_article("Same headline")
    assert len({a.slug, b.slug, c.slug}) == 3
    weird = make_article("¿¡!!! ***")
    assert weird.slug


def test_body_html_is_sanitised():
    article = make_article(
        body='Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>'
    )
    html = article.body_html
    assert "<script" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html and '<a href="javascript' not in html


def test_broken_markdown_and_nul_bytes_do_not_break_a_page(client):
    article = make_article(
        body="**unclosed *emphasis [link](\n\n```\nno end\x00 \ud800", headline="Broken text story"
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "\x00" not in article.body_html
