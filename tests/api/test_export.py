"""/api/export/articles.jsonl: our own export for staff programs, token-authenticated, paged."""

import io
import re

import pytest
from django.core.management import call_command

from broadsheet.api.models import AccessToken
from tests.conftest import make_article, make_user

pytestmark = pytest.mark.django_db
URL = "/api/export/articles.jsonl"


def lines_of(response):
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def token(db):
    _row, raw = AccessToken.issue(user=make_user("exporter", role="Editor"), name="backup")
    return raw


def test_the_api_gives_the_same_lines_as_the_command_page_by_page(client, token, tmp_path):
    for n in range(5):
        make_article(f"Harbour story {n}", tags=["harbour"], authors=["Lena Ortiz"])
    call_command("export-articles", str(tmp_path / "all.jsonl"), stdout=io.StringIO())
    expected = (tmp_path / "all.jsonl").read_text(encoding="utf-8")
    got, url, pages = "", f"{URL}?limit=2", 0
    while url:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/jsonl")
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        got += lines_of(response)
        pages += 1
        link = response.get("Link")
        url = re.match(r"<([^>]+)>", link).group(1) if link else None
    assert got == expected and pages == 3


def test_no_token_a_bad_token_or_a_non_staff_owner_is_refused(client, token):
    make_article("Something private to staff")
    answer = client.get(URL)
    assert answer.status_code == 401 and "Bearer" in answer.json()["error"]["message"]
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer bst_wrong").status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Basic abc").status_code == 401
    row = AccessToken.objects.get()
    row.user.is_staff = False
    row.user.save()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403


def test_a_bad_cursor_or_limit_gets_a_clear_message(client, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = client.get(f"{URL}?cursor=not-a-cursor!", **auth)
    assert answer.status_code == 400 and answer.json()["error"]["parameter"] == "cursor"
    answer = client.get(f"{URL}?limit=0", **auth)
    assert answer.status_code == 400 and answer.json()["error"]["parameter"] == "limit"


def test_the_command_makes_a_token_that_works(client):
    make_user("night", role="Editor")
    out = io.StringIO()
    call_command("api-token", "night", "--name", "nightly", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("bst_") and not AccessToken.objects.filter(digest=raw).exists()  # only its digest is kept
    make_article("A story for the backup")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "A story for the backup" in lines_of(response)


def test_the_back_office_makes_a_token_shown_once(client):
    admin = make_user("boss", superuser=True)
    client.force_login(admin)
    response = client.post("/admin/api/accesstoken/add/", {"user": admin.pk, "name": "archive copy"}, follow=True)
    raw = re.search(r"(bst_[-\w]+)", response.content.decode()).group(1)
    assert AccessToken.objects.get().name == "archive copy"
    client.logout()
    make_article("A story for the archive")
    assert "A story for the archive" in lines_of(client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}"))
