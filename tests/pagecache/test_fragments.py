"""Readers the page cache passes to Django get pages built from shared fragments: the story, the
thread, the listings are rendered once, every change shows at once, and nothing of one reader's
own (their comment awaiting moderation, their saved name, their CSRF token) reaches another."""

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.newsroom import services
from broadsheet.pagecache import get_store
from tests.conftest import make_article, make_section
from tests.pagecache.conftest import Reader

pytestmark = pytest.mark.django_db

NOCACHE = {"bs_nocache": "1"}  # a cookie of their own: the page cache hands them to Django


def own_reader(site, **cookies):
    return Reader(site, cookies={**NOCACHE, **cookies})


def queries_for(reader, path):
    with CaptureQueriesContext(connection) as ctx:
        page = reader.get(path)
    assert page.status_code == 200, path
    return page, [q["sql"] for q in ctx.captured_queries]


def test_the_story_is_rendered_once_for_every_reader(site, committed):
    with committed():
        story = make_article("Harbour wall repairs finish early", tags=["Harbour"])
    first, _ = queries_for(own_reader(site), story.get_absolute_url())
    second, sql = queries_for(own_reader(site), story.get_absolute_url())
    assert first.cache == second.cache == "BYPASS"
    assert "Harbour wall repairs finish early" in second.text and "Harbour</a>" in second.text
    touched = " ".join(sql)
    for table in ("newsroom_article", "newsroom_tag", "newsroom_author", "newsroom_correction"):
        assert table not in touched, table


def test_listings_are_rendered_once_for_every_reader(site, committed):
    with committed():
        section = make_section("Coast")
        make_article("Tide tables printed for summer", section=section)
    for path in ("/", section.get_absolute_url()):
        own_reader(site).get(path)
        page, sql = queries_for(own_reader(site), path)
        assert "Tide tables printed for summer" in page.text
        assert not [q for q in sql if "newsroom_article" in q], path


def test_an_edit_reaches_readers_of_fragments_at_once(site, committed):
    with committed():
        section = make_section("Transport")
        story = make_article("Council debates bus lanes", section=section)
    reader = own_reader(site)
    for path in ("/", section.get_absolute_url(), story.get_absolute_url()):
        reader.get(path)
    story.headline = "Council approves bus lanes"
    with committed():
        services.save_article(story)
    for path in ("/", section.get_absolute_url(), story.get_absolute_url()):
        assert "Council approves bus lanes" in reader.get(path).text, path


def test_unpublishing_removes_the_story_from_fragments(site, committed):
    with committed():
        story = make_article("Mayor opens new library wing")
    reader = own_reader(site)
    reader.get(story.get_absolute_url())
    reader.get("/")
    with committed():
        services.unpublish(story)
    assert reader.get(story.get_absolute_url()).status_code == 404
    assert "Mayor opens new library wing" not in reader.get("/").text


def test_an_approved_comment_reaches_the_thread_at_once(site, committed):
    with committed():
        story = make_article("Town hall clock restored")
        comment = Comment.objects.create(
            article=story,
            author_name="Morwenna",
            author_email="morwenna@example.org",
            body="Lovely to hear it chime again.",
            status=Comment.Status.PENDING,
        )
    reader = own_reader(site)
    assert "chime again" not in reader.get(story.get_absolute_url()).text
    with committed():
        comments.approve(comment)
    page = reader.get(story.get_absolute_url())
    assert "chime again" in page.text and "1 reply to" in page.text
    assert "morwenna@example.org" not in page.text


def test_a_comment_awaiting_moderation_is_shown_to_its_author_only(site, committed):
    # The story page is the same for both; the author's held comment comes from form_state.
    with committed():
        story = make_article("Ferry timetable changes")
        held = Comment.objects.create(
            article=story,
            author_name="Tamsin",
            author_email="tamsin@example.org",
            body="Will the early crossing still run on Sundays?",
            status=Comment.Status.PENDING,
        )
    mine = signing.get_cookie_signer(salt="bs_my_comments" + comments.MINE_SALT).sign(str(held.pk))
    author = Reader(site, cookies={"bs_my_comments": mine})
    someone = Reader(site)
    url = story.get_absolute_url()
    state = f"/comments/state/{story.pk}/"
    for _ in range(2):  # in both orders, and with the page already kept
        assert "early crossing still run" not in someone.get(url).text
        assert author.get(url).body == someone.get(url).body
        assert "early crossing still run" not in someone.get(state).text
        own = author.get(state)
        assert own.cache == "BYPASS" and "early crossing still run" in own.text
        assert "awaiting moderation" in own.text


