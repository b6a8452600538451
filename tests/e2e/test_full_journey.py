"""One story, end to end, in real Chromium against a live server.

A reader reads, searches and comments; a contributor sends an article with a picture; an editor
signs in to the back office, accepts the submission, publishes the draft and approves the held
comments; then a reader (a fresh browser, no cookies) finds the new story on the home page and
the approved comments under the story they were written on.
"""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_article, make_section, make_user

from .pictures import harbour_picture, serve_uploads_from_the_live_server

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FERRY = "Night ferry to Veldhaven returns for the winter"
REPAIR = "Repair café on Alder Street opens a second workbench"
REPAIR_BODY = (
    "The volunteers of the Alder Street repair café mend toasters, lamps and bicycles every "
    "Saturday for anyone who walks in. Since the spring they have fixed more than three hundred "
    "things that would otherwise have gone to the tip, and the queue now reaches the corner. "
    "A second workbench, paid for by the neighbours, opens next week."
)
COMMENT = "The late boat makes the night shift at the fish market possible again."
REPLY = "Agreed, Ilse; the bakers on the early shift say the same."
STAMP_WAIT_MS = 3200  # public forms refuse anything sent within three seconds of the page loading


def set_up_newsroom():
    from broadsheet.comments.models import Comment, ModerationSettings
    from broadsheet.newsroom.models import Article
    from broadsheet.newsroom.signals import article_changed
    from broadsheet.search import get_backend

    get_backend().clear()  # the transactional flush does not empty the search index
    harbour = make_section("Harbour")
    make_section("Community")
    ferry = make_article(
        FERRY,
        section=harbour,
        summary="The island crossing runs again after a summer of repairs.",
        body="The night ferry to Veldhaven island sails again from Monday, leaving the quay at eleven.",
        authors=["Mira Stenhouse"],
    )
    article_changed.send(sender=Article, article=ferry)
    Comment.objects.create(
        article=ferry,
        author_name="Ilse Brandt",
        author_email="ilse@example.org",
        body="Good news for everyone who works late.",
        status="approved",
    )
    # Flood protection refuses a second comment from one address within 15 seconds; the reader
    # here replies a few seconds after commenting, so the desk has it switched off.
    rules = ModerationSettings.load()
    rules.flood_seconds = 0
    rules.save()
    return ferry


def reader_comments_and_replies(page):
    from .conftest import screenshot

    page.goto("/")
    page.get_by_role("link", name=FERRY).first.click()
    page.wait_for_url("**/story/**")
    assert page.get_by_role("heading", level=1).inner_text() == FERRY

    page.get_by_role("searchbox", name="Search stories").fill("veldhaven ferry")
    page.get_by_role("banner").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=veldhaven+ferry")
    page.locator(".search-hit").get_by_role("link", name=FERRY).click()
    page.wait_for_url("**/story/**")

    page.get_by_role("textbox", name="Comment").fill(COMMENT)
    page.get_by_role("textbox", name="Name").fill("Tomás Reyes")
    page.get_by_role("textbox", name="Email").fill("tomas.reyes@example.net")
    page.wait_for_timeout(STAMP_WAIT_MS)
    with page.expect_navigation(url="**/comments/held/**"):
        page.get_by_role("button", name="Post Comment").click()
    mine = page.locator(".comment", has_text=COMMENT)
    assert "Your comment is awaiting moderation." in mine.locator(".comment-awaiting").inner_text()
    page.get_by_role("link", name="Back to the story").click()
    page.locator(".comment", has_text=COMMENT).locator(".comment-awaiting").wait_for()

    page.get_by_role("link", name="Reply to Ilse Brandt").click()
    assert page.locator("#replying-to").is_visible()
    page.get_by_role("textbox", name="Comment").fill(REPLY)
    page.get_by_role("textbox", name="Name").fill("Tomás Reyes")
    page.get_by_role("textbox", name="Email").fill("tomas.reyes@example.net")
    page.wait_for_timeout(STAMP_WAIT_MS)
    with page.expect_navigation(url="**/comments/held/**"):
        page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("link", name="Back to the story").click()
    reply = page.locator(".comment", has_text="Good news for everyone").locator(".children .comment")
    reply.wait_for()
    assert REPLY in reply.inner_text() and "awaiting moderation" in reply.inner_text()
    screenshot(page, "journey-comments-awaiting")


