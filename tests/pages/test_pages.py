"""Static pages: their own address, edited in the back office, linked from the site's menus."""

import pytest

from broadsheet.pages.models import Page
from broadsheet.sitesettings import services
from broadsheet.sitesettings.models import MenuItem
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_published_page_has_its_own_address(client):
    Page.objects.create(title="Contact", slug="contact", body="<p>Write to the desk.</p>")
    response = client.get("/page/contact/")
    assert response.status_code == 200 and "Write to the desk." in response.content.decode()


def test_unpublished_page_is_not_shown(client):
    Page.objects.create(title="Terms", slug="terms", body="<p>Draft terms.</p>", is_published=False)
    assert client.get("/page/terms/").status_code == 404


def test_footer_menu_links_pages_by_reference_and_follows_their_changes(client):
    row = services.settings_row()
    about = Page.objects.create(title="About", slug="about")
    privacy = Page.objects.create(title="Privacy", slug="privacy")
    Page.objects.create(title="Not in a menu", slug="elsewhere")
    MenuItem.objects.create(site=row, menu="footer", position=2, page=privacy)
    MenuItem.objects.create(site=row, menu="footer", position=1, page=about)
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert footer.index('href="/page/about/">About<') < footer.index('href="/page/privacy/">Privacy<')
    assert "/page/elsewhere/" not in footer
    about.title, about.slug = "About us", "about-us"
    about.save()
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert 'href="/page/about-us/">About us<' in footer and "/page/about/" not in footer, "follows the new slug"
    privacy.is_published = False
    privacy.save()
    assert "/page/privacy/" not in client.get("/").content.decode(), "an unpublished page is hidden"
    privacy.is_published = True
    privacy.save()
    assert 'href="/page/privacy/"' in client.get("/").content.decode()


def test_the_footer_has_one_menu_not_two(client):
    row = services.settings_row()
    MenuItem.objects.create(site=row, menu="footer", page=Page.objects.create(title="Contact", slug="contact"))
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert footer.count("<nav") == 1 and footer.count('href="/page/contact/"') == 1


def test_page_body_is_sanitised(client):
    page = Page.objects.create(title="Advertise", slug="advertise", body='<p onclick="x()">Rates</p><script>alert(1)</script>')
    assert page.body == "<p>Rates</p>"


def test_editor_adds_a_page_in_the_back_office(client):
    client.force_login(make_user("boss", superuser=True))
    response = client.post(
        "/admin/pages/page/add/",
        {"title": "Advertise", "slug": "advertise", "body": "<p>Rates on request.</p>", "is_published": "on"},
    )
    assert response.status_code == 302
    assert client.get("/page/advertise/").status_code == 200


def test_removed_page_leaves_the_footer(client):
    page = Page.objects.create(title="Advertise", slug="advertise")
    services.add_page_to_menu(page, menu="footer")
    assert 'href="/page/advertise/"' in client.get("/").content.decode()
    page.delete()
    assert not MenuItem.objects.exists()
    assert "/page/advertise/" not in client.get("/").content.decode()
