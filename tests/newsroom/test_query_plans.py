"""Every public page type reads articles through an index, never a full scan (EXPLAIN on PostgreSQL).

The test data is small, so the planner would happily scan; with enable_seqscan off, a scan
that remains in a plan means no index can serve that query.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.newsroom.models import Source
from tests.conftest import make_article, make_section

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BIG_TABLES = ("newsroom_article", "newsroom_article_tags", "newsroom_article_authors")


def page_urls():
    section = make_section("World")
    source = Source.objects.create(name="Granite Gazette")
    articles = [
        make_article(f"Harbour story {i}", section=section, tags=["ports"], authors=["Ida Vale"], source=source)
        for i in range(30)
    ]
    now = timezone.now()
    return [
        "/",
        articles[5].get_absolute_url(),
        "/section/world/",
        "/tag/ports/",
        "/author/ida-vale/",
        source.get_absolute_url(),
        f"/archive/{now.year}/",
        f"/archive/{now.year}/{now.month}/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        "/search/?q=harbour",
        "/api/articles",
        f"/api/articles/{articles[5].pk}",
    ]


def scanned_tables(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {table for table in re.findall(r"Seq Scan on (\w+)", plan) if table in BIG_TABLES}, plan


def test_every_page_type_uses_indexes(client):
    checked = 0
    for url in page_urls():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(t in sql for t in BIG_TABLES):
                continue
            # The captured SQL has its parameters inlined; EXPLAIN it as written.
            tables, plan = scanned_tables(sql, None)
            assert not tables, f"{url} scans {tables}:\n{sql}\n{plan}"
            checked += 1
    assert checked >= 10
