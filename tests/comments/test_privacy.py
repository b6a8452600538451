"""A commenter's email never appears in public output: crawl every public URL after commenting."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from broadsheet.comments import services
from broadsheet.comments.models import Comment
from tests.conftest import make_article, make_section

from .conftest import make_comment, save_rules

pytestmark = pytest.mark.django_db

EMAILS = [
    "secret.one@private-mail.example",
    "secret.two@private-mail.example",
    "editor.desk@newsroom.example",
]
START = [
    "/",
    "/feed/",
    "/comments/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/search/?q=harbour",
    "/api/",
    "/api/openapi.json",
    "/api/articles/",
    "/api/sections/",
    "/api/authors/",
    "/publish/",
    "/no-such-page/",
]
LINK_RE = re.compile(
    r"""(?:href|src)=["']([^"'#]+)|<loc>([^<]+)</loc>|<link>([^<]+)</link>|"(?:url|href|next|comments_url)":\s*"([^"]+)\""""
)


def _links(base, body):
    for match in LINK_RE.finditer(body):
        url = next(g for g in match.groups() if g)
        parts = urlsplit(urljoin(base, url.replace("&amp;", "&")))
        if parts.netloc not in ("", "testserver", "127.0.0.1:8000", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(("/admin", "/static", "/media", "/comments/post/")):
            continue
        yield path


def api_paths(client, article):
    """Every path the API's OpenAPI schema lists, with this article's id and slug filled in."""
    response = client.get("/api/openapi.json")
    if response.status_code != 200:
        return []
    paths = []
    for template in response.json().get("paths", {}):
        filled = re.sub(r"\{[^}]*(id|pk)[^}]*\}", str(article.pk), template)
        filled = re.sub(r"\{[^}]*slug[^}]*\}", article.slug, filled)
        filled = re.sub(r"\{[^}]*\}", "1", filled)
        paths.append(filled)
    return paths


def crawl(client, start, limit=400):
    seen, queue, pages = set(), list(start), {}
    while queue and len(seen) < limit:
        path = queue.pop(0).split("#", 1)[0]
        if not path or path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode("utf-8", "replace")
        pages[path] = (response.status_code, body, dict(response.headers))
        queue.extend(link for link in _links(path, body) if link not in seen)
    return pages


def test_no_commenter_email_in_any_public_output(client, editor, post, django_capture_on_commit_callbacks):
    editor.email = EMAILS[2]
    editor.save()
    save_rules(auto_approve_known=False)
    section = make_section("Harbour")
    article = make_article("Harbour wall repaired", section=section, tags=["coast"], authors=["Kit Lane"])
    make_article("Another harbour story", section=section)
    post(article, comment="Public remark from one.", email=EMAILS[0], url="https://one.example", notify="1")
    first = Comment.objects.get()
    post(article, comment="A reply from two.", email=EMAILS[1], parent=str(first.pk), remember="1")
    make_comment(article, status="pending", author_email=EMAILS[1], body="Held words.")
    make_comment(article, status="spam", author_email=EMAILS[0], body="Spam words.")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_as_editor(first, body="Answer from the desk.", by=editor)
    # A bad submission re-rendered for a stranger must not reveal anyone else's address either.
    Client().post(f"/comments/post/{article.pk}/", {"comment": "x", "email": "bad"})

    pages = crawl(Client(), START + api_paths(Client(), article))
    fetched_ok = [p for p, (status, _, _) in pages.items() if status == 200]
    assert article.get_absolute_url() in fetched_ok
    assert "/comments/feed/" in fetched_ok and f"/comments/feed/{article.pk}/" in fetched_ok
    assert any(p.startswith("/section/") for p in fetched_ok) and any(
        p.startswith("/tag/") for p in fetched_ok
    )
    assert any(p.startswith("/author/") for p in fetched_ok)
    assert "A reply from two." in pages[article.get_absolute_url()][1]
    for path, (_status, body, headers) in pages.items():
        text = body.lower() + repr(headers).lower()
        for email in EMAILS:
            assert email not in text, f"{email} appears in {path}"
            assert email.replace("@", "&#64;") not in text and email.replace("@", "%40") not in text, path
