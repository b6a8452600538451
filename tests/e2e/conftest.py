"""Browser tests: Playwright driving Debian's Chromium against a live Broadsheet server.

Chromium is looked for at /usr/bin/chromium (Debian's) or Playwright's own browser. When none
is found the tests are skipped loudly; with BROADSHEET_REQUIRE_BROWSER=1 (set by .ci/run) a
missing browser is a failure instead.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests
# make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# The README's pictures are written over only when asked (BROADSHEET_DOCS_SCREENSHOTS=1): an
# ordinary run keeps its copies with the other screenshots, so a test run leaves the tree clean.
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def readme_screenshot(shown, name):
    """Save `shown` (a page or a locator) as the README's picture `name` (or, in an ordinary
    run, beside the other screenshots)."""
    folder = DOCS_SCREENSHOTS if os.environ.get("BROADSHEET_DOCS_SCREENSHOTS") == "1" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    shown.screenshot(path=str(folder / f"{name}.png"))


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
]


def find_chromium():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or executable is None:
        message = "BROWSER TESTS SKIPPED: no Chromium found (apt-get install chromium) or playwright missing"
        if os.environ.get("BROADSHEET_REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("SKIPPED", "FAILED"))
        print("\n" + "!" * 80 + "\n" + message + "\n" + "!" * 80)
        pytest.skip(message)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    """The live server commits, so the fragment cache can be on as it is in production."""
    from broadsheet import pagecache
    from broadsheet.pagecache import fragments

    settings.BROADSHEET_FRAGMENTS = True
    fragments.reset()
    pagecache.invalidate()
    yield
    fragments.reset()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def dark_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, color_scheme="dark", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