def contributor_sends_an_article(context, tmp_path):
    photo = tmp_path / "workbench.jpg"
    photo.write_bytes(harbour_picture())
    page = context.new_page()
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Publish Your Article").click()
    page.wait_for_url("**/publish/")
    page.get_by_label("Headline").fill(REPAIR)
    page.get_by_label("Body").fill(REPAIR_BODY)
    page.get_by_role("combobox", name="Section").select_option(label="Community")
    page.get_by_label("Tags").fill("repair, volunteers")
    page.get_by_label("Picture", exact=True).set_input_files(str(photo))
    page.get_by_label("Picture caption").fill("The first workbench on a busy Saturday")
    page.get_by_label("Your name").fill("Tobin Ash")
    page.get_by_label("Your email").fill("tobin.ash@example.net")
    page.get_by_label("I wrote this article").check()
    page.wait_for_timeout(STAMP_WAIT_MS)
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/thanks/")
    assert "awaits review" in page.get_by_role("heading", level=1).inner_text()


def editor_signs_in(context):
    make_user("desk.editor", role="Editor")
    page = context.new_page()
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")
    page.get_by_label("Username").fill("desk.editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def editor_accepts_and_publishes(page):
    # The model's row in the admin index (the app's caption link has the same name).
    page.locator("#content-main tr").get_by_role("link", name="Submissions", exact=True).click()
    page.wait_for_url("**/admin/submissions/submission/**")
    page.get_by_role("link", name=REPAIR).click()
    page.get_by_role("button", name="Accept (create a draft article)").click()
    page.wait_for_url("**/admin/newsroom/article/*/change/")
    expect(page.locator(".messagelist")).to_contain_text("Accepted: here is the draft article")
    assert page.get_by_label("Headline").input_value() == REPAIR

    page.locator(".breadcrumbs").get_by_role("link", name="Articles").click()
    page.wait_for_url("**/admin/newsroom/article/")
    page.get_by_role("checkbox", name=f"Select this object for an action - {REPAIR}").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish selected stories now")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 story.")


def editor_approves_the_comments(page):
    page.goto("/admin/")
    page.locator("#content-main tr").get_by_role("link", name="Comments", exact=True).click()
    page.wait_for_url("**/admin/comments/comment/**")
    page.get_by_role("row").filter(has_text=COMMENT).get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved: comment by Tomás Reyes.")
    # The reply goes through the queue's bulk action instead of its one-click button.
    page.get_by_role("row").filter(has_text=REPLY).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Approve selected comments")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved: 1 comment.")


def test_a_story_goes_from_contributor_to_reader_with_moderated_comments(
    page, browser, live_server, tmp_path, settings
):
    from broadsheet.comments.models import Comment
    from broadsheet.newsroom.models import Article

    from .conftest import screenshot

    serve_uploads_from_the_live_server(settings)
    set_up_newsroom()
    reader_comments_and_replies(page)

    contributor = browser.new_context(base_url=live_server.url)
    try:
        contributor_sends_an_article(contributor, tmp_path)
    finally:
        contributor.close()

    desk = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        editor = editor_signs_in(desk)
        editor_accepts_and_publishes(editor)
        editor_approves_the_comments(editor)
    finally:
        desk.close()
    assert Article.objects.get(headline=REPAIR).is_published()
    assert set(Comment.objects.filter(author_name="Tomás Reyes").values_list("status", flat=True)) == {
        "approved"
    }

    # A reader with no cookies: nothing shown here is a leftover of their own pending comments.
    later = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        reader = later.new_page()
        reader.goto("/")
        assert reader.get_by_role("link", name=REPAIR).first.is_visible()
        screenshot(reader, "journey-home-light")
        reader.get_by_role("link", name=FERRY).first.click()
        reader.wait_for_url("**/story/**")
        comments = reader.locator("#comments")
        assert COMMENT in comments.inner_text() and REPLY in comments.inner_text()
        assert reader.locator(".comment-awaiting").count() == 0
        assert "3 replies" in reader.locator("#comments-title").inner_text()
        html = reader.content()
        assert "tomas.reyes@example.net" not in html and "ilse@example.org" not in html

        reader.goto("/")
        reader.get_by_role("link", name=REPAIR).first.click()
        reader.wait_for_url("**/story/**")
        assert reader.get_by_role("heading", level=1).inner_text() == REPAIR
        assert "Tobin Ash" in reader.locator(".byline").inner_text()
        picture = reader.get_by_role("img", name="The first workbench on a busy Saturday")
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
        assert "tobin.ash@example.net" not in reader.content()
    finally:
        later.close()
