"""Shared infrastructure lives in core and leans on no feature: core imports nothing of newsroom."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "broadsheet" / "core"


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_core_imports_nothing_from_newsroom():
    offending = [
        f"{path.relative_to(CORE)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in imported_modules(path)
        if name == "broadsheet.newsroom" or name.startswith("broadsheet.newsroom.")
    ]
    assert offending == []


def test_clean_text_and_site_url_have_one_home_in_core():
    from broadsheet.api import conf as api_conf
    from broadsheet.comments import conf as comments_conf
    from broadsheet.core import site, text
    from broadsheet.newsroom.text import clean_text
    from broadsheet.submissions import conf as submissions_conf
    from broadsheet.syndication import conf as syndication_conf

    assert clean_text is text.clean_text  # the old name still works for code that imports it
    for conf in (api_conf, comments_conf, submissions_conf, syndication_conf):
        assert conf.site_url is site.site_url


def test_pages_still_show_the_section_navigation(client, db):
    from tests.conftest import make_article, make_section

    make_article(section=make_section("Harbour Desk"))
    assert 'href="/section/harbour-desk/"' in client.get("/").content.decode()
