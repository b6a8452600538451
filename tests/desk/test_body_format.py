"""The story body format (docs/body-format.md): the sanitiser, embeds, Markdown on the way in."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.text import render_body, render_markdown, to_body
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def embed(provider, url, title="A video"):
    return f'<figure class="embed" data-embed-provider="{provider}" data-embed-url="{url}"><a href="{url}">{title}</a></figure>'


def test_vocabulary_survives_and_nothing_else_does():
    body = (
        '<p onclick="x()" style="color:red">Hi <a href="javascript:alert(1)">there</a></p>'
        "<script>alert(1)</script><style>p{}</style><iframe src=https://evil.example></iframe>"
        '<figure class="picture evil"><img src="/media/a.jpg" alt="A" width="10" height="5" data-picture-id="4">'
        '<figcaption>Quay <small class="credit">Ana</small></figcaption></figure>'
        '<img src="data:image/png;base64,AAAA"><img src="https://tracker.example/p.gif">'
        '<blockquote class="pullquote"><p>Said.</p></blockquote><blockquote><p>Q</p><cite>Who</cite></blockquote>'
    )
    clean = to_body(body)
    for kept in (
        '<figure class="picture"><img src="/media/a.jpg" alt="A" width="10" height="5" data-picture-id="4">',
        '<small class="credit">Ana</small>',
        '<blockquote class="pullquote">',
        "<cite>Who</cite>",
    ):
        assert kept in clean
    for gone in (
        "onclick",
        "style",
        "javascript:",
        "<script",
        "alert(1)",
        "<iframe",
        "data:",
        "tracker.example",
        "evil",
    ):
        assert gone not in clean


def test_deeply_nested_lists_do_not_break_anything():
    clean = to_body("<ul><li>" * 3000 + "deep")
    assert "deep" in clean


def test_embed_shows_a_local_placeholder_and_no_player(client):
    article = make_article("Video story", body=f"<p>Watch.</p>{embed('youtube', YOUTUBE)}")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "embed-placeholder" in page and "A video" in page
    assert "<iframe" not in page and "youtube-nocookie" not in page
    assert "frame-src" not in client.get(article.get_absolute_url())["Content-Security-Policy"]


def test_unknown_or_mismatched_provider_stays_a_plain_link():
    html = render_body(
        to_body(embed("vimeo", "https://evil.example/v/1") + embed("myspace", "https://myspace.com/x"))
    )
    assert "embed-placeholder" not in html
    assert '<a href="https://evil.example/v/1"' in html and '<a href="https://myspace.com/x"' in html


def test_player_page_opens_the_policy_for_that_provider_only(client):
    response = client.get(reverse("newsroom:embed"), {"url": YOUTUBE})
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in policy and "vimeo" not in policy
    assert "frame-ancestors 'self'" in policy
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in response.content.decode()
    assert client.get(reverse("newsroom:embed"), {"url": "https://evil.example/x"}).status_code == 404


def test_feeds_and_api_show_the_same_body(client):
    article = make_article("Feeds story", body=f"<p>Words.</p>{embed('youtube', YOUTUBE)}")
    api = client.get(f"/api/articles/{article.pk}").json()
    assert api["body_html"] == article.body_html
    assert "embed-placeholder" in api["body_html"]


def test_import_articles_turns_markdown_into_the_body_format(tmp_path):
    path = tmp_path / "in.jsonl"
    line = {
        "external_id": "md-1",
        "title": "Imported",
        "body": "Some **bold** words.\n\n> A quote",
        "section": "News",
        "published": "2026-01-02T10:00:00Z",
    }
    path.write_text(json.dumps(line) + "\n")
    call_command("import-articles", str(path), verbosity=0)
    article = Article.objects.get(external_id="md-1")
    assert article.body.startswith("<p>Some <strong>bold</strong> words.</p>")
    assert "<blockquote>" in article.body


def test_migration_converts_markdown_bodies_losslessly():
    article = make_article("Old story", body="<p>placeholder</p>")
    markdown = "An *old* story.\n\n## Heading\n\n- one\n- two"
    Article.objects.filter(pk=article.pk).update(body=markdown)
    migration = importlib.import_module("broadsheet.newsroom.migrations.0005_desk_html_bodies")
    migration.markdown_to_html(apps, None)
    article.refresh_from_db()
    assert article.body == render_markdown(markdown)
    assert "<em>old</em>" in article.body and "<h2>Heading</h2>" in article.body
