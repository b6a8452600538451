"""Reads are counted without tracking anyone, flushed in batches, and shown as "Most read"."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.readership import services
from broadsheet.readership.counters import get_counter
from broadsheet.readership.models import StoryReads
from tests.conftest import make_article, make_section, make_user

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _empty_counter():
    get_counter().drain()
    yield
    get_counter().drain()


def read(client, article, *, agent=BROWSER, **headers):
    return client.post("/readership/read", {"a": article.pk}, HTTP_USER_AGENT=agent, **headers)


def test_a_read_is_counted_without_cookies_or_addresses(client):
    story = make_article("Harbour reopens")
    response = read(client, story, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 204 and not response.cookies
    assert services.flush() == 1
    row = StoryReads.objects.get()
    assert (row.article_id, row.reads) == (story.pk, 1)
    stored = [str(v) for v in StoryReads.objects.values_list()]
    assert not any("127.0.0.1" in v for v in stored)


def test_many_reads_become_one_row_per_story_per_hour(client, settings, django_assert_max_num_queries):
    settings.BROADSHEET_READERSHIP_CLIENT_LIMIT = 1000
    first, second = make_article(), make_article()
    for _ in range(50):
        read(client, first)
    for _ in range(7):
        read(client, second)
    with django_assert_max_num_queries(8):
        assert services.flush() == 57
    assert sorted(StoryReads.objects.values_list("reads", flat=True)) == [7, 50]
    read(client, first)
    services.flush()
    assert StoryReads.objects.get(article=first).reads == 51
    assert services.flush() == 0, "a count is flushed once"


def test_robots_are_not_counted_by_agent_or_by_behaviour(client, settings):
    settings.BROADSHEET_READERSHIP_CLIENT_LIMIT = 5
    story = make_article()
    read(client, story, agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
    read(client, story, agent="python-requests/2.32")
    read(client, story, agent="")
    read(client, story, HTTP_SEC_FETCH_SITE="cross-site")
    assert services.flush() == 0
    for _ in range(20):  # one client reading twenty times a minute is a robot too
        read(client, story)
    assert services.flush() == 5


def test_most_read_shows_on_the_home_and_section_pages(client):
    world, sport = make_section("World"), make_section("Sport")
    popular = make_article("Everyone reads this", section=world)
    quiet = make_article("Few read this", section=world)
    match = make_article("Cup final report", section=sport)
    for article, reads in ((popular, 9), (quiet, 2), (match, 5)):
        for _ in range(reads):
            get_counter().add(article.pk, services.current_hour())
    services.flush()
    home = client.get("/").content.decode()
    box = home[home.index('id="most-read-heading"') :]
    assert box.index("Everyone reads this") < box.index("Cup final report") < box.index("Few read this")
    section = client.get("/section/world/").content.decode()
    box = section[section.index('id="most-read-heading"') :]
    assert "Most read in World" in section and "Cup final report" not in box


def test_the_story_page_carries_the_beacon_script_and_nothing_third_party(client):
    page = client.get(make_article().get_absolute_url()).content.decode()
    assert "data-read-beacon=" in page and "/static/readership/beacon.js" in page


def test_the_desk_shows_reads_per_hour_as_a_chart(client):
    story = make_article("Charted story")
    for _ in range(3):
        get_counter().add(story.pk, services.current_hour())
    call_command("readership", "flush")
    client.force_login(make_user("desk", superuser=True))
    page = client.get("/admin/readership/storyreads/").content.decode()
    assert '<svg class="reads-chart"' in page and "3 reads</title>" in page
    assert "Charted story</a> (3)" in page


@pytest.fixture(autouse=True)
def _fresh_rates():
    services.forget_clients()


def test_most_read_is_one_query_and_leaves_out_what_is_not_published(django_assert_num_queries):
    world, sport = make_section("World"), make_section("Sport")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    stories = {
        "Read by many": make_article("Read by many", section=world),
        "Read by some": make_article("Read by some", section=sport),
        "Taken down": make_article("Taken down", section=world, status="draft"),
        "Not out yet": make_article("Not out yet", section=world, publish_at=tomorrow),
    }
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for name, reads in (("Read by many", 9), ("Read by some", 5), ("Taken down", 50), ("Not out yet", 40)):
        StoryReads.objects.create(article=stories[name], hour=hour, reads=reads)
    with django_assert_num_queries(1):
        shown = [(a.headline, a.get_absolute_url(), a.reads) for a in services.most_read()]
    assert shown == [
        ("Read by many", stories["Read by many"].get_absolute_url(), 9),
        ("Read by some", stories["Read by some"].get_absolute_url(), 5),
    ]
    with django_assert_num_queries(1):
        assert [a.headline for a in services.most_read(section=world)] == ["Read by many"]
    assert [a.headline for a in services.most_read(limit=1)] == ["Read by many"]
