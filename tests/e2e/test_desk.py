"""The editors' desk in a real browser: write, illustrate, embed, autosave, reopen, publish; two
people on one story; a dropped network; axe-core on the editor; screenshots for the README."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from broadsheet.newsroom.models import Article
from tests.conftest import make_section, make_user, wait_for

from .conftest import readme_screenshot
from .pictures import harbour_picture, serve_uploads_from_the_live_server
from .test_accessibility import AXE, BLOCKING, RUN_AXE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PASTE = """(el, data) => {
  const transfer = new DataTransfer();
  for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
  el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""


def sign_in(browser, live_server, username, *, name=""):
    user = make_user(username, role="Editor")
    user.first_name = name
    user.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/desk/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/desk/")
    return context, page


def keep_screenshot(page, name):
    page.evaluate("window.scrollTo(0, 0)")
    readme_screenshot(page, name)


def stored(article_id):
    return Article.objects.get(pk=article_id)


def paste(page, data):
    page.locator(".ProseMirror").evaluate(PASTE, data)


def test_write_illustrate_embed_autosave_reopen_and_publish(browser, live_server, settings, tmp_path):
    serve_uploads_from_the_live_server(settings)
    make_section("Harbour")
    context, page = sign_in(browser, live_server, "mira", name="Mira")
    page.get_by_role("button", name="New story").click()
    page.wait_for_url("**/desk/stories/*/")
    story_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    page.get_by_label("Headline", exact=True).fill("Cranes return to the harbour after the strike")
    page.locator("#summary").fill("Dock workers voted to end a six-week stoppage.")
    body = page.get_by_role("textbox", name="Story text")
    body.click()
    page.keyboard.type("## What happened\nThe port reopened at dawn with **all** cranes working.\n")
    # A rich clipboard, as from a word processor: its styles and scripts do not come along.
    paste(
        page,
        {
            "text/html": '<p style="color:red" onclick="x()">Pasted <b>bold</b> words<script>alert(1)</script></p>',
            "text/plain": "Pasted bold words",
        },
    )

    # A picture from the library, uploaded on the spot.
    photo = tmp_path / "quay.jpg"
    photo.write_bytes(harbour_picture())
    page.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name="Picture from the library"
    ).click()
    page.locator("#picker-upload").set_input_files(str(photo))
    expect(page.locator("#picker-progress")).to_contain_text("done")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator(".desk-node.picture input").first.fill("Cranes on the quay at dawn")
    page.locator(".desk-node.picture input").nth(1).fill("Mira Stenhouse")
    page.locator(".desk-node.picture input").nth(2).fill("Three cranes lift containers at sunrise")

    # A gallery of two pictures from the library.
    second = tmp_path / "ferry.jpg"
    second.write_bytes(harbour_picture((900, 900)))
    body.click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Gallery of several pictures").click()
    page.locator("#picker-upload").set_input_files(str(second))
    expect(page.locator("#picker-progress")).to_contain_text("done")
    page.locator("#picker-grid .desk-tile").nth(1).click()  # the new one is chosen; add the first
    page.get_by_role("button", name="Insert 2 pictures").click()
    expect(page.locator(".ProseMirror figure.gallery .desk-node")).to_have_count(2)

    # A pasted provider link becomes an embed block.
    body.click()
    page.keyboard.press("Control+End")
    paste(page, {"text/plain": YOUTUBE})
    expect(page.locator(".desk-node.embed")).to_contain_text("YouTube")

    expect(page.locator("#save-state")).to_contain_text("Saved", timeout=20_000)
    assert wait_for(lambda: "data-embed-provider" in stored(story_id).body)
    article = stored(story_id)
    assert 'class="picture"' in article.body and "Cranes on the quay at dawn" in article.body
    assert '<figure class="gallery"><figure class="picture">' in article.body
    assert "<strong>bold</strong>" in article.body and "color:red" not in article.body
    assert "script" not in article.body and "onclick" not in article.body
    keep_screenshot(page, "desk-editor")

    # Leaving the page right after typing loses nothing: the last words go with the page.
    page.locator(".ProseMirror p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Last words before closing.")
    page.reload()
    expect(page.get_by_role("textbox", name="Story text")).to_contain_text("Last words before closing.")

    # The closing save and the reopened page can cross; either way the tab's own save is its own.
    assert wait_for(lambda: "Last words before closing." in stored(story_id).body, timeout=60)
    expect(page.locator("#conflict")).to_be_hidden()

    # A dropped network: the words wait on this computer and are saved when it comes back.
    context.set_offline(True)
    page.locator(".ProseMirror h2").click()  # text, not a picture's caption field
    page.keyboard.press("End")
    page.keyboard.type(" Written offline.")
    expect(page.locator("#save-state")).to_contain_text("Offline", timeout=20_000)
    context.set_offline(False)
    saved = wait_for(lambda: "Written offline." in stored(story_id).body, timeout=60)
    assert saved, page.locator("#save-state").inner_text() + " | " + page.locator("#notice").inner_text()

    # Reopen from the dashboard and publish.
    page.goto("/desk/")
    page.get_by_role("link", name="Cranes return to the harbour after the strike").first.click()
    expect(page.get_by_role("textbox", name="Story text")).to_contain_text("Written offline.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#state")).to_have_text("Published")
    article = stored(story_id)
    assert article.is_published()

    # Readers get the picture with srcset and a placeholder for the video, not the player.
    reader = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    story = reader.new_page()
    story.goto(article.get_absolute_url())
    expect(story.locator(".body picture source[type='image/webp']")).to_have_count(3)
    expect(story.locator(".body figure.gallery figure.picture")).to_have_count(2)
    assert story.locator(".body img[data-picture-id]").first.get_attribute("width")
    expect(story.locator(".embed-placeholder")).to_contain_text("YouTube")
    assert story.locator("iframe").count() == 0
    story.get_by_role("link", name="Show the YouTube content here").click()
    expect(story.locator("iframe.embed-frame")).to_have_attribute(
        "src", "/embed/?url=" + quote(YOUTUBE, safe="")
    )
    reader.close()
    context.close()


