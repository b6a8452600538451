"""Redis stopped under the real server: pages keep coming from the database, then the cache
comes back by itself once Redis does."""

import pytest

from tests.conftest import make_article, wait_for

from .conftest import bench, real_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_answer_from_the_database_while_redis_is_stopped_and_caching_resumes(private_redis, tmp_path):
    article = make_article("Served with or without a cache")
    paths = ["/", article.get_absolute_url()]
    with real_server(tmp_path / "site", redis_url=private_redis.url()) as server:
        for path in paths:
            assert wait_for(lambda p=path: bench.fetch(server.port, p) == (200, "HIT"))
        assert int(private_redis.cli("dbsize")) > 0

        private_redis.stop()
        answers = [bench.fetch(server.port, path) for _ in range(5) for path in paths]
        assert {status for status, _label in answers} == {200}
        assert "HIT" not in {label for _status, label in answers}

        private_redis.start()
        for path in paths:
            assert wait_for(lambda p=path: bench.fetch(server.port, p) == (200, "HIT"))
        assert int(private_redis.cli("dbsize")) > 0
