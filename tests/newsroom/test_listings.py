"""The front page and listings read their stories with SQL built once (newsroom.listings, on
core.prepared): the same stories and fields as the ORM, a pinned lead in the same query as the
rest, and the listing annotators see every field a teaser shows without a query of their own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.core import hooks
from broadsheet.newsroom import listings, services, slots
from broadsheet.newsroom.models import Article, Source
from broadsheet.pagecache import fragments
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db

LISTING_FIELDS = [
    "headline",
    "slug",
    "summary",
    "publish_at",
    "image",
    "image_alt",
    "section_id",
    "source_id",
]


def full_render(client, path="/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, HTTP_COOKIE="bs_nocache=1")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_stories_by_id_are_what_the_orm_reads(django_assert_num_queries):
    source = Source.objects.create(name="Granite Gazette")
    world = make_section("World")
    stories = [make_article(f"Story {i}", section=world, source=source if i % 2 else None) for i in range(5)]
    draft = make_article("A draft", status="draft")
    wanted = [stories[3].pk, draft.pk, stories[0].pk, stories[3].pk, 999_999]
    with django_assert_num_queries(1):
        found = listings.stories_by_id(wanted)
        # Everything a teaser shows is loaded: no query for the section, the source or a field.
        shown = {
            pk: [getattr(a, f) for f in LISTING_FIELDS] + [a.section.name, a.source]
            for pk, a in found.items()
        }
    orm = Article.objects.for_listing().in_bulk(wanted)
    assert set(found) == set(orm) == {stories[3].pk, draft.pk, stories[0].pk}
    for pk, article in orm.items():
        assert shown[pk] == [getattr(article, f) for f in LISTING_FIELDS] + [
            article.section.name,
            article.source,
        ]
    assert found[stories[3].pk].source.name == "Granite Gazette" and found[stories[0].pk].source is None
    # The stories of one section share one Section instance (a page shows a few sections).
    assert found[stories[3].pk].section is found[stories[0].pk].section
    assert "body_html" not in found[stories[0].pk].__dict__  # no bodies in a listing


def test_the_front_page_ids_are_one_query_compiled_once_per_number_of_sections():
    world, sport = make_section("World"), make_section("Sport")
    for n in range(3):
        make_article(f"World story {n}", section=world), make_article(f"Sport story {n}", section=sport)
    newest = Article.objects.published().order_by("-publish_at", "-id").values_list("pk", flat=True)
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        latest, pinned, blocks = listings.front_page_ids([world.pk, sport.pk], depth=2, now=now)
        compiled = len(listings._FRONT_PAGE_IDS._compiled)
        again = listings.front_page_ids([sport.pk, world.pk], depth=2, now=now)
    assert len(ctx.captured_queries) == 2 and pinned is None
    assert latest == list(newest[:2]) == again[0]
    assert blocks == again[2] == {s.pk: list(newest.filter(section=s)[:2]) for s in (world, sport)}
    assert len(listings._FRONT_PAGE_IDS._compiled) == compiled  # the same shape: compiled once
    assert listings.front_page_ids([world.pk], depth=2, now=now)[2] == {world.pk: blocks[world.pk]}
    assert len(listings._FRONT_PAGE_IDS._compiled) == compiled + 1  # one section fewer: its own SQL


def test_a_pinned_lead_costs_no_query_of_its_own(client, settings, editor):
    settings.BROADSHEET_FRAGMENTS = False  # every request renders the page in full
    world = make_section("World")
    older = make_article(
        "An older story to pin", section=world, publish_at=timezone.now() - datetime.timedelta(days=2)
    )
    for i in range(15):
        make_article(f"World story {i:02d}", section=world)
    html, unpinned = full_render(client)
    assert "An older story to pin" not in html.split('class="latest"')[0]
    services.set_lead(older, pinned=True, by=editor)
    html, pinned = full_render(client)
    lead = html.split('<section class="front"')[1].split("</section>")[0]
    assert "An older story to pin" in lead and html.count("An older story to pin") == 1
    assert len(pinned) == len(unpinned)
    reads_of_articles = [sql for sql in pinned if '"newsroom_article"' in sql and "readership" not in sql]
    assert len(reads_of_articles) == 2, reads_of_articles  # every id (pinned lead too), then the stories


def test_listing_annotators_see_every_field_a_teaser_shows_without_a_query(client, settings):
    settings.BROADSHEET_FRAGMENTS = False
    source = Source.objects.create(name="Basalt Ledger")
    make_article("A republished story", source=source, image_alt="A quay", summary="What happened.")
    make_article("Our own story")
    seen = []

    def annotator(articles):
        with CaptureQueriesContext(connection) as ctx:
            for article in articles:
                seen.append(
                    (
                        article.headline,
                        article.summary,
                        article.section.name,
                        article.source and article.source.name,
                    )
                )
                article.get_absolute_url(), article.image.name, article.image_alt, article.publish_at
        assert ctx.captured_queries == []
        for article in articles:
            article.comment_count = 7

    with hooks.register_temporarily(slots.LISTING_ANNOTATOR, annotator, order=100, name="test"):
        html, _ = full_render(client)
        section_page, _ = full_render(client, "/section/news/")
    assert ("A republished story", "What happened.", "News", "Basalt Ledger") in seen
    assert [(h, src) for h, _summary, _section, src in seen if h == "Our own story"] == [
        ("Our own story", None)
    ] * 2
    assert html.count("7 replies</a>") == 2 and section_page.count("7 replies</a>") == 2


def test_a_list_of_teasers_is_what_a_loop_of_teaser_tags_writes(settings):
    from django.template import engines
    from django.utils import translation

    settings.TIME_ZONE = "Europe/Istanbul"  # the reader's time, not UTC, in every teaser
    source = Source.objects.create(name="Cobalt <Post>")
    world, sport = make_section("World & Co"), make_section("Sport")
    made = [
        make_article(
            f"Story {i} & <more>", section=world if i % 2 else sport, source=source if i % 3 else None
        )
        for i in range(9)
    ]
    stories = list(listings.stories_by_id([a.pk for a in made]).values())
    stories[0].comment_count, stories[1].comment_count = 1, 12
    Article.objects.filter(pk=stories[2].pk).update(image="articles/2026/01/quay.jpg")
    stories[2].image = "articles/2026/01/quay.jpg"
    engine = engines["django"]
    loop = engine.from_string(
        "{% load newsroom_teasers %}"
        "{% for a in stories %}{% teaser a show_image=forloop.counter0|divisibleby:2 %}{% endfor %}|"
        "{% for a in stories %}{% teaser a compact=True %}{% endfor %}"
    )
    listed = engine.from_string(
        "{% load newsroom_teasers %}{% teasers stories image_every=2 %}|{% teasers stories compact=True %}"
    )
    with translation.override("fr"):
        french = listed.render({"stories": stories})
        assert french == loop.render({"stories": stories})
    english = listed.render({"stories": stories})
    assert english == loop.render({"stories": stories})
    assert "12 replies" in english and "1 reply<" in english and "Cobalt &lt;Post&gt;" in english
    assert 'src="/media/articles/2026/01/quay.jpg"' in english and "+03:00" in english


@pytest.mark.parametrize(
    "path", ["/section/world/", "/tag/ports/", "/author/ida-vale/", "/source/granite-gazette/"]
)
def test_a_listing_page_looks_up_what_it_lists_once_and_a_rename_shows(
    client, settings, django_capture_on_commit_callbacks, path
):
    settings.BROADSHEET_FRAGMENTS = False
    settings.BROADSHEET_SITE_VALUES = True  # as in production: kept per worker until a purge
    fragments.reset()
    source = Source.objects.create(name="Granite Gazette")
    make_article(
        "Harbour story", section=make_section("World"), tags=["ports"], authors=["Ida Vale"], source=source
    )
    table = {
        "section": "newsroom_section",
        "tag": "newsroom_tag",
        "author": "newsroom_author",
        "source": "newsroom_source",
    }[path.split("/")[1]]
    with django_capture_on_commit_callbacks(execute=True):
        pass  # the story's own purges
    full_render(client, path)
    html, queries = full_render(client, path)
    assert "Harbour story" in html
    assert not [sql for sql in queries if f'FROM "{table}"' in sql]  # a site-wide value: no query
    from django.apps import apps

    model = apps.get_model("newsroom", table.split("_")[1])
    with django_capture_on_commit_callbacks(execute=True):
        listed = model.objects.get()
        listed.name = "Renamed " + listed.name
        listed.save()  # a rename purges every page, and the kept value with them
    html, _ = full_render(client, path)
    assert "Renamed " in html.split("<h1>")[1].split("</h1>")[0]
    fragments.reset()


def test_the_editors_home_layout_reads_its_sections_once_per_change(
    client, settings, django_capture_on_commit_callbacks
):
    from broadsheet.sitesettings import services as look
    from broadsheet.sitesettings.models import HomeSection

    settings.BROADSHEET_FRAGMENTS = False
    settings.BROADSHEET_SITE_VALUES = True
    fragments.reset()
    arts, sport = make_section("Arts", in_navigation=False), make_section("Sport")
    for n in range(16):
        make_article(f"Gallery review {n:02d}", section=arts)
        make_article(f"Match report {n:02d}", section=sport)
    with django_capture_on_commit_callbacks(execute=True):
        HomeSection.objects.create(site=look.settings_row(), section=arts, position=1, stories=2)
    full_render(client)
    html, queries = full_render(client)
    assert 'id="sec-arts"' in html and not [sql for sql in queries if 'FROM "newsroom_section"' in sql]
    with django_capture_on_commit_callbacks(execute=True):
        arts.name = "Arts and Letters"
        arts.save()
    html, _ = full_render(client)
    assert '<a href="/section/arts/">Arts and Letters</a></h2>' in html
    fragments.reset()


def test_each_kind_of_listing_pages_as_the_orm_does(settings):
    from django.http import QueryDict

    from broadsheet.newsroom.models import Author, Section, Tag
    from broadsheet.newsroom.pagination import keyset_page

    settings.TIME_ZONE = "America/New_York"
    source = Source.objects.create(name="Granite Gazette")
    world = make_section("World")
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    for i in range(25):
        # Some stories share a time to the microsecond: the id breaks the tie, both ways.
        make_article(
            f"Story {i}",
            section=world if i % 3 else make_section("Sport"),
            tags=["ports"] if i % 2 else [],
            authors=["Ida Vale"] if i % 4 else [],
            source=source if i % 5 else None,
            publish_at=start + datetime.timedelta(hours=i // 2),
        )
    make_article("A draft", section=world, status="draft", tags=["ports"])
    published = Article.objects.published()
    span = [start + datetime.timedelta(hours=2), start + datetime.timedelta(hours=9)]
    kinds = [
        ("section", world.pk, published.in_section(world)),
        ("tag", Tag.objects.get().pk, published.filter(tags=Tag.objects.get())),
        ("author", Author.objects.get().pk, published.filter(authors=Author.objects.get())),
        ("source", source.pk, published.filter(source=source)),
        ("archive", span, published.filter(publish_at__gte=span[0], publish_at__lt=span[1])),
    ]
    assert Section.objects.count() == 2
    for kind, subject, queryset in kinds:
        listed = listings.Listed(kind, subject)
        params = QueryDict()
        seen = []
        for _ in range(10):  # down the older pages, then back up the newer ones
            mine, orm = listed.page(params, 3), keyset_page(queryset.for_listing(), params, 3)
            assert [a.pk for a in mine.object_list] == [a.pk for a in orm.object_list], (kind, params)
            assert (mine.newer_cursor, mine.older_cursor) == (orm.newer_cursor, orm.older_cursor)
            seen.extend(a.pk for a in mine.object_list)
            if not mine.older_cursor:
                break
            params = QueryDict(f"before={mine.older_cursor}")
        assert len(seen) == queryset.count() and len(set(seen)) == len(seen)
        if mine.newer_cursor:
            params = QueryDict(f"after={mine.newer_cursor}")
            mine, orm = listed.page(params, 3), keyset_page(queryset.for_listing(), params, 3)
            assert [a.pk for a in mine.object_list] == [a.pk for a in orm.object_list] != []
            assert (mine.newer_cursor, mine.older_cursor) == (orm.newer_cursor, orm.older_cursor)
