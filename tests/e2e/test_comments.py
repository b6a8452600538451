"""A reader replies to a comment in a real browser and sees their reply awaiting moderation."""

import time

import pytest

from tests.conftest import make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_replies_to_a_comment_and_sees_it_awaiting_moderation(page):
    from broadsheet.comments.models import Comment
    from broadsheet.core.antispam import make_stamp

    from .conftest import screenshot

    article = make_article("Night ferry returns to the island")
    parent = Comment.objects.create(
        article=article,
        author_name="Ilse Brandt",
        author_email="ilse@example.org",
        body="Good news for the late shift workers.",
        status="approved",
    )
    page.goto(article.get_absolute_url())
    assert page.get_by_role("heading", name="Leave a Reply").is_visible()
    page.get_by_role("link", name="Reply to Ilse Brandt").click()
    # The script moved the form under the comment instead of reloading the page.
    assert page.locator(f"#comment-{parent.pk} #comment-form").count() == 1
    assert page.locator("#replying-to").is_visible()
    assert page.locator("#id_parent").input_value() == str(parent.pk)
    page.get_by_role("textbox", name="Comment").fill("Agreed, and the early boat would help too.")
    page.get_by_role("textbox", name="Name").fill("Tomás Reyes")
    page.get_by_role("textbox", name="Email").fill("tomas@example.net")
    # The form refuses sends under 3 seconds after loading; give the page an older stamp
    # instead of making the test wait.
    page.locator('input[name="form_stamp"]').evaluate(
        "(el, v) => { el.value = v; }", make_stamp(time.time() - 10)
    )
    page.get_by_role("button", name="Post Comment").click()
    # Held: the writer lands on a page of their own saying so (it works without JavaScript)...
    page.wait_for_url("**/comments/held/**")
    reply = Comment.objects.get(parent=parent)
    assert "awaiting moderation" in page.locator(f"#comment-{reply.pk} .comment-awaiting").inner_text()
    # ...and the story page, the same for every reader, shows it to them alone from their cookie.
    page.goto(article.get_absolute_url())
    notice = page.locator(f"#comment-{parent.pk} #comment-{reply.pk} .comment-awaiting")
    notice.wait_for()
    assert notice.is_visible()
    assert "Your comment is awaiting moderation." in notice.inner_text()
    screenshot(page, "comment-awaiting-moderation")
    assert "tomas@example.net" not in page.locator("#comments ol.comment-list").inner_html()
