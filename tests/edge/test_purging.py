"""Each change purges what shows it and nothing more, after commit; purgers get the keys in
their own request shapes; a purger that is down or slow never holds up the editor, and its
queue drains when it is back."""

import json

import pytest
from django.db import transaction

from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.core import surrogates
from broadsheet.edge import sending, services
from broadsheet.edge.purgers.base import PurgeFailed
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Author, Tag
from tests.conftest import make_article, make_section, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purged(monkeypatch):
    """Every key purged from here on, as the built-in caches are told (after commit)."""
    seen = []
    from broadsheet.pagecache import invalidation

    real = invalidation.purge

    def record(keys, **kwargs):
        seen.extend(keys)
        return real(keys, **kwargs)

    monkeypatch.setattr(invalidation, "purge", record)
    return seen


def published(headline, **kw):
    return newsroom.publish(make_article(headline, status="draft", **kw))


def test_approved_comment_purges_its_story_and_the_comment_feeds_only(purged):
    story = published("Harbour dredging begins")
    comment = Comment.objects.create(
        article=story, author_name="Ana", author_email="ana@example.org", body="Good.", status="pending"
    )
    purged.clear()
    comments.approve(comment)
    assert surrogates.story(story.pk) in purged and surrogates.COMMENT_FEED in purged
    assert surrogates.HOME not in purged and surrogates.ALL not in purged and surrogates.ANY not in purged


