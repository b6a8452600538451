"""The desk's editor reloaded while a save it sent is still on its way: every word typed stays,
the tab's own save is never a conflict with itself, and someone else's save still is."""

import threading

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from broadsheet.desk import services
from tests.conftest import make_section, make_user, wait_for
from tests.desk.conftest import story_fields

from .test_desk import sign_in, stored

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class HeldSaves:
    """Holds the editor's saves at the server's door (the live server runs in this process), so a
    test can reload the page while one is on its way."""

    def __init__(self, real):
        self.real = real
        self.door = threading.Event()
        self.door.set()
        self.arrived = threading.Semaphore(0)

    def __call__(self, *args, **kwargs):
        door = self.door
        if not door.is_set():
            self.arrived.release()
            door.wait(30)
        return self.real(*args, **kwargs)

    def hold(self):
        self.door = threading.Event()

    def wait_for_one(self):
        assert self.arrived.acquire(timeout=15), "no save reached the server"

    def let_go(self):
        self.door.set()


@pytest.fixture
def held_saves(monkeypatch, settings):
    settings.BROADSHEET_DESK_AUTOSAVE_SECONDS = 3600  # saves go when the test says, by "Save now"
    held = HeldSaves(services.save_story)
    monkeypatch.setattr(services, "save_story", held)
    yield held
    held.let_go()


def open_story(browser, live_server, body="<p>Start.</p>"):
    from broadsheet.newsroom.models import Article

    article = Article.objects.create(headline="Night ferry", section=make_section("Harbour"), body=body)
    context, page = sign_in(browser, live_server, "mira", name="Mira")
    page.goto(f"/desk/stories/{article.pk}/")
    return article, context, page


def type_at_end(page, text):
    page.get_by_role("textbox", name="Story text").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_a_reload_while_the_tabs_saves_are_on_their_way_keeps_every_word_without_a_conflict(
    browser, live_server, held_saves
):
    article, context, page = open_story(browser, live_server)
    story_text = page.get_by_role("textbox", name="Story text")
    type_at_end(page, " Alpha.")
    held_saves.hold()
    page.get_by_role("button", name="Save now").click()
    held_saves.wait_for_one()
    type_at_end(page, " Bravo.")  # typed while that save is on its way
    held_saves.let_go()
    assert wait_for(lambda: "Alpha." in stored(article.pk).body)
    expect(page.locator("#save-state")).to_contain_text("Unsaved")

    # Reload: the new page is served before the save the old one sends as it goes (held here).
    held_saves.hold()
    page.reload()
    held_saves.wait_for_one()
    expect(story_text).to_contain_text("Alpha. Bravo.")
    held_saves.let_go()
    assert wait_for(lambda: "Bravo." in stored(article.pk).body)

    # The cache may have dropped anything meanwhile; the tab's own save is still its own.
    cache.clear()
    type_at_end(page, " Charlie.")
    page.get_by_role("button", name="Save now").click()
    expect(page.locator("#save-state")).to_contain_text("Saved")
    expect(page.locator("#conflict")).to_be_hidden()
    assert "Start. Alpha. Bravo. Charlie." in stored(article.pk).body
    expect(story_text).to_contain_text("Start. Alpha. Bravo. Charlie.")
    context.close()


def test_a_reload_during_the_closing_save_still_shows_someone_elses_save_as_a_conflict(
    browser, live_server, held_saves
):
    article, context, page = open_story(browser, live_server)
    type_at_end(page, " Alpha.")
    held_saves.hold()
    page.reload()  # the closing save carries " Alpha."; the new page is served before it lands
    held_saves.wait_for_one()
    expect(page.get_by_role("textbox", name="Story text")).to_contain_text("Start. Alpha.")
    held_saves.let_go()
    assert wait_for(lambda: "Alpha." in stored(article.pk).body)

    # Then another editor saves, from another tab.
    mine = stored(article.pk)
    held_saves.real(
        mine.pk,
        story_fields(mine, body="<p>Start. Alpha. Ben's line.</p>"),
        base_version=mine.version,
        by=make_user("ben", role="Editor"),
        client="bens-tab",
        seq=1,
    )
    type_at_end(page, " Charlie.")
    page.get_by_role("button", name="Save now").click()
    dialog = page.get_by_role("dialog", name="Someone else saved this story")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#conflict-diff .diff-removed")).to_contain_text("Ben's line.")
    assert "Charlie." not in stored(article.pk).body  # refused, not overwritten
    page.get_by_role("button", name="Keep mine (save over theirs)").click()
    expect(page.locator("#save-state")).to_contain_text("Saved")
    assert "Start. Alpha. Charlie." in stored(article.pk).body
    context.close()
