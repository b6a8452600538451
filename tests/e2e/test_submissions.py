"""A contributor sends an article with a picture through the real form and sees the thank-you page."""

import pytest

from tests.conftest import make_section, picture_bytes

from .conftest import readme_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = (
    "Every Saturday the volunteers of the Alder Street repair café fix toasters, lamps and bicycles "
    "for anyone who walks in. Last month they mended ninety items and kept most of them out of the "
    "landfill. The organisers now want a second workbench and more people who can solder."
)


def test_contributor_sends_an_article_with_a_picture(page, tmp_path):
    from broadsheet.submissions.models import Submission

    from .conftest import screenshot

    make_section("Community")
    photo = tmp_path / "workbench.jpg"
    photo.write_bytes(picture_bytes(size=(320, 200)))

    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Publish Your Article").click()
    page.wait_for_url("**/publish/")
    page.get_by_label("Headline").fill("Repair café needs a second workbench")
    page.get_by_label("Body").fill(BODY)
    page.locator("#id_section").select_option(label="Community")
    page.get_by_label("Tags").fill("repair, volunteers")
    page.get_by_label("Picture", exact=True).set_input_files(str(photo))
    page.get_by_label("Picture caption").fill("The workbench on a Saturday")
    page.get_by_label("Your name").fill("Tobin Ash")
    page.get_by_label("Your email").fill("tobin.ash@example.net")
    page.get_by_label("I wrote this article").check()
    page.wait_for_timeout(3100)  # the form refuses anything sent within three seconds of loading
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/thanks/")
    assert "awaits review" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, "submission-thanks")

    submission = Submission.objects.get()
    assert submission.image and submission.headline == "Repair café needs a second workbench"
    page.get_by_role("link", name=submission.get_status_url(), exact=False).click()
    assert "Awaiting review" in page.locator(".submission-status").inner_text()
    assert "tobin.ash@example.net" not in page.content()


def test_contributor_sees_the_editors_note_and_the_published_story_on_the_status_page(
    page, django_user_model
):
    from django.contrib.auth.models import Group
    from playwright.sync_api import expect

    from broadsheet.newsroom import services as newsroom
    from broadsheet.submissions import services
    from broadsheet.submissions.models import Submission
    from broadsheet.submissions.services import create_submission

    section = make_section("Community")
    submission = create_submission(
        data={
            "headline": "Repair café needs a second workbench",
            "summary": "Ninety items mended last month.",
            "body": BODY,
            "section": section,
            "tags": "repair",
            "contributor_name": "Tobin Ash",
            "contributor_email": "tobin.ash@example.net",
        }
    )
    editor = django_user_model.objects.create_user("eda", password="a-long-test-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    note = "Thank you, Tobin: we added a photo of the café and will run it on Saturday."
    article = services.accept(submission, editor=editor, note=note)
    newsroom.publish(article, by=editor)
    assert Submission.objects.get(pk=submission.pk).published_at is not None  # told, by the worker's task

    page.goto(submission.get_status_url())
    expect(page.locator(".submission-status")).to_have_text("Status: Published")
    expect(page.get_by_role("link", name="Repair café needs a second workbench")).to_have_attribute(
        "href", article.get_absolute_url()
    )
    expect(page.locator(".editor-messages")).to_contain_text(note)
    readme_screenshot(page, "submission-status-published")
