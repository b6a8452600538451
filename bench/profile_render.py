"""Where a full render's time goes, in one process: CPU ms and queries per page, and a profile.

    .venv/bin/python bench/profile_render.py [DATA_DIR]
    PROFILE_PAGES=story,home,/a/path/ PROFILE_REQUESTS=200 PROFILE_TOP=40 .venv/bin/python bench/profile_render.py

Renders the home page and a story page through Django's test client with the fragment cache
off and the page cache bypassed (the same full render bench_edge.py measures behind a server),
prints CPU ms per page (time.process_time) and the queries each page runs, then the functions
that take the most time (cProfile, sorted by cumulative time) when PROFILE_TOP is set. The data
folder is bench_edge's seeded one (BENCH_EDGE_ARTICLES stories) unless given.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main():
    articles = common.env_int("BENCH_EDGE_ARTICLES", 1000)
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else common.seeded_dir(articles)
    os.environ.update(
        common.data_env(
            data,
            BROADSHEET_FRAGMENTS="false",
            BROADSHEET_PLAIN_STATIC="1",
            LOG_LEVEL="WARNING",
            DEBUG="false",
        )
    )
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from broadsheet.newsroom.models import Article

    story = Article.objects.published().order_by("-publish_at")[20]
    pages = {"home": "/", "story": story.get_absolute_url()}
    wanted = os.environ.get("PROFILE_PAGES", "home,story").split(",")
    count = common.env_int("PROFILE_REQUESTS", 200)
    top = common.env_int("PROFILE_TOP", 0)
    client = Client(HTTP_COOKIE="bs_nocache=1")
    print(f"profile_render: {common.database_label()}, {count} requests per page, load {common.load():.1f}")
    for name in wanted:
        path = pages.get(name, name)  # or a path of its own ("/about-nothing/")
        for _ in range(10):  # warm: templates compiled, connections open
            client.get(path)
        queries = []

        def record(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = client.get(path)
        print(
            "   ",
            {k: v for k, v in response.items() if k.lower() in ("cache-control", "x-cache", "surrogate-key")},
        )
        started = time.process_time()
        for _ in range(count):
            client.get(path)
        cpu_ms = 1000 * (time.process_time() - started) / count
        print(f"  {name:6} {path}: {cpu_ms:.2f} ms CPU, {len(queries)} queries")
        if os.environ.get("PROFILE_SQL"):
            for sql in queries:
                print("     ", sql[:220])
        if top:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(count):
                client.get(path)
            profile.disable()
            if os.environ.get("PROFILE_DUMP"):
                profile.dump_stats(os.environ["PROFILE_DUMP"] + "." + name)
            pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(top)


if __name__ == "__main__":
    main()
