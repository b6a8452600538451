"""Security headers on every response, cookie flags, and the admin working under the CSP."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import make_article, make_user

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives.get("frame-ancestors") == ["'none'"], csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives.get("script-src") == ["'self'"]
    assert directives.get("object-src") == ["'none'"]
    assert "camera=()" in response.headers.get("Permissions-Policy", "")
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name


def test_every_kind_of_response_carries_the_security_headers(client):
    article = make_article("Ferry timetable changes for the winter")
    responses = [
        client.get("/"),
        client.get(article.get_absolute_url()),
        client.get("/healthz"),
        client.get("/no-such-page-here/"),
        client.get("/admin/login/"),
        client.get("/admin/"),  # a redirect to the login
        client.get("/static/broadsheet/site.css"),
        client.get("/media/nothing.jpg"),
        Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x", "password": "y"}),
    ]
    assert {r.status_code for r in responses} >= {200, 302, 403, 404}
    for response in responses:
        assert_security_headers(response)


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, editor):
    page = client.get("/admin/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post("/admin/login/", {"username": "editor", "password": "a-long-test-password"})
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


class InlineCodeFinder(HTMLParser):
    """Collects whatever a CSP without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.blocked = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # JSON-LD and other data blocks are never run, so a CSP does not block them.
        runnable = (attrs.get("type") or "text/javascript").lower() in {"text/javascript", "module"}
        if tag == "script" and runnable and not attrs.get("src"):
            self._in_script = True
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.blocked.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.blocked.append(f"{name} handler on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"javascript: URL on <{tag}>")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.blocked.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.blocked


def test_admin_pages_need_no_inline_script_or_style(client):
    chief = make_user("chief", superuser=True)
    article = make_article("Library opens on Sundays")
    client.force_login(chief)
    urls = [
        reverse("admin:index"),
        reverse("admin:newsroom_article_changelist"),
        reverse("admin:newsroom_article_add"),
        reverse("admin:newsroom_article_change", args=[article.pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[chief.pk]),
        reverse("admin:auth_user_password_change", args=[chief.pk]),
        reverse("admin:password_change"),
        reverse("admin:accounts_lockout_changelist"),
        reverse("admin:accounts_loginattempt_changelist"),
        reverse("accounts:two_factor"),
        reverse("accounts:enrol"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert inline_code(response.content.decode()) == [], url
    client.logout()
    assert inline_code(client.get(reverse("admin:login")).content.decode()) == []


def test_public_pages_need_no_inline_script_or_style(client):
    article = make_article("Harbour lights restored after the storm")
    for url in ["/", article.get_absolute_url(), "/no-such-page-here/"]:
        assert inline_code(client.get(url).content.decode()) == [], url


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/admin/login/", secure=True)
plain = client.get("/admin/login/")
csrf = secure.cookies["csrftoken"]
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "csrf_secure": bool(csrf["secure"]),
    "csrf_httponly": bool(csrf["httponly"]),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csp": secure.headers.get("Content-Security-Policy", ""),
}))
"""


def run_probe(tmp_path, https):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_DATA=str(tmp_path),
        BROADSHEET_HTTPS="1" if https else "0",
        SECRET_KEY="probe-" + "k" * 60,
        DEBUG="0",
        BROADSHEET_PLAIN_STATIC="1",  # no collectstatic manifest in a fresh data folder
    )
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_https_setting_turns_on_hsts_secure_cookies_and_the_redirect(tmp_path):
    result = run_probe(tmp_path, https=True)
    assert "max-age=31536000" in result["hsts"] and "includeSubDomains" in result["hsts"]
    assert result["plain_status"] == 301 and result["plain_location"].startswith("https://")
    assert result["csrf_secure"] and result["csrf_httponly"]
    assert result["session_secure"] and result["session_httponly"]
    assert "frame-ancestors 'none'" in result["csp"]


def test_without_https_there_is_no_hsts_and_cookies_work_on_plain_http(tmp_path):
    result = run_probe(tmp_path, https=False)
    assert result["hsts"] == ""
    assert result["plain_status"] == 200
    assert not result["csrf_secure"] and not result["session_secure"]


def test_pages_answered_from_the_page_cache_keep_the_security_headers(db):
    """The production WSGI app answers cached pages before Django runs: the headers must survive."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_started
    from django.db import close_old_connections

    from broadsheet.pagecache.middleware import wrap

    make_article("Tram line extension opens")
    application = wrap(WSGIHandler())
    # As Django's test client does: keep the test's database connection open between requests.
    request_started.disconnect(close_old_connections)
    try:
        seen = [call_wsgi(application) for _ in range(3)]
    finally:
        request_started.connect(close_old_connections)
    assert [c["status"][:3] for c in seen] == ["200"] * 3
    assert any(c["headers"].get("X-Cache", "").startswith("HIT") for c in seen)
    for captured in seen:
        headers = captured["headers"]
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")
        assert headers.get("X-Content-Type-Options") == "nosniff"
        assert headers.get("Permissions-Policy")
        assert headers.get("Referrer-Policy") and headers.get("Cross-Origin-Opener-Policy")


def call_wsgi(application, path="/"):
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured.update(status=status, headers=dict(headers))

    b"".join(application(environ, start_response))
    return captured
