"""Fuzzing `broadsheet import-articles`: random JSON-ish lines (objects with random types, broken
JSON, huge fields, bad bytes). It raises nothing but CommandError, and every article stored is whole:
a headline, a section, and body_html rendered from its body."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import event, given
from hypothesis import strategies as st

from broadsheet.newsroom.importing import MAX_BODY
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.text import render_markdown

from .conftest import FEW, FUZZ, HOSTILE, hostile_text, rolled_back

pytestmark = pytest.mark.django_db

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text(60),
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
PUBLISHED = st.one_of(
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "2024-02-30",
            "yesterday",
            "2024-05-31T25:00",
        ]
    ),
)
VALID = {
    "external_id": st.one_of(st.text(min_size=1, max_size=20), st.integers(0, 10**6)),
    "title": st.text(min_size=1, max_size=80),
    "body": st.text(min_size=1, max_size=300),
    "section": st.sampled_from(["News", "news", "Sport", " News ", "Ünïcode"]),
    "published": PUBLISHED,
    "source": st.sampled_from(["", "The Courier", "the courier"]),
    "source_url": st.sampled_from(["", "https://example.org/a", "javascript:alert(1)", "ftp://x"]),
    "author": st.sampled_from(["", "Ada Quill", "<b>Ada</b>"]),
    "tags": st.one_of(st.lists(st.text(max_size=20), max_size=5), st.just("a, b, ,c")),
    "summary": st.text(max_size=80),
    "language": st.sampled_from(["en", "de", "", "x" * 20]),
}


@st.composite
def record(draw, *, required_valid=False):
    """A JSON object: valid fields, some dropped, some given a random type, maybe a huge one."""
    data = {}
    for name, valid in VALID.items():
        how = draw(st.sampled_from(["valid"] * 6 + ["omit", "wrong", "hostile"]))
        if required_valid and name in ("external_id", "title", "body", "section", "published"):
            how = "valid"
        if how == "valid":
            data[name] = draw(valid)
        elif how == "wrong":
            data[name] = draw(ANY_JSON)
        elif how == "hostile":
            data[name] = draw(hostile_text())
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(["title", "body", "section", "external_id"]))] = "w " * (MAX_BODY // 2 + 10)
    if draw(st.booleans()):
        data[draw(st.text(max_size=8))] = draw(ANY_JSON)
    return data


def _json_line(obj):
    return json.dumps(obj, allow_nan=True).encode("utf-8")


LINES = st.one_of(
    record().map(_json_line),
    record().map(_json_line),
    record().map(_json_line),
    record().map(lambda r: _json_line(r)[: len(_json_line(r)) // 2]),  # cut short
    ANY_JSON.map(_json_line),  # valid JSON that is not an object
    st.binary(max_size=80),
    st.sampled_from(HOSTILE).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.just(
        b'{"external_id": "s", "title": "\\ud800", "body": "\\u0000x", "section": "N", "published": "2024-01-01"}'
    ),
    st.just(b"\xef\xbb\xbf{}"),
)


def _assert_articles_whole():
    for article in Article.objects.select_related("section"):
        assert article.headline.strip(), f"article {article.pk} has no headline"
        assert article.section_id and article.section.name.strip()
        assert article.body.strip() and article.body_html == render_markdown(article.body)
        assert "\x00" not in article.headline + article.body


def _run(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-articles", str(path), "--no-progress", stdout=out, stderr=err)
    except CommandError:
        event("CommandError")
    return out.getvalue(), err.getvalue()


@FUZZ
@given(lines=st.lists(LINES, min_size=1, max_size=8), newline=st.sampled_from([b"\n", b"\r\n"]))
def test_import_of_random_lines_raises_only_command_error_and_stores_whole_articles(tmp_path, lines, newline):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(newline.join(lines))
    with rolled_back():
        _run(path)
        event(f"{Article.objects.count()} articles stored")
        _assert_articles_whole()


@FEW
@given(records=st.lists(record(required_valid=True), min_size=2, max_size=5))
def test_importing_the_same_lines_twice_updates_and_never_duplicates(tmp_path, records):
    path = tmp_path / "twice.jsonl"
    path.write_bytes(b"\n".join(_json_line(r) for r in records))
    with rolled_back():
        _run(path)
        first = Article.objects.count()
        _run(path)
        assert Article.objects.count() == first
        assert Article.objects.values("external_id").distinct().count() == first
        _assert_articles_whole()


def test_a_line_over_the_size_limit_is_reported_not_stored(tmp_path):
    path = tmp_path / "huge.jsonl"
    huge = {
        "external_id": "h",
        "title": "Huge",
        "body": "w " * 600_000,
        "section": "News",
        "published": "2024-01-01",
    }
    path.write_bytes(_json_line(huge))
    with pytest.raises(CommandError):
        call_command(
            "import-articles", str(path), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not Article.objects.exists()
