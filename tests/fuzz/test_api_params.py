"""Fuzzing every API parameter listed in /api/openapi.json: each query parameter, each path id and
the conditional-GET headers. Never a 5xx; a 400 is JSON with a message (and names the parameter)."""

import json
import string
from urllib.parse import quote, urlencode

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from tests.conftest import make_article

from .conftest import FUZZ, get_raw, hostile_text

pytestmark = pytest.mark.django_db

SLUGGY = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=150)
DATES = st.one_of(
    st.dates().map(str), st.sampled_from(["2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31"])
)
NUMBERS = st.one_of(
    st.integers(-5, 200).map(str), st.integers().map(str), st.sampled_from(["1.5", "1e3", " 2", "0x10"])
)
BY_SCHEMA = {
    "integer": NUMBERS,
    "date": DATES,
    "slug": SLUGGY,
    "cursor": st.one_of(
        st.text(string.ascii_letters + string.digits + "-_", max_size=80), st.just("eyJ4IjoxfQ")
    ),
}
IDS = st.one_of(
    st.integers(-10, 10**20).map(str),
    st.sampled_from(["0", "00001", "1.0", "%00", "..", "1;DROP", "9" * 400, "١٢"]),
    hostile_text(60),
)


@pytest.fixture(scope="module")
def api_paths(django_db_blocker):
    from broadsheet.api.schema import openapi_schema

    with django_db_blocker.unblock():
        schema = openapi_schema()
    operations = []
    for path, item in schema["paths"].items():
        params = item["get"].get("parameters", [])
        query = {p["name"]: p["schema"] for p in params if p["in"] == "query"}
        operations.append((path, query))
    return operations


def _kind(schema):
    if schema.get("type") == "integer":
        return "integer"
    if schema.get("format") == "date":
        return "date"
    if "A-Za-z0-9_]{1,500}" in schema.get("pattern", ""):
        return "cursor"
    if schema.get("pattern"):
        return "slug"
    return "text"


def value_for(schema):
    kind = _kind(schema)
    valid = BY_SCHEMA.get(kind, st.text(max_size=30))
    return st.one_of(valid, hostile_text(), st.lists(valid, min_size=2, max_size=3))


def _encode(value):
    return quote(str(value).encode("utf-8", "surrogatepass"), safe="")


def _check(response):
    assert response.status_code < 500, response.content[:300]
    event(f"status {response.status_code}")
    if response.status_code in (400, 404, 405):
        body = json.loads(response.content)
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        if response.status_code == 400:
            assert body["error"].get("parameter")
    elif response.status_code == 200:
        json.loads(response.content)


@pytest.fixture
def content(db):
    from broadsheet.comments.models import Comment

    article = make_article("Harbour council approves the sea wall", tags=["harbour"], authors=["Ada Quill"])
    Comment.objects.create(
        article=article, author_name="Ada", author_email="a@example.org", body="Yes.", status="approved"
    )
    return article


@FUZZ
@given(data=st.data())
def test_every_query_parameter_answers_without_a_server_error(client, content, api_paths, data):
    path, query = data.draw(st.sampled_from(api_paths))
    path = path.replace("{id}", str(content.pk))
    names = data.draw(st.lists(st.sampled_from(sorted(query) or ["x"]), unique=True, max_size=4))
    pairs = []
    for name in names:
        value = data.draw(value_for(query.get(name, {})))
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{_encode(name)}={_encode(item)}")
    if data.draw(st.booleans()):
        pairs.append(f"{_encode(data.draw(hostile_text(20)))}={_encode(data.draw(hostile_text(20)))}")
    headers = {}
    if data.draw(st.booleans()):
        headers["HTTP_IF_NONE_MATCH"] = data.draw(st.text(st.characters(max_codepoint=255), max_size=60))
    if data.draw(st.booleans()):
        headers["HTTP_IF_MODIFIED_SINCE"] = data.draw(
            st.one_of(
                st.just("Wed, 21 Oct 2015 07:28:00 GMT"),
                st.text(st.characters(max_codepoint=255), max_size=40),
            )
        )
    _check(client.get(path, QUERY_STRING="&".join(pairs), **headers))


@FUZZ
@given(
    raw=st.binary(max_size=200),
    endpoint=st.sampled_from(["/api/articles", "/api/tags", "/api/authors", "/api/sources"]),
)
def test_raw_bytes_in_the_query_string_never_fail(client, content, raw, endpoint):
    _check(get_raw(client, endpoint, raw))
    _check(get_raw(client, endpoint, b"q=" + raw))


@FUZZ
@given(
    pk=IDS,
    tail=st.sampled_from(["", "/comments"]),
    query=st.sampled_from(["", "page=0", "page_size=101", "page=2"]),
)
# Found by this test on one run: a slash and a newline took the path out of the API's own 404.
@example(pk="a/b\nc", tail="", query="")
@example(pk="\n/", tail="/comments", query="")
def test_every_path_id_answers_without_a_server_error(client, content, pk, tail, query):
    response = client.get(f"/api/articles/{_encode(pk)}{tail}", QUERY_STRING=query)
    _check(response)
    if response.status_code == 200:
        assert pk.lstrip("0") == str(content.pk)


@FUZZ
@given(
    method=st.sampled_from(["post", "put", "patch", "delete", "options", "head"]),
    path=st.sampled_from(["/api/articles", "/api/", "/api/nope"]),
)
def test_other_methods_are_refused_as_json(client, content, method, path):
    response = getattr(client, method)(path)
    assert response.status_code < 500
    if response.status_code == 405:
        assert json.loads(response.content)["error"]["message"]


def test_a_page_size_over_the_limit_is_a_json_400_naming_the_parameter(client, content):
    response = client.get("/api/articles?" + urlencode({"page_size": "100000"}))
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["parameter"] == "page_size"
