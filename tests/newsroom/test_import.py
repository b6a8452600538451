"""`broadsheet import-articles`: idempotent by external_id, bad lines reported, good ones kept."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from broadsheet.newsroom.models import Article, Section, Source, Tag

pytestmark = pytest.mark.django_db


def line(**overrides):
    record = {
        "external_id": "wire-1",
        "title": "Dockworkers end strike after nine days",
        "body": "The strike at the *container port* ended on Friday.",
        "section": "Business",
        "published": "2026-11-20T08:30:00+00:00",
        "source": "Harbor Ledger",
        "source_url": "https://harbor.example/strike-ends",
        "author": "Mira Stone",
        "tags": ["ports", "labour"],
        "summary": "Nine days of stoppage end with a pay deal.",
        "language": "en",
    }
    record.update(overrides)
    return json.dumps(record)


def run_import(tmp_path, lines, capsys, *, bad=False):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if bad:
        with pytest.raises(CommandError, match="bad lines were not imported"):
            call_command("import-articles", str(path), "--no-progress")
    else:
        call_command("import-articles", str(path), "--no-progress")
    return capsys.readouterr()


def test_import_creates_everything_it_needs(tmp_path, capsys):
    run_import(tmp_path, [line()], capsys)
    article = Article.objects.get(external_id="wire-1")
    assert article.is_published()
    assert article.section.name == "Business"
    assert article.source == Source.objects.get(name="Harbor Ledger")
    assert set(article.tags.values_list("name", flat=True)) == {"ports", "labour"}
    assert article.authors.get().name == "Mira Stone"
    assert "<em>container port</em>" in article.body_html


def test_same_external_id_updates_instead_of_duplicating(tmp_path, capsys):
    run_import(tmp_path, [line()], capsys)
    out = run_import(tmp_path, [line(title="Dockworkers end strike with pay deal")], capsys)
    assert Article.objects.filter(external_id="wire-1").count() == 1
    assert Article.objects.get(external_id="wire-1").headline == "Dockworkers end strike with pay deal"
    assert "updated 1" in out.out
    assert Section.objects.filter(name="Business").count() == 1
    assert Tag.objects.filter(name="ports").count() == 1


def test_bad_lines_are_reported_with_numbers_and_good_lines_imported(tmp_path, capsys):
    lines = [
        line(external_id="good-1"),
        "{not json",
        line(external_id="bad-date", published="next Tuesday"),
        json.dumps({"external_id": "no-body", "title": "x", "section": "World", "published": "2026-01-01"}),
        line(external_id="huge", body="x" * 300_000),
        line(external_id="bad-url", source_url="javascript:alert(1)"),
        line(external_id="bad-tags", tags={"a": 1}),
        '["a list"]',
        line(external_id="good-2", title="Second good line"),
        line(external_id="nul\x00id", title="Has a NUL \x00 byte"),
    ]
    out = run_import(tmp_path, lines, capsys, bad=True)
    assert set(Article.objects.values_list("external_id", flat=True)) == {"good-1", "good-2", "nulid"}
    for number in (2, 3, 4, 5, 6, 7, 8):
        assert f"line {number}:" in out.err
    assert "missing field 'body'" in out.err
    assert "too long" in out.err


def test_html_in_imported_body_is_sanitised(tmp_path, capsys):
    run_import(tmp_path, [line(body='<script>alert(1)</script><p onclick="x()">Hi</p>')], capsys)
    html = Article.objects.get().body_html
    assert "<script" not in html and "onclick" not in html and "Hi" in html


def test_import_of_a_missing_file_fails_clearly():
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import-articles", "/nonexistent/file.jsonl", "--no-progress")


@pytest.mark.django_db(transaction=True)
def test_command_exits_non_zero_when_a_line_was_bad_but_keeps_the_good_ones(tmp_path):
    from tests.faults.conftest import test_database_url

    path = tmp_path / "mixed.jsonl"
    path.write_text(line(external_id="good-1") + "\n{not json\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SECRET_KEY")}
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        DATABASE_URL=test_database_url(),
        BROADSHEET_DATA=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "import-articles", str(path), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "line 2:" in result.stderr and "Imported 1 new" in result.stdout
    assert Article.objects.filter(external_id="good-1").exists()


def test_imported_story_keeps_its_dates_and_is_not_marked_updated(tmp_path, capsys, client):
    run_import(tmp_path, [line(published="2024-03-05T08:00:00+00:00")], capsys)
    article = Article.objects.get(external_id="wire-1")
    assert article.updated_at == article.publish_at
    assert not article.was_updated()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" not in page