@pytest.mark.parametrize("action", [comments.mark_spam, comments.trash])
def test_held_spam_or_trashed_comment_purges_nothing(purged, action, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    story = published("Quiet week at the harbour")
    purged.clear()
    held = comments.post_comment(
        article=story, body="First words from a stranger.", name="Bo", email="bo@example.org"
    )
    assert held.status == Comment.Status.PENDING
    action(held)
    assert purged == []


def test_published_story_purges_its_page_listings_feeds_and_sitemap_page(purged):
    section = make_section("Weather")
    article = make_article(
        "Storm warning for the coast", status="draft", section=section, tags=["storms"], authors=["Ana Ruiz"]
    )
    other = published("Lighthouse keeper retires")
    purged.clear()
    newsroom.publish(article)
    tag, author = Tag.objects.get(name="storms"), Author.objects.get(name="Ana Ruiz")
    for key in (
        surrogates.story(article.pk),
        surrogates.HOME,
        surrogates.FEED,
        surrogates.section(section.pk),
        surrogates.tag(tag.pk),
        surrogates.author(author.pk),
        surrogates.sitemap_page(1),
        surrogates.SEARCH,
    ):
        assert key in purged, key
    # Another story's page is purged only when its related list now shows the new one.
    from broadsheet.related.models import RelatedEntry

    shows_it = RelatedEntry.objects.filter(article=other, related=article).exists()
    assert (surrogates.story(other.pk) in purged) == shows_it
    assert surrogates.ALL not in purged


def test_a_story_moved_to_another_section_purges_both_listings(purged):
    old, new = make_section("Sport"), make_section("Business")
    article = published("Club sold to investors", section=old)
    purged.clear()
    article.section = new
    newsroom.save_article(article)
    assert surrogates.section(old.pk) in purged and surrogates.section(new.pk) in purged


def test_nothing_is_purged_before_commit(purged):
    article = make_article("Embargoed budget analysis", status="draft")
    purged.clear()
    with transaction.atomic():
        newsroom.publish(article)
        assert purged == []
    assert surrogates.story(article.pk) in purged


def test_stories_whose_related_lists_show_an_edited_story_are_purged(purged):
    from broadsheet.related.models import RelatedEntry

    first = published("Ferry strike ends after talks")
    second = published("Ferry strike talks resume")
    RelatedEntry.objects.get_or_create(article=second, related=first, defaults={"rank": 1, "score": 0.5})
    purged.clear()
    first.headline = "Ferry strike ends after long talks"
    newsroom.save_article(first)
    assert surrogates.story(second.pk) in purged


def test_site_wide_purge_can_be_asked_for_without_importing_the_edge(purged):
    with transaction.atomic():
        surrogates.request_purge(surrogates.ALL)
        assert purged == []
    assert surrogates.ALL in purged


def test_fastly_gets_surrogate_keys_in_one_batch_request(purge_api, settings):
    settings.BROADSHEET_EDGE_PURGERS = [
        {"kind": "fastly", "service": "SVC1", "token": "tok", "api": purge_api.url}
    ]
    services.purge(["story-1", "home"])
    assert wait_for(lambda: purge_api.requests, timeout=5)
    request = purge_api.requests[0]
    assert (request["method"], request["path"]) == ("POST", "/service/SVC1/purge")
    assert request["headers"]["fastly-key"] == "tok"
    assert sorted(request["headers"]["surrogate-key"].split()) == ["home", "story-1"]
    assert wait_for(lambda: sending.pending() == 0, timeout=5)


def test_cloudflare_gets_cache_tags_in_batches_of_thirty(purge_api, settings):
    settings.BROADSHEET_EDGE_PURGERS = [
        {"kind": "cloudflare", "zone": "Z9", "token": "tok", "api": purge_api.url}
    ]
    keys = [f"story-{n}" for n in range(45)]
    services.purge(keys)
    assert wait_for(lambda: sending.pending() == 0 and len(purge_api.requests) >= 2, timeout=5)
    request = purge_api.requests[0]
    assert (request["method"], request["path"]) == ("POST", "/client/v4/zones/Z9/purge_cache")
    assert request["headers"]["authorization"] == "Bearer tok"
    assert all(len(json.loads(r["body"])["tags"]) <= 30 for r in purge_api.requests)
    assert sorted(purge_api.keys()) == sorted(keys)


def test_cloudflare_answer_without_success_is_a_failure(purge_api):
    from broadsheet.edge.purgers.cloudflare import CloudflarePurger

    purge_api.body = b'{"success": false, "errors": [{"code": 1000}]}'
    with pytest.raises(PurgeFailed):
        CloudflarePurger(name="cf", zone="Z", token="t", api=purge_api.url).purge(["home"])


def test_purger_down_keeps_the_keys_and_the_queue_drains_when_it_is_back(purge_api, settings):
    settings.BROADSHEET_EDGE_PURGERS = [{"kind": "varnish", "url": purge_api.url}]
    purge_api.status = 503
    story = published("Pier lights switched on")
    assert wait_for(lambda: purge_api.requests, timeout=5)
    assert sending.pending() > 0  # kept, to be sent again
    purge_api.status = 200
    # A storm of changes to the same story while the purger was away queues its keys once.
    for n in range(20):
        story.summary = f"Update {n}"
        newsroom.save_article(story)
    assert sending.pending() < 40
    assert wait_for(lambda: sending.pending() == 0, timeout=15)
    assert surrogates.story(story.pk) in purge_api.keys()


def test_a_slow_purger_never_holds_up_the_editor(purge_api, settings):
    settings.BROADSHEET_EDGE_PURGERS = [{"kind": "varnish", "url": purge_api.url}]
    settings.BROADSHEET_EDGE_PURGE_TIMEOUT = 30
    purge_api.hold.clear()  # the purger takes its time answering
    newsroom.publish(make_article("Slow news day", status="draft"))
    # The editor's save has returned while the purge is still waiting for its answer.
    assert wait_for(lambda: purge_api.requests, timeout=5)
    assert sending.pending() > 0
    purge_api.hold.set()
    assert wait_for(lambda: sending.pending() == 0, timeout=15)


def test_a_process_that_ends_sends_what_it_queued_first(purge_api, settings):
    import threading

    settings.BROADSHEET_EDGE_PURGERS = [{"kind": "varnish", "url": purge_api.url}]
    purge_api.hold.clear()  # the purger answers after a moment
    story = published("Night ferry cancelled")
    assert sending.pending() > 0
    threading.Timer(0.5, purge_api.hold.set).start()
    # What runs as the process exits (a command or script that published and ended at once):
    # it waits for the sender, so the story's page is purged now, not with the next change.
    assert sending.finish(timeout=10)
    assert sending.pending() == 0 and surrogates.story(story.pk) in purge_api.keys()


def test_a_new_change_is_sent_at_once_while_refused_keys_wait_to_be_retried(purge_api, settings, monkeypatch):
    settings.BROADSHEET_EDGE_PURGERS = [{"kind": "varnish", "url": purge_api.url}]
    monkeypatch.setattr(sending, "retry_pause", lambda attempts: 600.0)  # a purger away a long while
    purge_api.status = 503
    published("Harbour cranes idle")
    assert wait_for(lambda: purge_api.requests, timeout=5)
    assert wait_for(lambda: sending._waiting, timeout=5)  # the sender pauses before its retry
    purge_api.status = 200
    story = published("Cranes back at work")
    # The new story's keys go now, not when the refused ones are due again.
    assert wait_for(lambda: surrogates.story(story.pk) in purge_api.keys(), timeout=15)
    assert sending.pending() > 0  # the refused keys still wait for their turn


def test_a_page_rendered_across_a_purge_of_what_it_shows_is_kept_by_no_shared_cache(client):
    """The race a purge alone cannot win: a render begun before a change, answered after the
    change's purge reached Varnish, would be kept for s-maxage without the change."""
    from django.db import connection

    story = published("Harbour crane returns to service")
    other = published("Allotment waiting list shortens")
    url = story.get_absolute_url()

    def render_while_purging(keys):
        purged_once = []

        def purge_at_first_query(execute, sql, params, many, context):
            if not purged_once:
                purged_once.append(True)
                services.purge(keys)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(purge_at_first_query):
            response = client.get(url)
        assert purged_once and response.status_code == 200
        return response

    plain = client.get(url)
    assert "s-maxage=3600" in plain["Cache-Control"] and "X-Broadsheet-Until" not in plain

    raced = render_while_purging([surrogates.story(story.pk)])
    assert "s-maxage=0" in raced["Cache-Control"] and "public" in raced["Cache-Control"]
    assert float(raced["X-Broadsheet-Until"]) > 0  # the shipped VCL fetches it again at once

    unrelated = render_while_purging([surrogates.story(other.pk)])
    assert "s-maxage=3600" in unrelated["Cache-Control"] and "X-Broadsheet-Until" not in unrelated

    assert "s-maxage=3600" in client.get(url)["Cache-Control"]
