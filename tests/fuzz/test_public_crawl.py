"""A crawl of every public URL after content with known emails exists: an article with approved and
held comments and a reply, an accepted and published submission by a guest author, and one still
pending. No commenter's or contributor's email (nor its local part, nor its @domain) appears in
any body or header; no debug output; every page answers below 500."""

import json
import re
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings as django_settings

from broadsheet.core.antispam import make_stamp
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db

MAX_URLS = 400
DEBUG_MARKERS = ("Traceback", "DEBUG = True", "Django Version:", "settings.py")
COMMENTERS = {
    "approved": "quillon.ashgrove.approved@crawlmail-one.example",
    "held": "marrow.fenwick.held@crawlmail-two.example",
    "reply": "tobiah.lark.reply@crawlmail-three.example",
}
CONTRIBUTORS = {
    "published": "orla.pennant.guest@contribmail-four.example",
    "pending": "idris.calloway.pending@contribmail-five.example",
}
BODY = " ".join(
    "The ferry to the island stopped running in March and forty families now rely on one fishing boat "
    "for groceries post and the weekly doctor visit while the council weighs a new contract".split()
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value and tag != "form":
                self.found.append(value)


def _links_in(response):
    kind = response.get("Content-Type", "")
    text = response.content.decode("utf-8", "replace")
    found = []
    if "html" in kind:
        parser = _Links()
        parser.feed(text)
        found += parser.found
    if "xml" in kind:
        found += re.findall(r"<loc>([^<]+)</loc>", text)
        found += re.findall(r"<link>([^<]+)</link>", text)
        found += re.findall(r'href="([^"]+)"', text)
    if "json" in kind:

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    yield from walk(item)
            elif isinstance(value, list):
                for item in value:
                    yield from walk(item)
            elif isinstance(value, str) and value.startswith(("/", "http")):
                yield value

        try:
            found += list(walk(json.loads(text)))
        except ValueError:
            pass
    if "text/plain" in kind:
        found += re.findall(r"(?im)^(?:sitemap|allow):\s*(\S+)", text)
    return found


def _local_path(link, base):
    url = urlparse(urljoin("http://testserver" + base, link.strip()))
    site = urlparse(getattr(django_settings, "BROADSHEET_SITE_URL", "") or "http://testserver")
    if url.scheme not in ("http", "https") or url.netloc not in ("testserver", site.netloc):
        return None
    if url.path.startswith("/admin") or "{" in url.path:
        return None
    return url.path + (f"?{url.query}" if url.query else "")


@pytest.fixture
def published_site(client, editor, django_capture_on_commit_callbacks, settings):
    from broadsheet.comments import services as comments
    from broadsheet.comments.models import Comment
    from broadsheet.newsroom import services as newsroom
    from broadsheet.submissions import services as submissions
    from broadsheet.submissions.models import Submission

    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    news = make_section("News")
    article = make_article(
        "Harbour council approves the new sea wall", section=news, tags=["harbour"], authors=["Staff Writer"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        approved = Comment.objects.create(
            article=article,
            author_name="Quillon",
            author_email=COMMENTERS["approved"],
            body="I support the wall.",
            status="approved",
        )
        Comment.objects.create(
            article=article,
            author_name="Marrow",
            author_email=COMMENTERS["held"],
            body="Held for review.",
            status="pending",
        )
        reply = comments.post_comment(
            article=article,
            body="A reply with a view.",
            name="Tobiah",
            email=COMMENTERS["reply"],
            parent_id=approved.pk,
        )
        comments.approve(reply)
        for key, headline in (
            ("published", "Island families wait for a ferry"),
            ("pending", "Market hall roof repaired"),
        ):
            response = client.post(
                "/publish/",
                {
                    "headline": headline,
                    "body": f"{BODY} {key}",
                    "section": str(news.pk),
                    "contributor_name": f"Guest {key.title()}",
                    "contributor_email": CONTRIBUTORS[key],
                    "contributor_bio": "Writes about islands.",
                    "rights_confirmed": "on",
                    "form_stamp": make_stamp(time.time() - 10),
                    "send": "1",
                },
            )
            assert response.status_code == 302
        accepted = Submission.objects.get(contributor_email=CONTRIBUTORS["published"])
        story = submissions.accept(accepted, editor=editor)
        newsroom.publish(story, by=editor)
    assert Comment.objects.filter(status="approved").count() == 2
    return article, story


def _forbidden_fragments():
    fragments = []
    for email in [*COMMENTERS.values(), *CONTRIBUTORS.values()]:
        local, domain = email.split("@")
        fragments += [email, local, "@" + domain, email.replace("@", "%40"), email.replace("@", "&#64;")]
    return fragments


def _start_paths(client):
    from broadsheet.api.schema import openapi_schema

    starts = [
        "/",
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/robots.txt",
        "/comments/feed/",
        "/search/?q=harbour",
        "/api/openapi.json",
    ]
    for path in openapi_schema()["paths"]:
        starts.append(path)
    return starts


def test_crawl_of_every_public_page_leaks_no_email_and_no_debug_output(client, published_site):
    article, story = published_site
    fragments = _forbidden_fragments()
    queue = _start_paths(client)
    for found in (article, story):
        queue += [
            f"/api/articles/{found.pk}",
            f"/api/articles/{found.pk}/comments",
            f"/comments/feed/{found.pk}/",
        ]
    seen, answered, problems = set(), {}, []
    client.logout()
    while queue and len(seen) < MAX_URLS:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        answered[path] = response.status_code
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
        body = response.content.decode("utf-8", "replace")
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        for fragment in fragments:
            if fragment.lower() in body.lower() or fragment.lower() in headers.lower():
                problems.append(f"{path}: shows {fragment!r}")
        for marker in DEBUG_MARKERS:
            if marker in body:
                problems.append(f"{path}: debug output {marker!r}")
        if response.status_code in (301, 302, 303, 307, 308):
            links = [response["Location"]]
        else:
            links = _links_in(response)
        for link in links:
            local = _local_path(link, path.split("?")[0])
            if local and local not in seen:
                queue.append(local)
    assert not problems, "\n".join(problems)
    # The crawl really reached the stories, their comments and the guest author's page.
    assert article.get_absolute_url() in answered and story.get_absolute_url() in answered
    assert answered[article.get_absolute_url()] == 200 and answered[story.get_absolute_url()] == 200
    assert any(p.startswith("/author/") for p in answered)
    assert len(answered) >= 30
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Quillon" in page and "Tobiah" in page and "Marrow" not in page
    assert "Guest Published" in client.get(story.get_absolute_url()).content.decode()
    print(f"crawled {len(answered)} URLs:", sorted({code for code in answered.values()}))
