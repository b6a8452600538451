"""axe-core, run inside real Chromium, finds no serious or critical accessibility problem on the
pages readers and contributors use, in the light and in the dark colour scheme.

axe-core is vendored in tests/e2e/axe/ (see its README.md) and handed to the page as a Playwright
init script: DevTools injects it before the page's own scripts, so the site's Content-Security-
Policy stays on and is checked as readers get it (no bypass_csp, no inline <script>).
"""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from tests.conftest import make_article, make_section

from .pictures import harbour_picture, serve_uploads_from_the_live_server

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


def build_newsroom(settings):
    """A small front page: two sections, related stories, a thread of comments, a search index."""
    from broadsheet.comments.models import Comment
    from broadsheet.newsroom.models import Article, Source
    from broadsheet.newsroom.signals import article_changed
    from broadsheet.related import services as related
    from broadsheet.search import get_backend

    serve_uploads_from_the_live_server(settings)
    get_backend().clear()  # the transactional flush does not empty the search index
    harbour, science = make_section("Harbour"), make_section("Science")
    source = Source.objects.create(name="Estuary Gazette", homepage="https://estuary.example/")
    ferry_words = "The night ferry to Veldhaven island returns with a new timetable for harbour workers."
    stories = [
        make_article(
            "Night ferry to Veldhaven returns for the winter",
            section=harbour,
            summary="The island crossing runs again after a summer of repairs.",
            body=f"{ferry_words}\n\n> Passengers waited on the quay.\n\nThe **harbour** office sold tickets.",
            tags=["ferry", "Veldhaven"],
            authors=["Mira Stenhouse", "Odo Brandt"],
            source=source,
            source_url="https://estuary.example/ferry",
        ),
        make_article(
            "Veldhaven ferry timetable adds an early crossing",
            section=harbour,
            summary="A boat before dawn for bakers and market traders.",
            body=f"{ferry_words} An early crossing leaves before dawn.",
            tags=["ferry"],
        ),
        make_article(
            "Harbour workers welcome the island ferry",
            section=harbour,
            summary="The dockers' union says the late crossing was overdue.",
            body=f"{ferry_words} The workers' union welcomed the crossing.",
            tags=["ferry"],
        ),
        make_article(
            "Tide gauge records the highest water in a decade",
            section=science,
            summary="Readings at the harbour mouth beat the old record by a hand's width.",
            body="A tide gauge at the harbour mouth recorded the highest water in ten years.",
        ),
    ]
    for article in stories:
        article_changed.send(sender=Article, article=article)
    related.rebuild_related()
    lead = stories[0]
    lead.image.save("harbour-dusk.jpg", ContentFile(harbour_picture()), save=False)
    lead.image_caption = "The ferry waits off the quay at dusk."
    lead.image_alt = "A small ferry on a calm sea at sunset, beside a stone quay"
    lead.image_credit = "Broadsheet test suite"
    lead.save()
    first = Comment.objects.create(
        article=lead,
        author_name="Ilse Brandt",
        author_email="ilse@example.org",
        author_url="https://ilse.example/",
        body="Good news for the late shift.\n\nThe last boat used to leave at nine.",
        status="approved",
    )
    Comment.objects.create(
        article=lead,
        parent=first,
        thread=first,
        depth=2,
        author_name="Tomás Reyes",
        author_email="tomas@example.net",
        body="And the early boat helps the bakers.",
        status="approved",
    )
    return lead, harbour


def send_empty_comment(page):
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    assert page.locator("#comments .errorlist").count() >= 1


def send_empty_submission(page):
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    assert page.locator(".submission-form .errorlist").count() >= 1


def test_reader_pages_have_no_serious_accessibility_problems_in_light_or_dark(browser, live_server, settings):
    """axe on each page (and on two forms showing their errors) in both colour schemes."""
    from .conftest import screenshot

    lead, harbour = build_newsroom(settings)
    pages = [
        ("home", "/", None),
        ("article", lead.get_absolute_url(), None),
        ("article, comment errors", lead.get_absolute_url(), send_empty_comment),
        ("section", harbour.get_absolute_url(), None),
        ("search", "/search/?q=ferry+timetable", None),
        ("publish", "/publish/", None),
        ("publish, form errors", "/publish/", send_empty_submission),
    ]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocking, notes = [], []
    try:
        for name, url, action in pages:
            page.emulate_media(color_scheme="light")
            response = page.goto(url)
            assert response.ok, f"{url} answered {response.status}"
            if action:
                action(page)
            elif name == "article":
                assert page.get_by_role("heading", name="Related posts").is_visible()
                assert page.locator("#comments .comment").count() == 2
                assert page.locator(".lead-image img").evaluate("img => img.complete && img.naturalWidth > 0")
            elif name == "search":
                assert page.locator(".search-hit").count() >= 1
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                if name in ("home", "article"):
                    screenshot(page, f"{name}-page-{scheme}")
                for violation in page.evaluate(RUN_AXE):
                    found = blocking if violation["impact"] in BLOCKING else notes
                    found.extend(
                        f"[{scheme}] {name} {url}: {violation['id']} ({violation['impact']}) "
                        f"at {node['target']}: {violation['help']}; {node['summary']}".replace("\n", " ")
                        for node in violation["nodes"]
                    )
    finally:
        context.close()
    if notes:
        print("axe, not blocking:\n" + "\n".join(notes))
    assert not blocking, f"{len(blocking)} serious/critical accessibility problems:\n" + "\n".join(blocking)
