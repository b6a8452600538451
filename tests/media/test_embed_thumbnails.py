"""Embed thumbnails are fetched once by the worker from the provider's oEmbed endpoint (here a
server of our own on 127.0.0.1), checked and re-encoded like an upload, stored, and shown in
the reader's placeholder from our own storage; with no network the placeholder still works."""

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from broadsheet.media import embeds
from broadsheet.media.models import EmbedThumbnail
from broadsheet.newsroom.services import announce
from tests.conftest import make_article
from tests.desk.conftest import save

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42"
VIMEO = "https://vimeo.com/76979871"


def jpeg_with_comment(size=(480, 360)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "JPEG", comment=b"PROVIDER-SECRET-COMMENT")
    return out.getvalue()


class Provider:
    """A pretend provider: /oembed answers as YouTube's does, /thumb.jpg is the picture."""

    def __init__(self):
        self.requests = []
        self.thumbnail = jpeg_with_comment()
        self.answer = None  # None: the usual answer; else bytes to send as the oEmbed answer
        self.delay = 0.0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                provider.requests.append(self.path)
                time.sleep(provider.delay)
                parts = urlsplit(self.path)
                if parts.path == "/oembed":
                    url = parse_qs(parts.query).get("url", [""])[0]
                    body = (
                        provider.answer
                        or json.dumps(
                            {
                                "type": "video",
                                "title": "Harbour cranes at dawn",
                                "thumbnail_url": f"{provider.base}/thumb.jpg?for={url}",
                            }
                        ).encode()
                    )
                    kind = "application/json"
                elif parts.path == "/thumb.jpg":
                    body, kind = provider.thumbnail, "image/jpeg"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    server = Provider()
    settings.BROADSHEET_OEMBED_ENDPOINTS = {
        "youtube": f"{server.base}/oembed",
        "vimeo": f"{server.base}/oembed",
    }
    settings.BROADSHEET_OEMBED_TIMEOUT = 2
    yield server
    server.close()


def embed(url, provider="youtube", title="A video"):
    escaped = url.replace("&", "&amp;")
    return f'<figure class="embed" data-embed-provider="{provider}" data-embed-url="{escaped}"><a href="{escaped}">{title}</a></figure>'


def story_with(capture, *urls, **kw):
    body = "<p>Before the video.</p>" + "".join(embed(u, p) for p, u in urls)
    with capture(execute=True):
        article = make_article("Cranes return", body=body, **kw)
        announce(article)  # what every save path does
    return article


def placeholder(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    start = page.index('<figure class="embed"')
    return page[start : page.index("</figure>", start)]


def test_the_placeholder_shows_the_stored_thumbnail_never_the_providers(
    client, provider, django_capture_on_commit_callbacks
):
    article = story_with(django_capture_on_commit_callbacks, ("youtube", VIDEO))
    thumbnail = EmbedThumbnail.objects.get()
    assert (
        thumbnail.state == "stored" and thumbnail.url == VIDEO and thumbnail.title == "Harbour cranes at dawn"
    )
    assert (thumbnail.width, thumbnail.height) == (480, 360)
    stored = thumbnail.file.read()
    assert stored.startswith(b"\xff\xd8") and b"PROVIDER-SECRET-COMMENT" not in stored  # re-encoded
    html = placeholder(client, article)
    assert f'<img class="embed-thumbnail" src="{thumbnail.file.url}"' in html
    assert 'width="480" height="360"' in html and "YouTube" in html
    page = client.get(article.get_absolute_url()).content.decode()
    assert provider.base not in page and "ytimg" not in page and "<iframe" not in page


def test_each_url_is_fetched_once_however_often_the_story_is_saved(
    client, provider, django_capture_on_commit_callbacks
):
    from tests.conftest import make_user

    article = story_with(django_capture_on_commit_callbacks, ("youtube", VIDEO))
    client.force_login(make_user("ed", role="Editor"))
    for n in range(3):
        article.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            assert save(client, article, summary=f"Dek {n}").status_code == 200
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, article, body=article.body + embed(VIMEO, "vimeo"))
    assert response.status_code == 200
    assert [p.split("?")[0] for p in provider.requests] == ["/oembed", "/thumb.jpg", "/oembed", "/thumb.jpg"]
    assert EmbedThumbnail.objects.filter(state="stored").count() == 2
    client.logout()
    assert placeholder(client, article).count("embed-thumbnail") == 1


def test_with_no_network_the_placeholder_still_works(client, settings, django_capture_on_commit_callbacks):
    from tests.newsletters.smtp import free_port

    settings.BROADSHEET_OEMBED_ENDPOINTS = {
        "youtube": f"http://127.0.0.1:{free_port()}/oembed"
    }  # nobody there
    article = story_with(django_capture_on_commit_callbacks, ("youtube", VIDEO))
    thumbnail = EmbedThumbnail.objects.get()
    assert thumbnail.state == "failed" and "could not be reached" in thumbnail.problem
    html = placeholder(client, article)
    assert "embed-thumbnail" not in html
    assert "A video" in html and "Show the YouTube content here" in html
    assert reverse("newsroom:embed") in html


@pytest.mark.parametrize(
    "trouble, problem",
    [
        ("not-a-picture", "not a picture"),
        ("not-json", "not JSON"),
        ("huge-answer", "larger than"),
        ("slow", "could not be reached"),
        ("bomb", "pixels"),
    ],
)
def test_a_bad_provider_answer_leaves_a_working_placeholder(
    client, provider, settings, django_capture_on_commit_callbacks, trouble, problem
):
    if trouble == "not-a-picture":
        provider.thumbnail = b"<script>alert(1)</script>"
    elif trouble == "not-json":
        provider.answer = b"<html>nope</html>"
    elif trouble == "huge-answer":
        provider.answer = b"{" + b" " * (400 * 1024) + b"}"
    elif trouble == "slow":
        settings.BROADSHEET_OEMBED_TIMEOUT = 0.3
        provider.delay = 1.0
    elif trouble == "bomb":
        out = io.BytesIO()
        Image.new("1", (9000, 9000)).save(out, "PNG")  # small file, 81 megapixels
        provider.thumbnail = out.getvalue()
    article = story_with(django_capture_on_commit_callbacks, ("youtube", VIDEO))
    thumbnail = EmbedThumbnail.objects.get()
    assert thumbnail.state == "failed" and problem in thumbnail.problem, thumbnail.problem
    html = placeholder(client, article)
    assert "embed-thumbnail" not in html and "Show the YouTube content here" in html


def test_a_thumbnail_address_that_is_not_https_is_refused_for_an_https_provider(provider):
    thumbnail = EmbedThumbnail.objects.create(key=embeds.key_for(VIDEO), url=VIDEO, provider="youtube")
    provider.answer = json.dumps({"thumbnail_url": "file:///etc/passwd"}).encode()
    assert embeds.fetch_thumbnail(thumbnail).state == "failed"
    assert "not https" in thumbnail.problem


def test_a_provider_without_a_thumbnail_is_noted_and_not_asked_again(
    client, provider, django_capture_on_commit_callbacks
):
    provider.answer = json.dumps({"type": "rich", "html": "<blockquote>…</blockquote>"}).encode()
    article = story_with(django_capture_on_commit_callbacks, ("youtube", VIDEO))
    assert EmbedThumbnail.objects.get().state == "none"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
        announce(article)
    assert len(provider.requests) == 1
    assert "embed-thumbnail" not in placeholder(client, article)
