"""The home page's lead story: an editor pins one (back office or desk), else the latest leads."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from broadsheet.core import surrogates
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article
from tests.conftest import make_article
from tests.desk.conftest import save
from tests.newsroom.test_back_office import article_form
from tests.pagecache import conftest as pagecache
from tests.pagecache.conftest import Reader

site, committed = pagecache.site, pagecache.committed  # the page cache's fixtures, used here too

pytestmark = pytest.mark.django_db


def ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def home_lead(client):
    html = client.get("/").content.decode()
    front = re.search(r'<section class="front".*?</section>', html, re.S)
    return front.group(0) if front else ""


def front(html):
    found = re.search(r'<section class="front".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_latest_story_leads_until_one_is_pinned_and_caches_follow(site, committed, editor):
    with committed():
        older = make_article("Older harbour story", publish_at=ago(5))
        make_article("Newest tram story", publish_at=ago(1))
    reader = Reader(site)  # an anonymous reader: the page cache and the fragments keep home
    assert "Newest tram story" in front(reader.get("/").text)
    with committed():
        assert services.set_lead(older, pinned=True, by=editor)
    page = reader.get("/").text
    assert "Older harbour story" in front(page) and "Newest tram story" not in front(page)
    assert page.count("Older harbour story") == 1  # not shown twice
    with committed():
        assert services.set_lead(older, pinned=False, by=editor)
    assert "Newest tram story" in front(reader.get("/").text)


def test_pinning_purges_the_home_page(committed, editor):
    story = make_article("A story to pin")
    asked = []

    def listen(sender, keys, **kwargs):
        asked.extend(keys)

    surrogates.purge_requested.connect(listen)
    try:
        with committed():
            services.set_lead(story, pinned=True, by=editor)
        assert surrogates.HOME in asked
        asked.clear()
        with committed():
            assert not services.set_lead(story, pinned=True, by=editor)  # already pinned: nothing to purge
        assert asked == []
    finally:
        surrogates.purge_requested.disconnect(listen)


def test_the_story_pinned_last_leads_and_an_unpublished_one_never(client, editor):
    first, second = make_article("First pinned"), make_article("Second pinned")
    draft = make_article("Pinned draft", status="draft")
    services.set_lead(first, pinned=True, by=editor)
    services.set_lead(second, pinned=True, by=editor)
    assert "Second pinned" in home_lead(client)
    services.set_lead(draft, pinned=True, by=editor)
    assert "Second pinned" in home_lead(client)


def test_only_an_editor_who_publishes_chooses_the_lead(writer):
    article = make_article("A writer's wish")
    with pytest.raises(PermissionDenied):
        services.set_lead(article, pinned=True, by=writer)
    assert Article.objects.get(pk=article.pk).pinned_at is None


def test_back_office_form_and_actions_pin_the_lead(client, editor):
    story = make_article("Pinned in the back office", publish_at=ago(5))
    make_article("A later story", publish_at=ago(1))
    client.force_login(editor)
    url = reverse("admin:newsroom_article_change", args=[story.pk])
    form = article_form(
        story.section, client, url, headline=story.headline, slug=story.slug, status="published",
        publish_at_0=story.publish_at.strftime("%Y-%m-%d"), publish_at_1=story.publish_at.strftime("%H:%M:%S"),
        is_lead="on",
    )  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(pk=story.pk).is_pinned()
    assert "Pinned in the back office" in home_lead(client)
    listing = reverse("admin:newsroom_article_changelist")
    client.post(listing, {"action": "take_off_lead", "_selected_action": [story.pk]})
    assert not Article.objects.get(pk=story.pk).is_pinned()
    assert "A later story" in home_lead(client)
    client.post(listing, {"action": "make_lead", "_selected_action": [story.pk]})
    assert Article.objects.get(pk=story.pk).is_pinned()


def test_a_writer_sees_the_lead_box_disabled(client, writer):
    story = make_article("Writer's draft", status="draft", created_by=writer)
    client.force_login(writer)
    page = client.get(reverse("admin:newsroom_article_change", args=[story.pk])).content.decode()
    assert re.search(r'<input[^>]*name="is_lead"[^>]*disabled', page)


def test_desk_toggle_pins_the_lead(client, editor):
    story = make_article("Pinned at the desk", publish_at=ago(5))
    make_article("Another later story", publish_at=ago(1))
    client.force_login(editor)
    response = save(client, story, pinned=True)
    assert response.status_code == 200 and response.json()["story"]["pinned"] is True
    assert "Pinned at the desk" in home_lead(client)
    story.refresh_from_db()
    response = save(client, story, pinned=False)
    assert response.json()["story"]["pinned"] is False
    assert "Another later story" in home_lead(client)


def test_a_writer_cannot_pin_from_the_desk(client, writer):
    story = make_article("Writer's piece", status="draft", created_by=writer)
    client.force_login(writer)
    response = save(client, story, pinned=True)
    assert response.status_code == 403
    assert not Article.objects.get(pk=story.pk).is_pinned()
