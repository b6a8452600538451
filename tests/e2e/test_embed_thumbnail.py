"""A reader's embed placeholder shows the thumbnail the worker stored (fetched from a pretend
provider on 127.0.0.1): the page loads nothing from the provider until the reader asks."""

import pytest
from playwright.sync_api import expect

from broadsheet.newsroom.services import announce
from tests.conftest import make_article, make_section
from tests.media.test_embed_thumbnails import VIDEO, Provider, embed

from .conftest import readme_screenshot
from .pictures import harbour_picture, serve_uploads_from_the_live_server

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_placeholder_shows_our_stored_thumbnail_and_no_provider_request(browser, live_server, settings):
    serve_uploads_from_the_live_server(settings)
    provider = Provider()
    provider.thumbnail = harbour_picture((640, 360))
    settings.BROADSHEET_OEMBED_ENDPOINTS = {"youtube": f"{provider.base}/oembed"}
    try:
        article = make_article(
            "Cranes return to the harbour",
            section=make_section("Harbour"),
            body="<p>The first crane moved at dawn.</p>" + embed(VIDEO, title="The cranes at dawn"),
        )
        announce(article)  # outside a transaction: the worker's fetch runs now
        asked = len(provider.requests)
        assert asked == 2  # the oEmbed answer and the picture, once

        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.goto(article.get_absolute_url())
        thumbnail = page.locator(".embed-placeholder img.embed-thumbnail")
        expect(thumbnail).to_be_visible()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 640
        assert thumbnail.get_attribute("src").startswith(settings.MEDIA_URL)
        assert outside == [] and len(provider.requests) == asked
        readme_screenshot(page.locator("figure.embed"), "embed-placeholder-thumbnail")
        context.close()
    finally:
        provider.close()
