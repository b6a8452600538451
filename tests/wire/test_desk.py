"""The wire desk: the queue grouped by story, filters, one-click republish, a story of our own
from a group, per-feed rules."""

import pytest

from broadsheet.newsroom.models import Article, Section
from broadsheet.wire import services
from broadsheet.wire.models import Citation, Feed, WireItem

from . import feeds

pytestmark = pytest.mark.django_db

HERALD = [
    {
        "title": "Storm closes the coast road at Harbour Point",
        "link": "https://herald.example/storm-road?utm_source=rss",
        "summary": "Police closed the coast road at Harbour Point after the storm brought down trees.",
        "date": "Sat, 05 Dec 2026 07:30:00 +0000",
    },
    {
        "title": "Library reopens after renovation",
        "link": "https://herald.example/library",
        "summary": "The town library reopened with a new reading room.",
    },
]
COURIER = [
    {
        "title": "Coast road at Harbour Point closed by storm",
        "link": "https://courier.example/storm",
        "summary": "The storm brought down trees and police closed the coast road at Harbour Point.",
    },
]


@pytest.fixture
def wire(feed_server):
    herald = services.add_feed("Harbour Herald", feed_server.add("/h", feeds.wordpress_rss(HERALD)))
    courier = services.add_feed(
        "Valley Courier",
        feed_server.add("/c", feeds.atom(COURIER, language="de"), content_type="application/atom+xml"),
    )
    services.poll_due()
    return herald, courier


def test_items_about_the_same_story_from_two_outlets_are_grouped(wire):
    storm = WireItem.objects.filter(headline__icontains="storm")
    assert storm.count() == 2
    assert len({i.group_id for i in storm}) == 1
    library = WireItem.objects.get(headline__icontains="library")
    assert library.group_id != storm.first().group_id


def test_desk_shows_the_queue_grouped_and_filters_it(wire, admin_client):
    page = admin_client.get("/wire/").content.decode()
    assert "Storm closes the coast road" in page and "Library reopens" in page
    assert "(2 items)" in page
    only_german = admin_client.get("/wire/?language=de").content.decode()
    assert "Coast road at Harbour Point closed" in only_german and "Library reopens" not in only_german
    keyword = admin_client.get("/wire/?q=library").content.decode()
    assert "Library reopens" in keyword and "Coast road" not in keyword
    by_source = admin_client.get("/wire/?source=harbour-herald").content.decode()
    assert "Valley Courier" not in by_source.split("<section", 1)[-1]


def test_the_desk_is_for_staff_only(wire, client):
    response = client.get("/wire/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_republish_makes_a_draft_with_source_link_time_language_and_credit(wire, admin_client):
    section = Section.objects.create(name="World")
    item = WireItem.objects.get(headline__startswith="Storm closes")
    response = admin_client.post(f"/wire/item/{item.pk}/republish/", {"section": section.pk})
    article = Article.objects.get(external_id=f"wire:{item.pk}")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/newsroom/article/{article.pk}/change/"
    )
    assert article.status == Article.Status.DRAFT and article.section == section
    assert article.source.name == "Harbour Herald"
    assert article.source_url == "https://herald.example/storm-road?utm_source=rss"
    assert article.language == "en-us"  # from the feed's <language>
    assert "First published by" in article.body_html and "5 December 2026, 07:30" in article.body_html
    item.refresh_from_db()
    assert item.status == WireItem.Status.DRAFTED and item.article == article
    again = admin_client.post(f"/wire/item/{item.pk}/republish/", {"section": section.pk})
    assert again.status_code == 302 and Article.objects.filter(external_id=f"wire:{item.pk}").count() == 1


