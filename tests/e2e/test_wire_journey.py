"""The wire in a real browser: an editor adds a feed, sees its items grouped on the wire desk,
republishes one with its credit, and the reader sees where the story comes from."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.wire import feeds
from tests.wire.conftest import FeedServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STORM = "Storm closes the coast road at Harbour Point"
BODY = (
    "Police closed the coast road at Harbour Point after the storm brought down trees, "
    "Haaretz reported. Speaking to the New York Times, the mayor said it would reopen on Monday."
)


@pytest.fixture
def wire_server():
    server = FeedServer()
    yield server
    server.close()


def test_editor_republishes_a_wire_item_and_the_reader_sees_its_provenance(page, wire_server):
    from broadsheet.newsroom.models import Article, Section, Source

    Section.objects.create(name="World")
    Source.objects.create(name="Haaretz")
    Source.objects.create(name="The New York Times")
    herald = wire_server.add(
        "/herald",
        feeds.wordpress_rss(
            [
                {"title": STORM, "link": "https://herald.example/storm?utm_source=rss", "summary": BODY},
            ]
        ),
    )
    courier = wire_server.add(
        "/courier",
        feeds.atom(
            [
                {
                    "title": "Coast road at Harbour Point closed by storm",
                    "link": "https://courier.example/storm",
                    "summary": "The storm brought down trees and police closed the coast road at Harbour Point.",
                },
            ]
        ),
        content_type="application/atom+xml",
    )
    call_command("wire", "add-feed", "Harbour Herald", herald)
    call_command("wire", "add-feed", "Valley Courier", courier)
    call_command("wire", "poll")

    make_user("wire.editor", role="Editor")
    page.goto("/wire/")
    page.get_by_label("Username").fill("wire.editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/wire/")
    group = page.locator("section.wire-group").filter(has_text=STORM)
    expect(group.get_by_role("heading")).to_contain_text("(2 items)")
    row = group.get_by_role("row").filter(has_text="Harbour Herald")
    row.get_by_role("combobox").select_option(label="World")
    row.get_by_role("button", name="Republish").click()
    page.wait_for_url("**/admin/newsroom/article/*/change/")
    assert page.get_by_label("Headline").input_value() == STORM

    article = Article.objects.get(headline=STORM)
    page.goto("/admin/newsroom/article/")
    page.get_by_role("checkbox", name=f"Select this object for an action - {STORM}").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish selected stories now")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 story.")

    page.context.clear_cookies()
    page.goto(article.get_absolute_url())
    expect(page.locator(".source-line")).to_contain_text("Source: Harbour Herald")
    cited = page.locator(".reporting-cited")
    expect(cited).to_have_text(re.compile(r"Reporting cited: Haaretz, The New York Times"))
    cited.get_by_role("link", name="Haaretz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haaretz")
    canonical = page.goto(article.get_absolute_url()) and page.locator('link[rel="canonical"]').get_attribute(
        "href"
    )
    assert canonical == "https://herald.example/storm?utm_source=rss"
