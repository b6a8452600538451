"""A story becomes a live page: updates by several editors, newest first, key points on top,
a poll a shared cache can answer, LiveBlogPosting structured data."""

import json
import re

import pytest

from broadsheet.live import services
from tests.conftest import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_story():
    story = make_article("Storm hits the coast: live")
    return story, services.start(story)


def test_updates_by_several_editors_show_newest_first_with_permalinks(client, live_story):
    story, coverage = live_story
    ana, bo = make_user("ana"), make_user("bo")
    first = services.post_update(coverage, author=ana, body="Winds reach 100 km/h.")
    second = services.post_update(coverage, author=bo, body="Ferries **cancelled**.", headline="Ferries stop")
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.index(f'id="update-{second.pk}"') < page.index(f'id="update-{first.pk}"')
    assert "<strong>cancelled</strong>" in page and ">ana<" in page and ">bo<" in page
    assert f'href="/live/update/{first.pk}/"' in page
    single = client.get(f"/live/update/{first.pk}/")
    assert single.status_code == 200 and "Winds reach 100 km/h." in single.content.decode()
    assert "Ferries" not in single.content.decode()


def test_key_points_are_pinned_at_the_top(client, live_story):
    story, coverage = live_story
    services.post_update(coverage, author=None, body="Minor detail.")
    pinned = services.post_update(coverage, author=None, body="Evacuation ordered", headline="Evacuation ordered", key_point=True)
    page = client.get(story.get_absolute_url()).content.decode()
    points = page[page.index("Key points"):page.index("data-live-updates")]
    assert f'href="#update-{pinned.pk}">Evacuation ordered<' in points and "Minor detail" not in points


def test_the_poll_is_public_and_short_lived_for_shared_caches(client, live_story):
    story, coverage = live_story
    update = services.post_update(coverage, author=None, body="Power cut in the old town.")
    response = client.get(f"/live/{story.pk}/updates.json")
    assert response.status_code == 200 and not response.cookies
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=10" in control and "max-age=5" in control
    data = response.json()
    assert data["latest"] == update.pk and data["open"] is True
    assert "Power cut in the old town." in data["updates"][0]["html"]


def test_the_page_works_without_javascript_by_reloading(client, live_story):
    story, coverage = live_story
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Reload</a> to see the latest" in page
    services.post_update(coverage, author=None, body="Roads reopen.")
    assert "Roads reopen." in client.get(story.get_absolute_url()).content.decode()


def test_structured_data_is_a_live_blog_posting_with_its_updates(client, live_story):
    story, coverage = live_story
    services.post_update(coverage, author=None, body="</script><script>alert(1)</script> Tide peaks at noon.")
    page = client.get(story.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    live = [json.loads(b) for b in blocks if "LiveBlogPosting" in b]
    assert live and live[0]["liveBlogUpdate"][0]["@type"] == "BlogPosting"
    assert "Tide peaks at noon." in live[0]["liveBlogUpdate"][0]["articleBody"]
    assert "<script>alert" not in page


def test_an_unpublished_story_has_no_public_poll(client):
    draft = make_article("Not yet", status="draft")
    services.start(draft)
    assert client.get(f"/live/{draft.pk}/updates.json").status_code == 404


def test_editors_post_from_the_back_office_each_signed(client, live_story):
    story, coverage = live_story
    editor = make_user("carla", superuser=True)
    client.force_login(editor)
    response = client.post(
        f"/admin/live/livecoverage/{coverage.pk}/change/",
        {
            "article": story.pk, "is_open": "on", "started_at_0": "2026-12-06", "started_at_1": "10:00:00",
            "updates-TOTAL_FORMS": "1", "updates-INITIAL_FORMS": "0", "updates-MIN_NUM_FORMS": "0", "updates-MAX_NUM_FORMS": "1000",
            "updates-0-headline": "", "updates-0-body": "Posted from the desk.", "updates-0-posted_at_0": "2026-12-06",
            "updates-0-posted_at_1": "11:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = coverage.updates.get()
    assert update.author == editor and update.byline == "carla"


def test_a_long_live_page_shows_the_newest_updates_and_links_to_older_ones(client, live_story):
    import datetime

    from django.utils import timezone

    from broadsheet.live.models import LiveUpdate

    story, coverage = live_story
    start = timezone.now() - datetime.timedelta(hours=5)
    LiveUpdate.objects.bulk_create(
        LiveUpdate(coverage=coverage, body=f"Update {n}", body_html=f"<p>Update number {n}.</p>", key_point=n == 3,
                   headline="Early key point" if n == 3 else "", posted_at=start + datetime.timedelta(minutes=n))
        for n in range(120)
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.count("data-update=") == services.PAGE_UPDATES
    assert "Update number 119." in page and "Update number 69." not in page
    early = LiveUpdate.objects.get(key_point=True)
    assert f'href="/live/update/{early.pk}/">Early key point<' in page, "a key point not on the page links to its own page"
    older = re.search(r'href="(/live/\d+/older/\?before=\d+)"', page).group(1)
    second = client.get(older).content.decode()
    assert "Update number 69." in second and "Update number 70." not in second and "Update number 19." not in second
    third = client.get(re.search(r'href="(\?before=\d+)"', second).group(1).join([older.split("?")[0], ""])).content.decode()
    assert "Update number 0." in third and "Older updates" not in third


def test_a_live_page_reads_the_same_few_rows_however_many_updates_it_has(client, live_story):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from broadsheet.live.models import LiveUpdate

    story, coverage = live_story

    def add(count):
        LiveUpdate.objects.bulk_create(
            LiveUpdate(coverage=coverage, body="x", body_html="<p>Wind rising.</p>", key_point=n % 50 == 0) for n in range(count)
        )

    add(60)
    client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(story.get_absolute_url())
    add(1000)
    with CaptureQueriesContext(connection) as many:
        page = client.get(story.get_absolute_url()).content.decode()
    assert page.count("data-update=") == services.PAGE_UPDATES
    assert len(many.captured_queries) == len(few.captured_queries), "no query per update"
    live_queries = [q["sql"] for q in many.captured_queries if "live_" in q["sql"]]
    assert len(live_queries) <= 3, live_queries
    story_reads = [q["sql"] for q in many.captured_queries if q["sql"].startswith('SELECT "newsroom_article"."id", "newsroom_article"."headline"') and '"newsroom_article"."body"' in q["sql"]]
    assert len(story_reads) <= 1, "the live block reuses the page's story"
