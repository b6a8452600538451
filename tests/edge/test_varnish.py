"""Varnish in front, for real: hits, misses, purges by surrogate key after each change (and only
those), pages the same for every anonymous reader with no cookie kept, stale pages while the app
is down, and Host/query normalisation."""

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.edge import sending
from broadsheet.newsroom import services as newsroom
from tests.conftest import make_article, make_section, wait_for

from .conftest import running_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(tmp_path, settings):
    with running_site(tmp_path) as running:
        settings.BROADSHEET_EDGE_PURGERS = [{"kind": "varnish", "url": running.purge_url}]
        yield running
        wait_for(lambda: sending.pending() == 0, timeout=10)


def cache_of(answer):
    return answer[1].get("X-Varnish-Cache")


def published(headline, **kw):
    article = make_article(headline, status="draft", **kw)
    return newsroom.publish(article)


def test_second_reader_is_answered_by_varnish_and_a_change_purges_only_its_pages(site):
    story = published("Harbour ferry timetable changes")
    other = published("Lighthouse keeper retires")
    for article in (story, other):
        first = site.get(article.get_absolute_url())
        assert (first[0], cache_of(first)) == (200, "MISS")
        assert f"story-{article.pk}" in first[1]["Surrogate-Key"].split()
        assert cache_of(site.get(article.get_absolute_url())) == "HIT"
    assert cache_of(site.get("/")) in ("MISS", "HIT")

    parent = Comment.objects.create(
        article=story, author_name="Ana", author_email="ana@example.org", body="First!", status="pending"
    )
    comments.approve(parent)
    # The approved comment purges its story (and the comment feeds), not the other story.
    assert wait_for(lambda: b"First!" in site.get(story.get_absolute_url())[2], timeout=10)
    assert cache_of(site.get(other.get_absolute_url())) == "HIT"
    assert cache_of(site.get("/")) == "HIT"


def test_a_held_comment_purges_nothing(site, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    story = published("Quiet week at the harbour")
    site.get(story.get_absolute_url())
    site.get("/")
    assert cache_of(site.get(story.get_absolute_url())) == "HIT"
    comments.post_comment(
        article=story,
        body="Buy cheap pills http://x.example http://y.example",
        name="Bot",
        email="bot@spam.example",
    )
    assert Comment.objects.get().status != Comment.Status.APPROVED
    time.sleep(0.5)  # had anything been queued, the sender would have sent it by now
    assert sending.pending() == 0
    assert cache_of(site.get(story.get_absolute_url())) == "HIT"
    assert cache_of(site.get("/")) == "HIT"


def test_a_published_story_shows_on_home_its_section_and_feeds(site):
    section = make_section("Weather")
    published("Fog delays ferries", section=section)
    for path in ("/", section.get_absolute_url(), "/feed/"):
        site.get(path)
        assert cache_of(site.get(path)) == "HIT", path
    published("Storm warning for the coast", section=section)
    for path in ("/", section.get_absolute_url(), "/feed/"):
        assert wait_for(lambda p=path: b"Storm warning for the coast" in site.get(p)[2], timeout=10), path


def test_two_readers_get_byte_identical_pages_without_cookies_and_an_editor_never_leaks(site, editor):
    section = make_section("Island life")
    story = published("Ferry strike ends", section=section)
    Comment.objects.create(
        article=story, author_name="Ana", author_email="ana@example.org", body="Good.", status="approved"
    )
    paths = ["/", story.get_absolute_url(), section.get_absolute_url(), "/search/?q=ferry", "/feed/"]
    commenter = {"Cookie": "bs_commenter=Zm9v; bs_my_comments=1:abc; csrftoken=" + "a" * 32}
    stranger = {}
    # An editor signed in: their requests pass to the app, and nothing of theirs is kept.
    client = Client()
    client.force_login(editor)
    editor_cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    for path in paths:
        mine = site.get(path, **editor_cookie)
        assert mine[0] == 200 and cache_of(mine) == "MISS", path
        first, second = site.get(path, **commenter), site.get(path, **stranger)
        assert first[0] == second[0] == 200, path
        assert first[2] == second[2], path
        assert "Set-Cookie" not in first[1] and "Set-Cookie" not in second[1], path
        assert "public" in first[1]["Cache-Control"] and "s-maxage" in first[1]["Cache-Control"]
        assert b"csrfmiddlewaretoken" not in first[2]
        assert b"ana@example.org" not in first[2]
    assert cache_of(site.get(story.get_absolute_url(), **commenter)) == "HIT"


def test_unknown_host_is_refused_and_tracking_parameters_share_one_entry(site):
    published("Pier lights switched on")
    assert site.get("/", Host="evil.example")[0] == 400
    site.get("/search/?q=pier&page=1")
    again = site.get("/search/?utm_source=mail&page=1&q=pier&fbclid=abc")
    assert cache_of(again) == "HIT"
    # Two different searches never share an entry, however the characters are arranged.
    split = site.get("/search/%7Cq=X?b")
    joined = site.get("/search/?q=X|b")
    assert split[2] != joined[2] or split[0] != joined[0]


def test_purging_by_key_from_the_purge_api(site):
    story = published("Tram line extension approved")
    site.get(story.get_absolute_url())
    assert cache_of(site.get(story.get_absolute_url())) == "HIT"
    assert site.purge(f"story-{story.pk}")[0] == 200
    assert cache_of(site.get(story.get_absolute_url())) == "MISS"


def test_stale_pages_are_served_while_the_app_is_down(tmp_path, settings):
    with running_site(tmp_path, BROADSHEET_EDGE_S_MAXAGE=1) as site:
        story = published("Power cut hits the old town")
        fresh = site.get(story.get_absolute_url())
        assert fresh[0] == 200 and b"Power cut hits the old town" in fresh[2]
        site.stop_origin()
        time.sleep(4)  # the page has expired and the health probe has seen the app go
        stale = site.get(story.get_absolute_url())
        assert stale[0] == 200
        assert stale[2] == fresh[2]


def test_a_purged_page_is_served_stale_when_the_app_fails(site):
    story = published("Bridge repairs start on Monday")
    url = story.get_absolute_url()
    fresh = site.get(url)
    assert fresh[0] == 200 and cache_of(site.get(url)) == "HIT"
    assert site.purge(f"story-{story.pk}")[0] == 200
    site.stop_origin()

    # At once, before the health probe has noticed: the fetch fails and the purged copy is served.
    failed_fetch = site.get(url)
    assert failed_fetch[0] == 200 and failed_fetch[2] == fresh[2]
    # And once the probe has marked the app down.
    time.sleep(4)
    down = site.get(url)
    assert down[0] == 200 and down[2] == fresh[2]


def test_a_scheduled_story_is_on_home_for_every_reader_from_its_time(site):
    published("Harbour reopens after the storm")
    due = timezone.now() + datetime.timedelta(seconds=3)
    newsroom.publish(make_article("Midnight ferry launch", status="draft"), at=due)
    # Readers keep asking through the story's time: Varnish keeps home only until then, and
    # nobody is handed the copy from before it (stale while it is fetched again) afterwards.
    answers = []
    while timezone.now() < due + datetime.timedelta(seconds=3):
        asked = timezone.now()
        answers.append((asked, b"Midnight ferry launch" in site.get("/")[2]))
        time.sleep(0.05)
    before = [shown for asked, shown in answers if asked < due]
    after = [shown for asked, shown in answers if asked >= due]
    assert before and not any(before)
    assert after and all(after), [
        (asked.time().isoformat(), shown) for asked, shown in answers if asked >= due
    ][:8]
