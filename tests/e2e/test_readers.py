"""Readers subscribe and confirm, see what is most read, follow a live page as it updates;
an editor changes the logo, colours and menus and sees them on the site."""

import re

import pytest

from tests.conftest import make_article, make_section, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
STAMP_WAIT_MS = 3200
PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def smtp(smtp, settings, live_server):
    """The shared SMTP server, with links in the emails pointing at the live server."""
    settings.BROADSHEET_SITE_URL = live_server.url
    return smtp


def link_in(message, kind):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://\S+/subscribe/{kind}/\S+/", text).group(0)


def test_a_reader_subscribes_confirms_and_unsubscribes(page, smtp):
    from broadsheet.newsletters.models import Subscriber

    page.goto("/subscribe/")
    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_label("Breaking news, as it happens").check()
    page.wait_for_timeout(STAMP_WAIT_MS)
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/subscribe/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    [message] = smtp.to("reader@example.org")
    page.goto(link_in(message, "confirm"))
    page.get_by_role("button", name="Yes, subscribe me").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are subscribed"
    person = Subscriber.objects.get(email="reader@example.org")
    assert person.status == "active" and person.daily and person.breaking
    page.get_by_role("link", name="Choose what you receive").click()
    page.get_by_label("Daily digest: the day's main stories, each evening").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    assert page.get_by_text("Your choices are saved.").is_visible()
    person.refresh_from_db()
    assert not person.daily and person.breaking
    page.get_by_role("button", name="Unsubscribe from all").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    person.refresh_from_db()
    assert person.status == "unsubscribed"


def test_a_story_read_in_the_browser_shows_in_most_read(browser, live_server):
    from broadsheet.readership import services
    from broadsheet.readership.counters import get_counter

    get_counter().drain()
    story = make_article("Ferry timetable changes", section=make_section("Local"))
    make_article("A quieter story", section=make_section("Local"))
    context = browser.new_context(base_url=live_server.url, user_agent=PERSON)
    page = context.new_page()
    with page.expect_request(lambda r: r.url.endswith("/readership/read") and r.method == "POST"):
        page.goto(story.get_absolute_url())
    page.wait_for_timeout(300)
    assert services.flush() == 1
    from broadsheet import pagecache

    pagecache.invalidate()
    page.goto("/")
    box = page.locator(".most-read")
    assert box.get_by_role("heading").inner_text() == "Most read"
    assert box.get_by_role("link").all_inner_texts() == ["Ferry timetable changes"]
    context.close()


def test_a_live_page_shows_new_updates_without_reloading(page, settings):
    from broadsheet.live import services

    settings.BROADSHEET_LIVE_POLL_SECONDS = 0.5
    story = make_article("Storm live: the coast braces")
    coverage = services.start(story)
    services.post_update(coverage, author=None, body="Wind picking up at the harbour.")
    page.goto(story.get_absolute_url())
    assert page.locator(".live-update").count() == 1
    services.post_update(coverage, author=None, body="Evacuation ordered for the seafront.", headline="Evacuation", key_point=True)
    page.locator(".live-update", has_text="Evacuation ordered for the seafront.").wait_for(timeout=10_000)
    assert page.locator(".live-update").first.inner_text().count("Evacuation ordered") == 1
    assert page.locator(".live-key-points").get_by_role("link", name="Evacuation").is_visible()
    assert "1 new update" in page.locator("[data-live-status]").inner_text()


def test_an_editor_changes_the_logo_colours_and_menus_and_sees_them(page, tmp_path):
    make_user("desk.editor", role="Editor")
    world = make_section("World")
    make_article("Summit opens", section=world)
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"><rect width="100" height="20" fill="#1a5fb4"/></svg>')
    page.goto("/admin/sitesettings/sitesettings/")
    page.get_by_label("Username").fill("desk.editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/sitesettings/sitesettings/1/change/")
    page.locator("#id_name").fill("The Coast Gazette")
    page.locator("#id_tagline").fill("Tides, towns and people")
    page.locator("#id_logo_upload").set_input_files(str(logo))
    page.locator("#id_accent_colour").fill("#ffff66")  # too pale: refused
    page.get_by_role("button", name="Save", exact=True).click()
    assert "WCAG AA" in page.locator(".errorlist").first.inner_text()
    page.locator("#id_logo_upload").set_input_files(str(logo))
    page.locator("#id_accent_colour").fill("#1a5fb4")
    page.locator('[name="menu_items-0-menu"]').select_option("header")
    page.locator('[name="menu_items-0-section"]').select_option(label="World")
    page.locator('[name="menu_items-0-position"]').fill("1")
    page.locator('[name="menu_items-1-menu"]').select_option("footer")
    page.locator('[name="menu_items-1-label"]').fill("About us")
    page.locator('[name="menu_items-1-url"]').fill("/about/")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/sitesettings/sitesettings/**")
    assert not page.locator(".errorlist").count()

    page.goto("/")
    assert page.title().startswith("The Coast Gazette")
    assert page.get_by_role("img", name="The Coast Gazette").is_visible()
    assert page.get_by_text("Tides, towns and people").is_visible()
    assert page.get_by_role("navigation", name="Main menu").get_by_role("link").all_inner_texts() == ["World"]
    assert page.get_by_role("navigation", name="Footer menu").get_by_role("link", name="About us").get_attribute("href") == "/about/"
    kicker = page.locator(".kicker").first.evaluate("el => getComputedStyle(el).color")
    assert kicker == "rgb(26, 95, 180)"
