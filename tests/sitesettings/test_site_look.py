"""Editors shape the site in the back office; readers see it at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.sitesettings import colours, services, svg
from broadsheet.sitesettings.models import HomeSection, MenuItem, Promo, SiteSettings, SocialLink
from tests.conftest import make_article, make_section, make_user, picture_bytes

pytestmark = pytest.mark.django_db
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Gazette</title><rect width="10" height="10" fill="#123"/></svg>'


def admin_form(**changes):
    data = {
        "name": "", "tagline": "", "accent_colour": "#a3161a", "accent_text_colour": "#ffffff",
        "logo_picture": "", "favicon_picture": "",
    }
    for prefix in ("menu_items", "social_links", "home_sections"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(changes)
    return data


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("chief", superuser=True))
    services.settings_row()
    return client


def test_an_editor_renames_the_site_and_uploads_an_svg_logo(editor_client, client):
    response = editor_client.post(
        "/admin/sitesettings/sitesettings/1/change/",
        admin_form(name="The Harbour Gazette", tagline="News from the coast", logo_upload=SimpleUploadedFile("logo.svg", LOGO, "image/svg+xml")),
    )
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "<title>The Harbour Gazette · News</title>" in page
    assert "News from the coast" in page
    logo_url = services.current().logo
    assert f'src="{logo_url}"' in page
    served = client.get(logo_url)
    assert served["Content-Type"] == "image/svg+xml" and b"<rect" in served.content
    assert "sandbox" in served["Content-Security-Policy"]


@pytest.mark.parametrize(
    "markup,reason",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "contains a script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', "event handler"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://evil.example/x.svg#a"/></svg>', "links to"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>', "foreignobject"),
        (b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "DOCTYPE"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/a)"/></svg>', "outside content"),
        (b"<html><body>not a picture</body></html>", "not an SVG"),
    ],
)
def test_an_unsafe_svg_logo_is_refused_with_the_reason(editor_client, markup, reason):
    response = editor_client.post(
        "/admin/sitesettings/sitesettings/1/change/",
        admin_form(name="Changed", logo_upload=SimpleUploadedFile("logo.svg", markup, "image/svg+xml")),
    )
    assert response.status_code == 200
    assert reason.lower() in response.content.decode().lower()
    row = SiteSettings.objects.get()
    assert row.logo_svg == "" and row.name == "", "nothing is saved when the logo is refused"


def test_a_picture_logo_goes_through_the_media_library(editor_client, client):
    upload = SimpleUploadedFile("logo.png", picture_bytes("PNG"), "image/png")
    response = editor_client.post("/admin/sitesettings/sitesettings/1/change/", admin_form(logo_upload=upload))
    assert response.status_code == 302
    row = SiteSettings.objects.get()
    assert row.logo_picture is not None and row.logo_svg == ""
    assert row.logo_picture.file.url in client.get("/").content.decode()


def test_colours_without_enough_contrast_are_refused(editor_client):
    response = editor_client.post("/admin/sitesettings/sitesettings/1/change/", admin_form(accent_colour="#ffff66"))
    page = response.content.decode()
    assert response.status_code == 200 and "at least 4.5:1 (WCAG AA)" in page
    response = editor_client.post(
        "/admin/sitesettings/sitesettings/1/change/", admin_form(accent_colour="#1a5fb4", accent_text_colour="#2a6fc4")
    )
    assert "text needs at least 4.5:1" in response.content.decode()
    assert SiteSettings.objects.get().accent_colour == "#a3161a"


def test_accepted_colours_reach_every_page_through_a_stylesheet(editor_client, client):
    editor_client.post("/admin/sitesettings/sitesettings/1/change/", admin_form(accent_colour="#1a5fb4"))
    page = client.get("/").content.decode()
    theme = services.current().theme_url
    assert theme and f'href="{theme}"' in page
    assert "--accent: #1a5fb4" in client.get(theme).content.decode()


def test_contrast_is_worked_out_as_wcag_says():
    assert round(colours.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(colours.contrast("#767676", "#ffffff"), 2) == 4.54
    with pytest.raises(ValueError):
        colours.parse("red")


def test_header_and_footer_menus_show_in_order_with_social_links(client):
    row = services.settings_row()
    world = make_section("World")
    MenuItem.objects.create(site=row, menu="header", position=2, label="About us", url="/about/")
    MenuItem.objects.create(site=row, menu="header", position=1, section=world)
    MenuItem.objects.create(site=row, menu="footer", position=1, label="Contact", url="/contact/")
    SocialLink.objects.create(site=row, network="mastodon", url="https://social.example/@gazette")
    page = client.get("/").content.decode()
    header = page[page.index('aria-label="Main menu"'):]
    assert header.index(">World<") < header.index(">About us<")
    assert 'href="/contact/">Contact<' in page
    assert 'href="https://social.example/@gazette" rel="me noopener">Mastodon<' in page


def test_a_menu_link_must_be_a_page_or_a_web_address(editor_client):
    data = admin_form(**{
        "menu_items-TOTAL_FORMS": "1", "menu_items-0-menu": "header", "menu_items-0-position": "0",
        "menu_items-0-label": "Bad", "menu_items-0-url": "javascript:alert(1)", "menu_items-0-section": "",
    })
    response = editor_client.post("/admin/sitesettings/sitesettings/1/change/", data)
    assert response.status_code == 200 and "A link starts with /" in response.content.decode()
    assert not MenuItem.objects.exists()


def test_the_home_layout_chooses_sections_order_and_sizes(client):
    sport, arts = make_section("Sport"), make_section("Arts")
    for n in range(20):
        make_article(f"Match report {n}", section=sport)
        make_article(f"Gallery review {n}", section=arts)
    row = services.settings_row()
    HomeSection.objects.create(site=row, section=arts, position=1, stories=2)
    HomeSection.objects.create(site=row, section=sport, position=2, stories=3)
    page = client.get("/").content.decode()
    blocks = page[page.index('class="section-block"'):]
    assert blocks.index('id="sec-arts"') < blocks.index('id="sec-sport"')
    arts_block = blocks[blocks.index('id="sec-arts"'):blocks.index('id="sec-sport"')]
    assert arts_block.count("<article") == 2


def test_a_promo_shows_between_its_dates_on_its_pages(client):
    import datetime

    from django.utils import timezone

    story = make_article("Tide tables")
    Promo.objects.create(placement="story", headline="Visit the boat show", link="https://boats.example/", label="Advertisement")
    Promo.objects.create(
        placement="home", headline="Old offer", link="https://old.example/",
        starts_at=timezone.now() - datetime.timedelta(days=9), ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert "Visit the boat show" in client.get(story.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()
    assert "Visit the boat show" not in home and "Old offer" not in home


def test_share_links_are_plain_links_with_no_third_party_script(client):
    story = make_article("Lighthouse restored")
    page = client.get(story.get_absolute_url()).content.decode()
    for host in ("https://x.com/intent/post?", "https://www.facebook.com/sharer/", "https://www.linkedin.com/sharing/",
                 "https://wa.me/?", "https://t.me/share/url?", "mailto:?subject=Lighthouse%20restored"):
        assert host in page
    assert 'data-copy="http' in page
    import re

    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts)


def test_a_change_purges_cached_pages_at_once(client, settings, django_capture_on_commit_callbacks):
    from broadsheet import pagecache

    store = pagecache.get_store()
    before = store.state()[0]
    with django_capture_on_commit_callbacks(execute=True):
        row = services.settings_row()
        row.tagline = "Now with tides"
        row.save()
    assert store.state()[0] != before
    assert services.current().tagline == "Now with tides"


def test_the_breaking_banner_is_raised_and_lowered_site_wide(client):
    services.raise_banner(text="Storm warning for the coast", url="/story/storm/")
    assert 'href="/story/storm/">Storm warning for the coast<' in client.get("/search/?q=x").content.decode()
    services.lower_banner()
    assert "Storm warning" not in client.get("/").content.decode()


def test_svg_cleaning_keeps_a_plain_logo():
    cleaned = svg.clean(LOGO)
    assert cleaned.startswith("<svg") and "<rect" in cleaned and "ns0" not in cleaned


def test_an_editor_links_a_page_from_the_footer_menu_in_the_back_office(editor_client, client):
    from broadsheet.pages.models import Page

    page = Page.objects.create(title="Corrections policy", slug="corrections")
    data = admin_form(**{
        "menu_items-TOTAL_FORMS": "1", "menu_items-0-menu": "footer", "menu_items-0-position": "0",
        "menu_items-0-label": "", "menu_items-0-url": "", "menu_items-0-section": "", "menu_items-0-page": str(page.pk),
    })
    assert editor_client.post("/admin/sitesettings/sitesettings/1/change/", data).status_code == 302
    assert 'href="/page/corrections/">Corrections policy<' in client.get("/").content.decode()

    both = dict(data, **{"menu_items-0-url": "/elsewhere/"})
    response = editor_client.post("/admin/sitesettings/sitesettings/1/change/", both)
    text = response.content.decode()
    assert response.status_code == 200 and "Choose one of a section, a page or a link" in text
    assert 'value="/elsewhere/"' in text, "what was typed is kept"
    assert MenuItem.objects.get().url == ""
