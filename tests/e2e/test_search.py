"""A reader searches from the header box and lands on highlighted results, without JavaScript."""

import pytest

from tests.conftest import make_article, make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_finds_a_story_from_the_header_search_box(browser, live_server):
    from broadsheet.newsroom.models import Article
    from broadsheet.newsroom.signals import article_changed
    from broadsheet.search import get_backend

    from .conftest import screenshot

    get_backend().clear()  # flush between transactional tests does not empty the index
    world = make_section("World")
    for headline in ("Lighthouse keepers return to Veldhaven", "Ferry timetable changes in Nyberg"):
        article = make_article(headline, section=world, body="The keepers came back on **Sunday**.")
        article_changed.send(sender=Article, article=article)

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("searchbox", name="Search stories").fill("lighthouse keep")
    page.get_by_role("banner").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=lighthouse+keep")
    hits = page.locator(".search-hit")
    assert hits.count() == 1
    assert hits.locator("mark").first.inner_text() == "Lighthouse"
    assert page.locator("#site-search").input_value() == "lighthouse keep"
    screenshot(page, "search-results")
    page.get_by_role("link", name="Lighthouse keepers return to Veldhaven").click()
    page.wait_for_url("**/story/**")

    page.goto("/search/?q=%22unbalanced+zeppelin")
    assert page.get_by_role("heading", name="Nothing found").is_visible()
    context.close()