def test_republished_story_once_published_links_to_the_original_as_canonical(wire, client, settings):
    from broadsheet.newsroom.services import publish

    item = WireItem.objects.get(headline__startswith="Storm closes")
    article = services.republish(item, section=Section.objects.create(name="World"))
    publish(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://herald.example/storm-road?utm_source=rss"' in page
    assert "Source:" in page and "Harbour Herald" in page


def test_write_our_own_from_a_group_attaches_every_outlet(wire, admin_client, client):
    section = Section.objects.create(name="World")
    group = WireItem.objects.get(headline__startswith="Storm closes").group
    admin_client.post(f"/wire/group/{group.pk}/write/", {"section": section.pk})
    article = Article.objects.get(headline=group.headline)
    assert article.source is None
    cited = set(Citation.objects.filter(article=article).values_list("source__name", flat=True))
    assert cited == {"Harbour Herald", "Valley Courier"}
    assert set(WireItem.objects.filter(group=group).values_list("status", flat=True)) == {"drafted"}


def test_republish_without_a_section_says_so(wire, admin_client):
    item = WireItem.objects.first()
    response = admin_client.post(f"/wire/item/{item.pk}/republish/", {"section": ""}, follow=True)
    assert "Choose a section" in response.content.decode()
    assert not Article.objects.exists()


def test_ignored_items_leave_the_queue(wire, admin_client):
    item = WireItem.objects.get(headline__icontains="library")
    admin_client.post(f"/wire/item/{item.pk}/ignore/")
    assert "Library reopens" not in admin_client.get("/wire/").content.decode()


def test_feed_rules_auto_draft_into_a_section_and_ignore_matching_items(feed_server):
    section = Section.objects.create(name="Local")
    services.add_feed(
        "Harbour Herald",
        feed_server.add("/h", feeds.wordpress_rss(HERALD)),
        auto_draft_section=section,
        ignore_matching="library\nsports",
    )
    services.poll_due()
    assert WireItem.objects.get(headline__icontains="library").status == WireItem.Status.IGNORED
    storm = WireItem.objects.get(headline__icontains="storm")
    assert storm.status == WireItem.Status.DRAFTED and storm.article.section == section
    assert Article.objects.count() == 1


def test_full_text_only_when_the_licence_allows(feed_server):
    page = (
        "<html><body><nav>Menu Home About</nav><article><h1>Storm</h1>"
        + "<p>The storm brought down trees along the whole coast road overnight. </p>" * 12
        + "</article><footer>Copyright</footer></body></html>"
    ).encode()
    link = feed_server.add("/story", page, content_type="text/html")
    items = [{"title": "Storm closes road", "link": link, "summary": "Short teaser."}]
    allowed = services.add_feed(
        "Open Outlet", feed_server.add("/open", feeds.wordpress_rss(items)), full_text_allowed=True
    )
    services.poll_feed(allowed)
    item = WireItem.objects.get()
    assert "brought down trees" in item.body_html and "Menu" not in item.body_html
    WireItem.objects.all().delete()
    elsewhere = [{"title": "Storm closes road", "link": "http://10.0.0.1/admin", "summary": "Short teaser."}]
    services.poll_feed(
        services.add_feed(
            "Odd Outlet", feed_server.add("/odd", feeds.wordpress_rss(elsewhere)), full_text_allowed=True
        )
    )
    assert not any(path == "/admin" for path, _ in feed_server.requests)
    assert WireItem.objects.get().body_html == ""
    WireItem.objects.all().delete()
    closed = services.add_feed("Closed Outlet", feed_server.add("/closed", feeds.wordpress_rss(items)))
    services.poll_feed(closed)
    assert WireItem.objects.get().body_html == ""


def test_desk_filters_by_the_section_a_feeds_rule_or_default_gives_its_items(wire, admin_client):
    herald, courier = wire
    world = Section.objects.create(name="World")
    local = Section.objects.create(name="Local")
    herald.section = local
    herald.save()
    # The courier's rule (set after its items came in) wins over its default section.
    Feed.objects.filter(pk=courier.pk).update(section=local, auto_draft_section=world)

    in_world = admin_client.get("/wire/?section=world").content.decode()
    assert "Coast road at Harbour Point closed" in in_world
    # The herald's item about the same storm is left out (its group's headline may still show).
    assert "Library reopens" not in in_world and "herald.example/storm-road" not in in_world
    assert '<option value="world" selected>World</option>' in in_world

    in_local = admin_client.get("/wire/?section=local&language=en&q=library").content.decode()
    assert "Library reopens" in in_local and "Coast road at Harbour Point closed" not in in_local
    # Every filter keeps what was chosen or typed.
    assert '<option value="local" selected>Local</option>' in in_local
    assert 'name="language" value="en"' in in_local and 'name="q" value="library"' in in_local

    nothing = admin_client.get("/wire/?section=world&q=library").content.decode()
    assert "Nothing on the wire matching these filters" in nothing
    # A section that does not exist is no filter, never an error.
    unknown = admin_client.get("/wire/?section=no-such-section")
    assert unknown.status_code == 200 and "Library reopens" in unknown.content.decode()



def test_the_wire_pages_carry_the_back_office_header(wire, admin_client):
    # Without the admin's context the bar above the desk was empty: no site name, no sign-out.
    from django.contrib import admin

    for url in ("/wire/", "/wire/outlets/"):
        page = admin_client.get(url).content.decode()
        assert f'<div id="site-name"><a href="/admin/">{admin.site.site_header}</a></div>' in page, url
        assert 'id="logout-form"' in page, url
