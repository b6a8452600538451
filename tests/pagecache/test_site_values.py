"""Site-wide values (the navigation's sections, the site's look, the comment rules) are kept by
each worker even with the fragment cache off, so a full render does not read them again; a
committed change to any of them purges them, and the next page shows it at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.comments.models import ModerationSettings
from broadsheet.sitesettings import services as look
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db


def story_page(client, story):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(story.get_absolute_url(), HTTP_COOKIE="bs_nocache=1").content.decode()
    return html, [q["sql"] for q in queries.captured_queries]


def reads(sqls, table):
    return sum(f' FROM "{table}"' in sql for sql in sqls)


def test_a_full_render_reads_site_wide_values_once_per_change(
    client, site_values, django_capture_on_commit_callbacks
):
    story = make_article("Ferry timetable changes", section=make_section("Harbour", in_navigation=True))
    with django_capture_on_commit_callbacks(execute=True):
        pass  # the story's own purges
    html, first = story_page(client, story)
    assert ">Harbour</a>" in html
    assert reads(first, "newsroom_section") == 1
    assert reads(first, "sitesettings_sitesettings") == 1
    html, second = story_page(client, story)
    assert reads(second, "newsroom_section") == 0, "the navigation is kept, not read again"
    assert reads(second, "sitesettings_sitesettings") == 0
    assert reads(second, "comments_moderationsettings") == 0
    assert len(second) < len(first)

    with django_capture_on_commit_callbacks(execute=True):
        section = story.section
        section.name = "Waterfront"
        section.save()
    html, third = story_page(client, story)
    assert ">Waterfront</a>" in html and ">Harbour</a>" not in html, "a renamed section shows at once"

    with django_capture_on_commit_callbacks(execute=True):
        row = look.settings_row()
        row.tagline = "Tides and timetables"
        row.save()
    assert "Tides and timetables" in story_page(client, story)[0], "a new look shows at once"


def test_changed_comment_rules_show_at_once(client, site_values, django_capture_on_commit_callbacks):
    story = make_article("Lighthouse repainted", publish_at=timezone.now() - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        rules = ModerationSettings.load()
        rules.close_after_days = 0
        rules.save()
    assert "Comments are closed" not in story_page(client, story)[0]
    assert "Comments are closed" not in story_page(client, story)[0]  # now from the kept rules
    with django_capture_on_commit_callbacks(execute=True):
        rules.close_after_days = 1
        rules.save()
    assert "Comments are closed on this story." in story_page(client, story)[0]


def test_a_story_shows_its_live_coverage_once_it_starts(
    client, site_values, django_capture_on_commit_callbacks
):
    from broadsheet.live import services as live

    story = make_article("Regatta day")
    other = make_article("Quiet harbour")
    assert 'class="live"' not in story_page(client, story)[0]
    html, sqls = story_page(client, other)
    assert reads(sqls, "live_livecoverage") == 0, "which stories are live is kept, not asked per story"
    with django_capture_on_commit_callbacks(execute=True):
        coverage = live.start(story)
    assert 'class="live"' in story_page(client, story)[0], "a coverage shows once it starts"
    assert 'class="live"' not in story_page(client, other)[0]
    with django_capture_on_commit_callbacks(execute=True):
        coverage.delete()
    assert 'class="live"' not in story_page(client, story)[0]


def test_a_new_translation_shows_in_its_originals_languages_at_once(
    client, site_values, django_capture_on_commit_callbacks
):
    story = make_article("Harbour festival", language="en")
    html, first = story_page(client, story)
    assert "hreflang" not in html
    html, second = story_page(client, story)
    family_query = '"newsroom_article"."translation_of_id" ='
    assert not any(family_query in sql for sql in second), "a story in no family skips their query"
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Fête du port", language="fr", translation_of=story)
    html = story_page(client, story)[0]
    assert 'hreflang="fr"' in html and 'hreflang="en"' in html


def test_a_new_correction_shows_at_once(client, site_values, django_capture_on_commit_callbacks):
    from broadsheet.newsroom.models import Correction

    story = make_article("Bridge reopens")
    story_page(client, story)
    html, sqls = story_page(client, story)
    assert "Corrections and updates" not in html
    assert reads(sqls, "newsroom_correction") == 0, "a story with no correction skips their query"
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(
            article=story, kind=Correction.Kind.CORRECTION, text="It reopens on Tuesday."
        )
    html = story_page(client, story)[0]
    assert "Corrections and updates" in html and "It reopens on Tuesday." in html
