"""A reader opens the home page, follows a story, and finds its source line and the publish link."""

import pytest

from tests.conftest import make_article, make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_reads_a_story_from_the_home_page(page, dark_page):
    from broadsheet.newsroom.models import Source

    from .conftest import screenshot

    world = make_section("World")
    source = Source.objects.create(name="Lantern Courier", homepage="https://lantern.example/")
    make_article(
        "Lighthouse keepers return to Veldhaven",
        section=world,
        source=source,
        source_url="https://lantern.example/lighthouse",
        body="The keepers came back on **Sunday**.",
    )
    page.goto("/")
    assert page.get_by_role("banner").get_by_role("link", name="Publish Your Article").is_visible()
    page.get_by_role("link", name="Lighthouse keepers return to Veldhaven").first.click()
    page.wait_for_url("**/story/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Lighthouse keepers return to Veldhaven"
    assert "Source: Lantern Courier" in page.locator(".source-line").inner_text()
    screenshot(page, "article-light")
    dark_page.goto("/")
    screenshot(dark_page, "home-dark")
