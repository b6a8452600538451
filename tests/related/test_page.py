"""The "Related posts" block under an article: one query, only published stories, safe output."""

import pytest

from broadsheet.newsroom.models import Article
from broadsheet.related import services
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def test_article_page_shows_related_posts(client, stories):
    page = client.get(stories["ferry-1"].get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Related posts" in html
    assert stories["ferry-2"].headline in html
    assert stories["ferry-2"].get_absolute_url() in html
    assert html.index(stories["ferry-2"].headline) > html.index("Related posts")


def test_related_block_costs_one_query(stories, django_assert_num_queries, rf):
    with django_assert_num_queries(1):
        template, context = services.related_block(rf.get("/"), stories["ferry-1"])
        for article in context["articles"]:
            assert article.section.name and article.get_absolute_url()
            _ = article.source
    assert template == "related/_related.html"
    assert len(context["articles"]) == 5


def test_related_for_costs_one_query_and_respects_the_limit(stories, django_assert_num_queries):
    with django_assert_num_queries(1):
        related = services.related_for(stories["bridge-1"], limit=2)
    assert len(related) == 2


def test_story_alone_in_its_section_has_no_block(client, db):
    article = make_article("A lonely story about nothing in particular")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Related posts" not in page.content.decode()
    assert "More from" not in page.content.decode()


def test_headlines_are_escaped_in_the_block(client, stories, django_capture_on_commit_callbacks):
    from broadsheet.newsroom import services as newsroom

    ferry = stories["ferry-2"]
    ferry.headline = "Velmora ferry <script>alert(1)</script> walkout"
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.save_article(ferry)
    html = client.get(stories["ferry-1"].get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_drafts_never_appear_even_in_stale_lists(stories):
    Article.objects.filter(pk=stories["ferry-3"].pk).update(status=Article.Status.REVIEW)
    assert stories["ferry-3"] not in services.related_for(stories["ferry-1"], limit=20)


def test_unsaved_article_has_no_related_posts(db):
    assert services.related_for(Article(headline="x")) == []
