"""`broadsheet export-articles`: the import format back out; export, import into an empty site,
export again gives the same lines."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from broadsheet.newsroom.models import Article, Author, Section, Source, Tag
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def export(tmp_path, name="out.jsonl"):
    path = tmp_path / name
    call_command("export-articles", str(path), stdout=io.StringIO())
    return path.read_text(encoding="utf-8")


def test_export_writes_the_import_format_with_updated(tmp_path):
    article = make_article("Port reopens", tags=["ports"], authors=["Mira Stone"], body="<p>Ships sail again.</p>")
    make_article("Unfinished", status="draft")
    lines = export(tmp_path).splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["title"] == "Port reopens" and record["body"] == "<p>Ships sail again.</p>"
    assert record["tags"] == ["ports"] and record["author"] == "Mira Stone"
    assert record["published"] == article.publish_at.isoformat()
    assert record["updated"] == Article.objects.get(pk=article.pk).updated_at.isoformat()


def test_round_trip_gives_the_same_content(tmp_path):
    source = Source.objects.create(name="Harbor Ledger")
    make_article("Şehir köprüsü açıldı", tags=["köprü", "city"], authors=["Ayla Demir"], source=source,
                 source_url="https://harbor.example/a", summary="Kısa özet.", language="tr")
    make_article("Second story", body="Markdown *body*.\n\nTwo paragraphs.", external_id="wire-9")
    first = export(tmp_path, "first.jsonl")
    Article.objects.all().delete()
    for model in (Section, Source, Tag, Author):
        model.objects.all().delete()
    path = tmp_path / "first.jsonl"
    call_command("import-articles", str(path), "--no-progress", stdout=io.StringIO())
    second = export(tmp_path, "second.jsonl")
    assert second == first


def test_updated_is_read_by_import(tmp_path):
    record = {
        "external_id": "x-1", "title": "A story", "body": "Words.", "section": "News",
        "published": "2025-01-01T08:00:00+00:00", "updated": "2025-02-01T09:30:00+00:00",
    }  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps({**record, "external_id": "x-2", "updated": "soon"}) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad lines"):
        call_command("import-articles", str(path), "--no-progress", stdout=io.StringIO(), stderr=err)
    assert Article.objects.get(external_id="x-1").updated_at.isoformat() == "2025-02-01T09:30:00+00:00"
    assert "line 2: 'updated' is not an ISO 8601" in err.getvalue()
