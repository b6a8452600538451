"""The desk when the server dies mid-edit: the production server runs as a process of its own on
the test database; it is killed (SIGKILL, no goodbye) while an editor types, the editor keeps
the words on the computer and says they are not saved, the server comes back on the same
address, the editor saves what it kept, a reload loses nothing, and the story is published."""

import os
import signal
import time

import pytest
from playwright.sync_api import expect

from broadsheet.desk import services as desk
from broadsheet.newsroom.models import Article
from tests.conftest import make_section, make_user, wait_for
from tests.faults.conftest import bench as faults_bench
from tests.faults.conftest import test_database_url as database_url_of_this_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def a_port():
    """A free port, from BROADSHEET_TEST_PORTS ("9400-9499") on a machine shared between jobs."""
    from bench.common import free_port

    first, _, last = os.environ.get("BROADSHEET_TEST_PORTS", "").partition("-")
    return free_port(range(int(first), int(last) + 1) if first and last else None)


class RealServer:
    """`broadsheet serve --no-worker` on the test database; start() again after kill() on the
    same port and data folder, as an operator's supervisor would."""

    def __init__(self, data_dir):
        from bench.common import serve_command

        self.port = a_port()
        self.env = faults_bench.site_env(
            data_dir,
            database_url=database_url_of_this_run(),
            redis_url=os.environ.get("REDIS_URL", ""),
            BROADSHEET_CACHE_PREFIX=f"bs-desk-crash-{os.getpid()}",
            LOG_LEVEL="WARNING",
        )
        self.command = serve_command(self.port, workers=1)
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        from bench.common import Server

        self.server = Server(self.command, self.env, self.port, timeout=180).__enter__()

    def kill(self):
        """SIGKILL to the whole process group: nothing is flushed, nothing says goodbye."""
        os.killpg(self.server.proc.pid, signal.SIGKILL)
        self.server.proc.wait(timeout=10)

    def stop(self):
        if self.server is not None:
            self.server.stop()


@pytest.fixture
def real_server(tmp_path):
    server = RealServer(tmp_path / "site")
    server.start()
    yield server
    server.stop()


def body_of(story_id):
    return Article.objects.get(pk=story_id).body


def test_the_server_killed_mid_edit_loses_nothing_and_the_story_is_published(browser, real_server):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    editor = make_user("crash-editor", role="Editor")
    # The tests' quick hasher is not one the production server knows: a password it can check.
    editor.password = PBKDF2PasswordHasher().encode("a-long-test-password", PBKDF2PasswordHasher().salt())
    editor.save(update_fields=["password"])
    make_section("Harbour")
    story = desk.new_story(by=editor)
    Article.objects.filter(pk=story.pk).update(headline="Night shift at the container terminal")

    context = browser.new_context(base_url=real_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/desk/")
    page.get_by_label("Username").fill("crash-editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{real_server.url}/desk/")
    page.goto(f"/desk/stories/{story.pk}/")
    text = page.get_by_role("textbox", name="Story text")
    text.click()
    page.keyboard.type("The cranes kept moving after midnight.")
    assert wait_for(lambda: "after midnight" in body_of(story.pk), timeout=30), (
        "the first autosave never arrived"
    )
    expect(page.locator("#save-state")).to_contain_text("Saved at")

    # The server dies; the editor goes on typing.
    real_server.kill()
    page.keyboard.type(" Typed while the server was down.")
    expect(page.locator("#save-state")).to_contain_text("Offline", timeout=20_000)
    expect(page.locator("#save-state")).to_contain_text("kept on this computer")
    kept = page.evaluate("() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join(' ')")
    assert "Typed while the server was down." in kept
    assert "server was down" not in body_of(story.pk)

    # It comes back on the same address: the editor saves what it kept, on its own.
    real_server.start()
    assert wait_for(lambda: "server was down" in body_of(story.pk), timeout=60), page.locator(
        "#save-state"
    ).inner_text()
    expect(page.locator("#save-state")).to_contain_text("Saved at", timeout=20_000)

    # Killed again a moment after the last words, before any autosave could carry them: the
    # editor keeps them, resyncs once the server is back, and a reload shows them.
    page.keyboard.type(" The last words before the second crash.")
    real_server.kill()
    time.sleep(0.5)
    real_server.start()
    assert wait_for(lambda: "second crash" in body_of(story.pk), timeout=60), page.locator(
        "#save-state"
    ).inner_text()
    expect(page.locator("#save-state")).to_contain_text("Saved at", timeout=20_000)
    page.reload()
    expect(text).to_contain_text("The last words before the second crash.")
    expect(text).to_contain_text("Typed while the server was down.")

    # Reopened from scratch, then published.
    page.reload()
    expect(text).to_contain_text("The cranes kept moving after midnight. Typed while the server was down.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#state")).to_have_text("Published")
    article = Article.objects.get(pk=story.pk)
    assert article.is_published() and "second crash" in article.body
    reader = browser.new_context(base_url=real_server.url)
    story_page = reader.new_page()
    story_page.goto(article.get_absolute_url())
    expect(story_page.locator(".body")).to_contain_text("The last words before the second crash.")
    reader.close()
    context.close()
