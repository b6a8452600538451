"""A story page reads its authors and tags in one query (both by name) and its corrections only
when it has some; the byline, the tag list and the JSON-LD show what a prefetch would."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.newsroom.models import Correction
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def test_byline_and_tags_come_in_name_order_from_one_query(client):
    story = make_article(
        "Harbour dredging begins",
        authors=["Zoe Quill", "Ada Lane", "Mo Berg"],
        tags=["ships", "harbour", "council"],
    )
    make_article("Another story", authors=["Bea Other"], tags=["zebra"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(story.get_absolute_url()).content.decode()
    people_or_tags = [
        q["sql"] for q in queries if '"newsroom_author"' in q["sql"] or '"newsroom_tag"' in q["sql"]
    ]
    assert len(people_or_tags) == 1
    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'rel="author" href="[^"]+">([^<]+)<', byline) == ["Ada Lane", "Mo Berg", "Zoe Quill"]
    assert "Ada Lane</a>, <a" in byline and "Mo Berg</a> and <a" in byline
    tags = re.search(r'<nav class="tags".*?</nav>', html, re.S).group(0)
    assert re.findall(r'rel="tag">([^<]+)<', tags) == ["council", "harbour", "ships"]
    assert "Bea Other" not in html and "zebra" not in html
    news = next(
        json.loads(body)
        for body in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if '"NewsArticle"' in body
    )
    assert [a["name"] for a in news["author"]] == ["Ada Lane", "Mo Berg", "Zoe Quill"]
    assert news["keywords"] == ["council", "harbour", "ships"]


def test_a_story_without_authors_or_tags_shows_neither(client):
    story = make_article("Unsigned notice")
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'rel="author"' not in html and '<nav class="tags"' not in html


def test_corrections_show_oldest_first(client):
    story = make_article("Ferry fares rise", authors=["Ada Lane"])
    Correction.objects.create(article=story, text="The fare is 3 pounds, not 30.")
    Correction.objects.create(article=story, text="The route opens in May.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("not 30.") < html.index("opens in May.")
