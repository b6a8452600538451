"""Shared pieces of the fuzz suite: hypothesis settings, hostile-text strategies, wire helpers.

Every property runs each example inside a savepoint that is rolled back (`rolled_back()`), so an
example starts from the same rows and the counts before/after it say exactly what it stored.
Rate limits and the comment flood rule are lifted, so the properties test validation, not throttling.
"""

import contextlib
import os
import tempfile
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis's own caches go to the run's data folder (or a temp folder), never into the repository.
set_hypothesis_home_dir(Path(os.environ.get("BROADSHEET_DATA") or tempfile.gettempdir()) / "hypothesis")

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FEW = settings(FUZZ, max_examples=15)

UNLIMITED = (10**9, 3600)

# --- strategies ------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ufeff",
    "\u202eevil",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "' OR 1=1 --",
    '"; DROP TABLE newsroom_article; --',
    "%00%ff%fe",
    "../../../../etc/passwd",
    "NEAR(harbour council, 2)",
    'harbour AND "council',
    "harbour OR",
    "*",
    "-",
    "^",
    "headline:harbour",
    "body: OR AND NOT",
    "&|!:*()",
    "a <-> b",
    "'''",
    '"""',
    "\\",
    "()()()((",
    "1e309",
    "-1",
    "99999999999999999999999999",
    "0x10",
    "NaN",
    "null",
    "[]",
    "{}",
    "true",
    "😀" * 5,
    "\r\n\r\n",
    "\t",
    "x" * 250,
]
# Lone surrogates can only travel as broken UTF-8 (see `urlencoded`); the app must survive both.
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ANY_CHAR = st.one_of(st.characters(), SURROGATES, st.sampled_from(["\x00", "<", ">", "&", '"', "'", "\n"]))


def huge_text(min_repeat=500, max_repeat=80_000):
    return st.builds(
        lambda s, n: (s * n)[: n * 2],
        st.text(ANY_CHAR, min_size=1, max_size=4),
        st.integers(min_repeat, max_repeat),
    )


def hostile_text(max_size=80):
    """Random text with control characters, NUL bytes, surrogates, markup, SQL and search operators."""
    return st.one_of(
        st.text(ANY_CHAR, max_size=max_size),
        st.sampled_from(HOSTILE),
        st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=5).map(" ".join),
        st.integers().map(str),
        st.floats(allow_nan=True).map(str),
        huge_text(),
    )


def field_value(valid):
    """A value for a field: usually `valid` (a strategy), sometimes hostile, sometimes a list
    (the field sent several times)."""
    broken = st.one_of(hostile_text(), st.lists(hostile_text(20), min_size=2, max_size=3))
    return st.sampled_from([True, True, False]).flatmap(lambda ok: valid if ok else broken)


OMIT = object()


def mutated(valid_fields, *, max_broken=4):
    """A form that starts valid (a strategy per field), then has up to `max_broken` fields
    omitted, made hostile, or sent several times. Keeps the success path in reach."""

    @st.composite
    def build(draw):
        fields = {name: draw(strategy) for name, strategy in valid_fields.items()}
        broken = draw(st.lists(st.sampled_from(sorted(fields)), max_size=max_broken, unique=True))
        for name in broken:
            fields[name] = draw(
                st.one_of(st.just(OMIT), hostile_text(), st.lists(hostile_text(20), min_size=2, max_size=3))
            )
        return fields

    return build()


def maybe_omitted(strategy):
    return st.sampled_from([True, True, True, False]).flatmap(
        lambda keep: strategy if keep else st.just(OMIT)
    )


def is_valid_text(value):
    """Text a person could type and a browser could send: no NUL, no surrogates, no control
    characters (C0, DEL or C1: every stored or shown text drops them, see core.text.clean_text)."""
    return (
        isinstance(value, str)
        and value.strip() != ""
        and not any(
            0xD800 <= ord(c) <= 0xDFFF or (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F
            for c in value
        )
    )


# --- the wire --------------------------------------------------------------------------------


def _bytes(value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")  # a lone surrogate becomes broken UTF-8


def urlencoded(fields):
    """An application/x-www-form-urlencoded body from {name: str | bytes | list}; OMIT drops a field."""
    parts = []
    for name, value in fields.items():
        if value is OMIT:
            continue
        for item in value if isinstance(value, list) else [value]:
            parts.append(quote_plus(_bytes(name)) + "=" + quote_plus(_bytes(item)))
    return "&".join(parts)


def post_form(client, url, fields, *, raw_tail=b""):
    """POST the fields url-encoded; `raw_tail` adds unquoted bytes (e.g. invalid UTF-8) to the body."""
    body = urlencoded(fields).encode("ascii")
    if raw_tail:
        body += b"&" + raw_tail
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


def get_raw(client, path, query_bytes, **extra):
    """GET with a query string of arbitrary bytes, as a WSGI server would hand it over (latin-1)."""
    return client.get(path, QUERY_STRING=query_bytes.decode("latin-1"), **extra)


@contextlib.contextmanager
def rolled_back():
    """One example's writes, undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def no_limits(settings, monkeypatch):
    """Lift the rate limits and the flood rule of every public form."""
    from broadsheet.submissions import views as submissions_views

    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    settings.BROADSHEET_SUBMISSIONS_IP_RATE = UNLIMITED
    settings.BROADSHEET_SUBMISSIONS_EMAIL_RATE = UNLIMITED
    settings.BROADSHEET_SUBMISSIONS_HELD_PER_CLIENT = UNLIMITED
    settings.BROADSHEET_LOGIN_USERNAME_LIMIT = 10**9
    settings.BROADSHEET_LOGIN_IP_LIMIT = 10**9
    settings.BROADSHEET_LOGIN_ACCOUNT_SLOWDOWN_AFTER = 10**9
    monkeypatch.setattr(submissions_views, "PREVIEW_RATE", UNLIMITED)
    return settings
