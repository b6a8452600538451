"""Regression (found by tests/fuzz): a publication date with no UTC equivalent is a bad line, not a
row PostgreSQL stores as year 0 and then cannot read back."""

import io

import pytest
from django.core.management import CommandError, call_command

from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db


def test_date_before_year_one_in_utc_is_reported_and_not_stored(tmp_path):
    path = tmp_path / "edge.jsonl"
    path.write_text(
        '{"external_id": "e1", "title": "Edge", "body": "Text.", "section": "News",'
        ' "published": "0001-01-01T00:00:00+14:00"}\n'
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-articles", str(path), "--no-progress", stdout=io.StringIO(), stderr=err)
    assert "out of range" in err.getvalue()
    assert not Article.objects.exists()