def test_two_people_on_one_story_see_each_other_and_the_conflict(browser, live_server):
    section = make_section("Harbour")
    article = Article.objects.create(headline="Shared story", section=section, body="<p>Start.</p>")
    ana_context, ana = sign_in(browser, live_server, "ana", name="Ana")
    ben_context, ben = sign_in(browser, live_server, "ben", name="Ben")
    ana.goto(f"/desk/stories/{article.pk}/")
    ben.goto(f"/desk/stories/{article.pk}/")
    expect(ben.locator("#presence")).to_contain_text("Ana is also editing")
    ana.reload()
    expect(ana.locator("#presence")).to_contain_text("Ben is also editing")

    ana.get_by_role("textbox", name="Story text").click()
    ana.keyboard.press("Control+End")
    ana.keyboard.type(" Ana's sentence.")
    ana.get_by_role("button", name="Save now").click()
    expect(ana.locator("#save-state")).to_contain_text("Saved")

    ben.get_by_role("textbox", name="Story text").click()
    ben.keyboard.press("Control+End")
    ben.keyboard.type(" Ben's sentence.")
    ben.get_by_role("button", name="Save now").click()
    dialog = ben.get_by_role("dialog", name="Someone else saved this story")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#conflict-diff .diff-removed")).to_contain_text("Ana's sentence.")
    expect(dialog.locator("#conflict-diff .diff-added")).to_contain_text("Ben's sentence.")
    assert "Ben's sentence." not in stored(article.pk).body  # refused, not overwritten
    keep_screenshot(ben, "desk-conflict")
    ben.get_by_role("button", name="Keep mine (save over theirs)").click()
    expect(ben.locator("#save-state")).to_contain_text("Saved")
    assert "Ben's sentence." in stored(article.pk).body
    ana_context.close()
    ben_context.close()


def test_editor_media_library_and_dashboard_pass_axe(browser, live_server, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from broadsheet.media.services import add_picture

    serve_uploads_from_the_live_server(settings)
    section = make_section("Harbour")
    for n, (w, h) in enumerate([(1200, 675), (900, 900), (1200, 800), (800, 1000), (1400, 700), (1000, 750)]):
        add_picture(
            SimpleUploadedFile(f"p{n}.jpg", harbour_picture((w, h))),
            caption=f"Harbour view {n + 1}",
            alt_text=f"The harbour at dusk, view {n + 1}" if n % 3 else "",
            credit="Desk tests",
        )
    context, page = sign_in(browser, live_server, "rosa", name="Rosa")
    rosa = get_user_model().objects.get(username="rosa")
    rosa_story = Article.objects.create(
        headline="Ferry timetable changes for winter", section=section, created_by=rosa, body="<p>Draft.</p>"
    )
    Article.objects.create(headline="Night ferry returns", section=section, created_by=rosa, status="review")
    context.add_init_script(path=str(AXE))
    problems = {}
    for url in ("/desk/", f"/desk/stories/{rosa_story.pk}/", "/desk/media/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
        if violations:
            problems[url] = violations
    assert not problems, json.dumps(problems, indent=1)
    page.goto("/desk/media/")
    page.locator(".desk-tile").first.click()
    expect(page.get_by_label("Caption")).to_have_value("Harbour view 6")
    keep_screenshot(page, "desk-media-library")
    page.goto("/desk/")
    keep_screenshot(page, "desk-dashboard")
    context.close()
