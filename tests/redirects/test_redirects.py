"""Redirects answer only where the site has nothing (a 404, or WordPress's /?p= on the home page),
count their hits, and can be added in bulk from a CSV file in the back office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.redirects.models import Redirect
from broadsheet.redirects.services import import_csv
from tests.conftest import make_article, make_user

pytestmark = pytest.mark.django_db


def test_exact_rule_answers_301_on_a_missing_page(client):
    Redirect.objects.create(old_path="/old/story/", new_url="/story/new/")
    response = client.get("/old/story/")
    assert response.status_code == 301 and response["Location"] == "/story/new/"


def test_prefix_rule_covers_everything_under_it(client):
    Redirect.objects.create(old_path="/blog/", new_url="/section/news/", match="prefix")
    Redirect.objects.create(old_path="/blog/sport/", new_url="/section/sport/", match="prefix")
    assert client.get("/blog/2020/anything/")["Location"] == "/section/news/"
    assert client.get("/blog/sport/match-report/")["Location"] == "/section/sport/"  # the longest wins


def test_a_page_of_ours_is_never_redirected(client):
    article = make_article()
    Redirect.objects.create(old_path=article.get_absolute_url(), new_url="/elsewhere/")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert Redirect.objects.get().hits == 0


def test_wordpress_query_address_on_the_home_page(client):
    Redirect.objects.create(old_path="/?p=123", new_url="/story/moved/")
    response = client.get("/?p=123")
    assert response.status_code == 301 and response["Location"] == "/story/moved/"
    assert client.get("/?p=999").status_code == 200  # unknown id: the home page as before
    assert client.get("/?utm_source=x").status_code == 200


def test_hits_and_last_hit_are_counted(client):
    Redirect.objects.create(old_path="/gone/", new_url="/")
    client.get("/gone/")
    client.get("/gone")  # without its trailing slash
    rule = Redirect.objects.get()
    assert rule.hits == 2 and rule.last_hit_at is not None


def test_unknown_address_is_still_a_404(client):
    assert client.get("/nothing-here/").status_code == 404


def test_csv_import_adds_updates_and_reports_bad_rows():
    Redirect.objects.create(old_path="/a/", new_url="/old-target/")
    report = import_csv(
        b"old_path,new_url,match\n/a/,/new-target/\n/b/,https://other.example/b,prefix\nno-slash,/x/\n/c/\n/d/,/e/,sideways\n"
    )
    assert report.added == 2
    assert Redirect.objects.get(old_path="/a/").new_url == "/new-target/"
    assert Redirect.objects.get(old_path="/b/").match == "prefix"
    assert [number for number, _ in report.errors] == [4, 5, 6]


def test_editor_imports_csv_in_the_back_office(client):
    client.force_login(make_user("boss", superuser=True))
    page = client.get("/admin/redirects/redirect/")
    assert "Import from CSV" in page.content.decode()
    upload = SimpleUploadedFile("rules.csv", b"/%C5%9Fehir/,/story/sehir/\n")
    response = client.post("/admin/redirects/redirect/import-csv/", {"file": upload})
    assert response.status_code == 302
    assert Redirect.objects.get().old_path == "/şehir/"
    client.logout()
    assert client.get("/%C5%9Fehir/")["Location"] == "/story/sehir/"


def test_back_office_lists_hits(client):
    Redirect.objects.create(old_path="/gone/", new_url="/", hits=7)
    client.force_login(make_user("boss", superuser=True))
    page = client.get("/admin/redirects/redirect/").content.decode()
    assert "/gone/" in page and ">7<" in page


def test_odd_missing_addresses_are_plain_404s(client):
    assert client.get("/nothing%00here/").status_code == 404
    assert client.get("/?p=1%00").status_code == 200
    assert client.get("/" + "x" * 600 + "/").status_code == 404
