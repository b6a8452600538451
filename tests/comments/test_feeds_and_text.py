"""Comment feeds, the text rules, and the function the content API calls."""

import feedparser
import pytest

from broadsheet.comments.services import public_comments
from broadsheet.comments.text import count_links, render_comment
from tests.conftest import make_article

from .conftest import make_comment

pytestmark = pytest.mark.django_db


def test_site_feed_lists_approved_comments_without_emails(client):
    article = make_article("Dune restoration")
    make_comment(article, author_name="Ada", author_email="ada@private.example", body="Lovely dunes.")
    make_comment(article, status="pending", body="Not yet visible.")
    make_comment(make_article(status="draft"), body="On a draft story.")
    response = client.get("/comments/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "ada@private.example" not in body
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Ada on “Dune restoration”"]
    assert feed.entries[0].link.endswith("/comments/1/") or "/comments/" in feed.entries[0].link
    assert "Lovely dunes." in feed.entries[0].summary


def test_article_feed_lists_only_that_story(client):
    one, two = make_article("First story"), make_article("Second story")
    make_comment(one, body="About the first.")
    make_comment(two, body="About the second.")
    feed = feedparser.parse(client.get(f"/comments/feed/{one.pk}/").content)
    assert [e.summary for e in feed.entries] == ["<p>About the first.</p>"]
    assert "First story" in feed.feed.title
    assert client.get("/comments/feed/999999/").status_code == 404
    draft = make_article(status="draft")
    assert client.get(f"/comments/feed/{draft.pk}/").status_code == 404


def test_article_page_links_its_comment_feed(client):
    article = make_article()
    assert f'href="/comments/feed/{article.pk}/"' in client.get(article.get_absolute_url()).content.decode()


def test_public_comments_gives_approved_comments_without_private_fields():
    article = make_article()
    first = make_comment(
        article, body="Visible one.", author_email="hidden@example.org", author_url="https://a.example"
    )
    reply = make_comment(article, parent=first, body="Visible reply.")
    make_comment(article, status="pending")
    make_comment(article, status="spam")
    rows = list(public_comments(article))
    assert [r["id"] for r in rows] == [first.pk, reply.pk]
    assert rows[1]["parent_id"] == first.pk
    assert set(rows[0]) == {"id", "parent_id", "author_name", "author_url", "body", "body_html", "created_at"}
    assert "hidden@example.org" not in repr(rows)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("One line", "<p>One line</p>"),
        ("Line one\nline two", "<p>Line one<br>line two</p>"),
        ("Para one\n\n\nPara two", "<p>Para one</p>\n<p>Para two</p>"),
        ("<b>not bold</b> & more", "<p>&lt;b&gt;not bold&lt;/b&gt; &amp; more</p>"),
        (
            "See (https://example.org/a_(b)) now.",
            '<p>See (<a href="https://example.org/a_(b)" rel="nofollow ugc">https://example.org/a_(b)</a>) now.</p>',
        ),
        (
            "Go to www.example.org!",
            '<p>Go to <a href="http://www.example.org" rel="nofollow ugc">www.example.org</a>!</p>',
        ),
        (
            'https://x.example/"onmouseover="alert(1)',
            '<p><a href="https://x.example/" rel="nofollow ugc">https://x.example/</a>&quot;onmouseover=&quot;alert(1)</p>',
        ),
        ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
        ("", ""),
        ("\x00", ""),
    ],
)
def test_comment_text_is_escaped_with_paragraphs_and_safe_links(text, html):
    assert render_comment(text) == html


def test_links_are_counted():
    assert count_links("a https://x.example b www.y.example c http://z.example/") == 3
    assert count_links("no links at all, just example.org") == 0
