"""In a real browser: the structured data of a story page parses, raises no CSP report, and the
page's feed links lead to feeds."""

import json

import pytest

from tests.conftest import make_article, make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_story_page_structured_data_reads_cleanly_in_a_browser(page, live_server, settings):
    settings.BROADSHEET_SITE_URL = live_server.url
    problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    article = make_article(
        "Harbour lights </script> return",
        section=make_section("World"),
        authors=["Ada Quill"],
        summary="Keepers & lamps <b>back</b>.",
    )
    page.goto(article.get_absolute_url())
    documents = page.eval_on_selector_all(
        'script[type="application/ld+json"]', "nodes => nodes.map(n => n.textContent)"
    )
    types = [json.loads(text)["@type"] for text in documents]
    assert types == ["NewsArticle", "BreadcrumbList"]
    assert json.loads(documents[0])["headline"] == "Harbour lights </script> return"
    assert page.get_by_role("heading", level=1).inner_text() == "Harbour lights </script> return"
    feed_href = page.get_attribute(
        'link[rel="alternate"][type="application/rss+xml"][title="World (RSS)"]', "href"
    )
    response = page.request.get(feed_href)
    assert response.ok and b"Harbour lights" in response.body()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