def test_saved_commenter_details_stay_with_their_reader(site, committed):
    from broadsheet.comments.views import COMMENTER_SALT

    with committed():
        story = make_article("Lighthouse open day")
    saved = signing.dumps(
        {"author": "Jowan Trevithick", "email": "jowan@example.org", "url": ""}, salt=COMMENTER_SALT
    )
    url = story.get_absolute_url()
    jowan = Reader(site, cookies={"bs_commenter": saved})
    assert "Jowan Trevithick" not in jowan.get(url).text
    assert "Jowan Trevithick" in jowan.get(f"/comments/state/{story.pk}/").text
    page = Reader(site).get(f"/comments/state/{story.pk}/")
    assert "Jowan Trevithick" not in page.text and "jowan@example.org" not in page.text


def test_story_pages_carry_no_form_token_whatever_the_readers_cookie(site, committed):
    with committed():
        story = make_article("Market hall reopens")
    url = story.get_absolute_url()
    pages = [own_reader(site, csrftoken=secret).get(url) for secret in ("a" * 32, "b" * 32)]
    pages.append(Reader(site).get(url))
    assert all("csrfmiddlewaretoken" not in page.text for page in pages)
    assert all("set-cookie" not in page.headers for page in pages)
    assert pages[0].body == pages[1].body == pages[2].body


def test_a_renamed_section_shows_in_the_navigation_at_once(site, committed):
    with committed():
        section = make_section("Weather")
        make_article("Fog delays ferries", section=section)
    reader = own_reader(site)
    assert ">Weather</a>" in reader.get("/").text
    section.name = "Weather and tides"
    with committed():
        section.save()
    assert ">Weather and tides</a>" in reader.get("/").text


def test_a_section_page_marks_itself_in_the_navigation(site, committed):
    with committed():
        section = make_section("Sport")
        make_article("Regatta results", section=section)
    page = own_reader(site).get(section.get_absolute_url())
    assert f'href="{section.get_absolute_url()}" aria-current="page"' in page.text
    assert 'aria-current="page"' not in own_reader(site).get("/").text


def test_a_preview_is_never_built_from_fragments(site, committed, editor):
    with committed():
        draft = make_article("Draft budget story", status="draft")
    reader = own_reader(site)
    url = draft.get_preview_url()
    assert "Draft budget story" in reader.get(url).text
    draft.headline = "Draft budget story, rewritten"
    draft.save()  # not committed: no new generation, yet the preview must show the change
    assert "Draft budget story, rewritten" in reader.get(url).text


def test_with_fragments_off_every_request_renders_in_full(site, settings, committed):
    settings.BROADSHEET_FRAGMENTS = False
    with committed():
        story = make_article("Pier lights switched on")
    own_reader(site).get(story.get_absolute_url())
    _, sql = queries_for(own_reader(site), story.get_absolute_url())
    assert [q for q in sql if "newsroom_article" in q]


def test_a_store_that_fails_means_rendering_in_full(site, committed, monkeypatch):
    with committed():
        story = make_article("Cliff path reopens")
    store = get_store()

    def broken():
        raise ConnectionError("store is away")

    monkeypatch.setattr(store, "state", broken)
    page = Reader(site).get(story.get_absolute_url())
    assert page.status_code == 200 and "Cliff path reopens" in page.text


def test_readers_arriving_together_wait_for_one_rendering(site, committed):
    import threading
    import time

    from django.test import RequestFactory

    from broadsheet.pagecache import fragments

    with committed():
        make_article("Sea fret lifts by noon")
    request = RequestFactory().get("/")
    builds, started, release = [], threading.Event(), threading.Event()

    def slow_build():
        builds.append(1)
        started.set()
        release.wait(5)
        return "<p>the front page</p>"

    answers = []
    first = threading.Thread(target=lambda: answers.append(fragments.cached(request, "t", "k", slow_build)))
    first.start()
    assert started.wait(5)
    others = [
        threading.Thread(target=lambda: answers.append(fragments.cached(request, "t", "k", slow_build)))
        for _ in range(3)
    ]
    for thread in others:
        thread.start()
    time.sleep(0.2)  # let them reach the fragment while it is being built
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert answers == ["<p>the front page</p>"] * 4
    assert len(builds) == 1
