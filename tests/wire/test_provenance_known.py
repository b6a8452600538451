"""A story known to cite no outlet and name no entity skips both queries on its page (a site-wide
set kept with the site values); a citation or mention added any way shows on the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Source
from broadsheet.wire import entities, provenance
from broadsheet.wire.models import Citation, Entity
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page(client, article):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url(), HTTP_COOKIE="bs_nocache=1").content.decode()
    asked = sum(' FROM "wire_entity"' in q["sql"] or ' "wire_citation"' in q["sql"] for q in queries)
    return html, asked


def test_a_story_without_provenance_asks_nothing_after_the_first_page(client, site_values, committed):
    with committed():
        story = make_article("Ferry timetable changes")
    page(client, story)  # reads the set of stories with provenance
    html, asked = page(client, story)
    assert asked == 0
    assert "Reporting cited" not in html and "In this story" not in html


def seen_story_and_outlet(client, committed):
    """A story without provenance whose page has been read once, and an outlet it does not cite yet."""
    with committed():
        story = make_article("Ferry timetable changes")
        gazette = Source.objects.create(name="Harbour Gazette")
    page(client, story)
    return story, gazette


def test_an_editors_citation_shows_on_the_next_page(client, site_values, committed):
    story, gazette = seen_story_and_outlet(client, committed)
    with committed():
        provenance.add_citation(story, gazette, sentence="The Gazette said so.")
    html, asked = page(client, story)
    assert "Reporting cited: " in html and ">Harbour Gazette</a>" in html
    assert '"citation":[' in html, "the JSON-LD names it too"
    assert asked > 0


def test_a_citation_saved_with_the_story_shows_on_the_next_page(client, site_values, committed):
    """The article form's inline saves the row and then announces the story."""
    story, gazette = seen_story_and_outlet(client, committed)
    with committed():
        Citation.objects.create(article=story, source=gazette, status=Citation.Status.ADDED)
        newsroom.announce(story)
    html, _ = page(client, story)
    assert ">Harbour Gazette</a>" in html


def test_an_entity_the_machine_finds_shows_on_the_next_page(client, site_values, committed):
    with committed():
        story = make_article("Talks in Ankara", body="Recep Tayyip Erdogan arrived on Monday.")
        Entity.objects.all().delete()
    page(client, story)
    with committed():
        Entity.objects.create(name="Recep Tayyip Erdogan", kind=Entity.Kind.PERSON)
        entities.refresh_mentions(story)
    html, _ = page(client, story)
    assert "In this story: " in html and "Recep Tayyip Erdogan</a>" in html


def test_without_site_values_every_story_is_asked(client, settings):
    settings.BROADSHEET_SITE_VALUES = False
    story = make_article("Ferry timetable changes")
    _, asked = page(client, story)
    assert asked == 2
