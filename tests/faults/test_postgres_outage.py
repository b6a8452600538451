"""The database cuts the site's connections under a write load (as a restart or failover does):
the site answers again by itself, never with a 500, and every comment it acknowledged is stored.

The connections are cut with pg_terminate_backend from the test's own connection: the shared
PostgreSQL server itself is never restarted by a test.
"""

import re
import time

import pytest
from django.db import connection

from broadsheet.comments.models import Comment
from tests.conftest import make_article

from .conftest import bench, real_server

pytestmark = pytest.mark.django_db(transaction=True)

CUT = """
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


def cut_connections():
    with connection.cursor() as cursor:
        cursor.execute(CUT)
        return cursor.fetchone()[0]


@pytest.mark.postgres(reason="cuts PostgreSQL backends; SQLite has no connections to cut")
def test_site_reconnects_after_its_connections_are_cut_and_keeps_every_acknowledged_comment(tmp_path):
    article = make_article("Comments through a failover")
    with real_server(tmp_path / "site") as server:
        load = bench.CommentLoad(
            server.port, article.pk, article.get_absolute_url(), clients=4, seconds=4, run="cut"
        )
        threads = load.run()
        time.sleep(max(0.0, load.start_at - time.monotonic()))
        cut = 0
        for _ in range(3):
            time.sleep(1.0)
            cut += cut_connections()
        for thread in threads:
            thread.join(timeout=60)

        assert cut > 0
        assert cut_connections() > 0  # the idle server's own connections, cut between requests
        assert bench.fetch(server.port, "/healthz")[0] == 200
        assert bench.fetch(server.port, article.get_absolute_url(), nocache=True)[0] == 200

    bodies = Comment.objects.filter(article=article).values_list("body", flat=True)
    stored = {marker for body in bodies for marker in re.findall(r"cutx\d+x\d+", body)}
    assert load.acknowledged()
    assert load.acknowledged() <= stored
    assert load.count("refused") == 0, load.reasons()
    assert all(reason.startswith("HTTP 503 +Retry-After") for reason in load.reasons()), load.reasons()
