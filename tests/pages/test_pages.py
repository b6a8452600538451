"""Static pages: their own address, edited in the back office, listed in the footer."""

import pytest

from broadsheet.pages.models import Page
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_published_page_has_its_own_address(client):
    Page.objects.create(title="Contact", slug="contact", body="<p>Write to the desk.</p>")
    response = client.get("/page/contact/")
    assert response.status_code == 200 and "Write to the desk." in response.content.decode()


def test_unpublished_page_is_not_shown(client):
    Page.objects.create(title="Terms", slug="terms", body="<p>Draft terms.</p>", is_published=False)
    assert client.get("/page/terms/").status_code == 404


def test_footer_lists_pages_in_order_and_follows_changes(client):
    Page.objects.create(title="Privacy", slug="privacy", position=2)
    about = Page.objects.create(title="About", slug="about", position=1)
    Page.objects.create(title="Hidden", slug="hidden", in_footer=False)
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert footer.index("/page/about/") < footer.index("/page/privacy/") and "/page/hidden/" not in footer
    about.title = "About us"
    about.save()
    assert "About us" in client.get("/").content.decode().split("<footer", 1)[1]


def test_page_body_is_sanitised(client):
    page = Page.objects.create(title="Advertise", slug="advertise", body='<p onclick="x()">Rates</p><script>alert(1)</script>')
    assert page.body == "<p>Rates</p>"


def test_in_footer_queryset_is_what_other_apps_list():
    Page.objects.create(title="A", slug="a", position=2)
    Page.objects.create(title="B", slug="b", position=1)
    Page.objects.create(title="C", slug="c", is_published=False)
    assert [p.slug for p in Page.objects.in_footer()] == ["b", "a"]


def test_editor_adds_a_page_in_the_back_office(client):
    client.force_login(make_user("boss", superuser=True))
    response = client.post(
        "/admin/pages/page/add/",
        {"title": "Advertise", "slug": "advertise", "body": "<p>Rates on request.</p>", "is_published": "on", "in_footer": "on", "position": "3"},
    )
    assert response.status_code == 302
    assert client.get("/page/advertise/").status_code == 200


def test_removed_page_leaves_the_footer(client):
    page = Page.objects.create(title="Advertise", slug="advertise")
    page.delete()
    assert "/page/advertise/" not in client.get("/").content.decode()
