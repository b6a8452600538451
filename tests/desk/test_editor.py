"""The story editor's page and its save endpoint: versions, conflicts, rules, bad input."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from broadsheet.newsroom.models import Article, Revision
from tests.conftest import make_article, make_user

from .conftest import save, story_fields

pytestmark = pytest.mark.django_db


def test_editor_page_is_for_staff_only(client):
    article = make_article(status="draft")
    response = client.get(reverse("desk:story", args=[article.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reader = make_user("reader")
    reader.is_staff = False
    reader.save()
    client.force_login(reader)
    assert client.get(reverse("desk:dashboard")).status_code == 302


def test_editor_page_shows_the_story_and_loads_the_bundle(editor_client):
    article = make_article("Cranes return to the harbour", status="draft")
    page = editor_client.get(reverse("desk:story", args=[article.pk])).content.decode()
    assert "desk/build/editor.js" in page and 'id="story-data"' in page
    assert "Cranes return to the harbour" in page
    for label in ('for="headline"', 'for="summary"', 'for="slug"', 'for="section"', 'for="tag-input"'):
        assert label in page


def test_new_story_opens_in_the_editor(editor_client):
    response = editor_client.post(reverse("desk:new"))
    article = Article.objects.get()
    assert response["Location"] == reverse("desk:story", args=[article.pk])
    assert article.status == Article.Status.DRAFT


def test_save_stores_the_fields_and_moves_the_version_on(editor_client):
    article = make_article("Old headline", status="draft")
    response = save(
        editor_client,
        article,
        headline="New headline",
        body="<p>First <strong>words</strong></p><script>alert(1)</script>",
        tags=["Harbour", "Strike"],
        source_name="Estuary Gazette",
        seo_title="Cranes back",
    )
    assert response.status_code == 200, response.content
    story = response.json()["story"]
    article.refresh_from_db()
    assert story["version"] == article.version > 1
    assert article.headline == "New headline" and article.seo_title == "Cranes back"
    assert article.body == "<p>First <strong>words</strong></p>" and "script" not in article.body_html
    assert sorted(article.tags.values_list("name", flat=True)) == ["Harbour", "Strike"]
    assert article.source.name == "Estuary Gazette"


def test_a_save_over_a_newer_version_is_refused_with_both_versions(editor_client):
    article = make_article("Headline", status="draft", body="<p>Shared start.</p>")
    opened = article.version
    assert save(editor_client, article, version=opened, body="<p>Their words.</p>").status_code == 200
    response = save(editor_client, article, version=opened, body="<p>My words.</p>")
    assert response.status_code == 409
    data = response.json()
    assert data["theirs"]["body"] == "<p>Their words.</p>"
    kinds = {kind for _field, parts in data["diff"] for kind, _text in parts}
    assert {"added", "removed"} <= kinds
    article.refresh_from_db()
    assert article.body == "<p>Their words.</p>"  # never silently overwritten


def test_keeping_mine_after_a_conflict_saves_on_their_version(editor_client):
    article = make_article("Headline", status="draft")
    opened = article.version
    save(editor_client, article, version=opened, body="<p>Theirs.</p>")
    theirs = save(editor_client, article, version=opened, body="<p>Mine.</p>").json()["theirs"]["version"]
    assert save(editor_client, article, version=theirs, body="<p>Mine.</p>").status_code == 200
    article.refresh_from_db()
    assert article.body == "<p>Mine.</p>"


def test_autosaves_keep_one_revision_a_minute_but_every_workflow_step(editor_client):
    article = make_article("Headline", status="draft")
    before = Revision.objects.filter(article=article).count()
    for n in range(3):
        article.refresh_from_db()
        save(editor_client, article, body=f"<p>Draft {n}</p>")
    article.refresh_from_db()
    save(editor_client, article, action="review")
    assert Revision.objects.filter(article=article).count() == before + 2


def test_bad_input_gets_a_message_beside_the_field(editor_client):
    other = make_article("Other story")
    article = make_article("Headline", status="draft")
    response = save(editor_client, article, headline="", slug=other.slug, source_url="javascript:alert(1)")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "headline" in errors and "already uses this address" in errors["slug"][0]
    assert "source_url" in errors
    article.refresh_from_db()
    assert article.headline == "Headline"


def test_ten_megabytes_of_text_is_refused_plainly(editor_client):
    article = make_article("Headline", status="draft")
    response = save(editor_client, article, body="<p>" + "x" * 10_000_000 + "</p>")
    assert response.status_code == 400
    assert "too long" in json.dumps(response.json())


def test_scheduling_needs_a_future_time(editor_client):
    article = make_article("Headline", status="draft")
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert save(editor_client, article, action="schedule", publish_at=past).status_code == 400
    future = timezone.now() + datetime.timedelta(hours=3)
    response = save(editor_client, article, action="schedule", publish_at=future.isoformat())
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.is_scheduled()


def test_editor_publishes_and_the_page_shows_the_body(editor_client, client):
    article = make_article("Published from the desk", status="draft")
    body = '<h2>What happened</h2><p>The port <a href="https://example.org/">reopened</a>.</p><blockquote class="pullquote"><p>We are back.</p></blockquote>'
    assert save(editor_client, article, action="publish", body=body).status_code == 200
    article.refresh_from_db()
    assert article.is_published()
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<blockquote class="pullquote"><p>We are back.</p></blockquote>' in page


def test_tags_are_suggested_as_you_type(editor_client):
    make_article(tags=["Harbour", "Harvest", "Ferry"])
    names = editor_client.get(reverse("desk:tags"), {"q": "har"}).json()["tags"]
    assert names == ["Harbour", "Harvest"]


def test_two_people_see_each_other_in_a_story(client, db):
    article = make_article(status="draft")
    ana, ben = make_user("ana", role="Editor"), make_user("ben", role="Editor")
    ana.first_name, ana.last_name = "Ana", "Lind"
    ana.save()
    url = reverse("desk:presence", args=[article.pk])
    client.force_login(ana)
    assert client.post(url).json()["others"] == []
    client.force_login(ben)
    assert client.post(url).json()["others"] == ["Ana Lind"]
    client.force_login(ana)
    assert client.post(url).json()["others"] == ["ben"]
    client.force_login(ben)
    client.post(url, {"leaving": "1"})
    client.force_login(ana)
    assert client.post(url).json()["others"] == []


def test_a_published_storys_new_slug_keeps_the_old_address_answering(editor_client, client):
    pytest.importorskip("broadsheet.redirects", reason="the redirects app comes with the WordPress importer")
    article = make_article("Live story", status="published")
    old_url = article.get_absolute_url()
    assert save(editor_client, article, slug="live-story-renamed", action="publish").status_code == 200
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"].endswith("/story/live-story-renamed/")


def test_a_tabs_own_newer_save_is_not_a_conflict_but_its_late_older_one_is(editor_client):
    article = make_article("Headline", status="draft", body="<p>Start.</p>")
    opened = article.version
    payload = {"version": opened, "action": "save", "client": "tab-1"}
    url = reverse("desk:save", args=[article.pk])

    def post(seq, body, version=opened):
        data = {**payload, "seq": seq, "version": version, "fields": {**story_fields(article), "body": body}}
        return editor_client.post(url, json.dumps(data), content_type="application/json")

    assert post(5, "<p>Sent as the page closed.</p>").status_code == 200
    # The reloaded page started from the older version; its next save follows the tab's own.
    assert post(6, "<p>Typed after the reload.</p>").status_code == 200
    # A save the tab sent before those, arriving late, does not overwrite them.
    assert post(4, "<p>Old words.</p>").status_code == 409
    article.refresh_from_db()
    assert article.body == "<p>Typed after the reload.</p>"


def test_a_tabs_own_save_stays_its_own_when_the_cache_is_emptied(editor_client):
    article = make_article("Headline", status="draft", body="<p>Start.</p>")
    payload = {"version": article.version, "action": "save", "client": "tab-1"}
    url = reverse("desk:save", args=[article.pk])

    def post(seq, body):
        data = {**payload, "seq": seq, "fields": {**story_fields(article), "body": body}}
        return editor_client.post(url, json.dumps(data), content_type="application/json")

    assert post(1, "<p>Sent as the page closed.</p>").status_code == 200
    cache.clear()  # a cache may drop anything; which tab made a version is not a cache's to lose
    assert post(2, "<p>Typed after the reload.</p>").status_code == 200
    # Another tab starting from the same old version is refused: the version is not its own.
    other = {**payload, "client": "tab-2", "seq": 9, "fields": {**story_fields(article), "body": "<p>x</p>"}}
    assert editor_client.post(url, json.dumps(other), content_type="application/json").status_code == 409
