"""How fast `broadsheet seed` fills a fresh database (target: 100,000 articles in under 2 minutes).

    .venv/bin/python bench/bench_seed.py            # 100,000 articles on a fresh SQLite
    BENCH_SEED_ARTICLES=20000 .venv/bin/python bench/bench_seed.py

Prints wall time, the CPU time of the seeding process (steadier than wall time when the machine
is shared) and articles per second. Also checks, on a sample, that the fast HTML path of the
demo bodies gives exactly what render_markdown gives. When done, the seeded folder is kept as
/tmp/bs-bench-data-<n> for bench_pages.py to reuse.
"""

import os
import random
import resource
import shutil
import subprocess
import sys
import time

import common


def check_fast_html(sample):
    """The seed writes demo bodies as HTML without parsing them; it must equal the Markdown output."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    os.environ.setdefault("BROADSHEET_DATA", str(common.TMP / "bs-bench-seed-check"))
    import django

    django.setup()
    from broadsheet.newsroom import demo
    from broadsheet.newsroom.text import render_markdown

    fast = same = 0
    for i in range(sample):
        story = demo.make_story(random.Random(f"1-{i}"), i)
        if story.body_html is not None:
            fast += 1
            same += story.body_html == render_markdown(story.body)
    return fast, same


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    articles = common.env_int("BENCH_SEED_ARTICLES", 100_000)
    sample = common.env_int("BENCH_SEED_CHECK", 2000)
    print(f"Seeding {articles:,} articles on a fresh {common.database_label()} (seed 1)", flush=True)
    data = common.fresh_dir(f"seed-{articles}")
    common.manage(data, "migrate", "--noinput")
    load_before = common.load()
    cpu_before = cpu_of_children()
    started = time.monotonic()
    subprocess.run(
        [common.BROADSHEET, "seed", "--articles", str(articles), "--no-progress"],
        env=common.data_env(data),
        cwd=common.ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.monotonic() - started
    cpu = cpu_of_children() - cpu_before
    load_after = common.load()
    db = data / "broadsheet.sqlite3"
    size = f"{db.stat().st_size / 2**20:.0f} MiB" if db.exists() else "-"
    print(
        common.table(
            ["articles", "wall s", "CPU s", "articles/s (wall)", "articles/s (CPU)", "database", "load 1m"],
            [
                [
                    f"{articles:,}",
                    f"{wall:.1f}",
                    f"{cpu:.1f}",
                    f"{articles / wall:,.0f}",
                    f"{articles / cpu:,.0f}",
                    size,
                    f"{load_before:.1f} -> {load_after:.1f}",
                ]
            ],
        )
    )
    verdict = "under" if wall < 120 else "OVER"
    print(f"{verdict} the 2-minute target for 100,000 (scaled: {wall * 100_000 / articles:.0f}s)")

    fast, same = check_fast_html(sample)
    print(
        f"Fast HTML path: used for {fast}/{sample} sample bodies, identical to render_markdown for {same}/{fast}"
    )

    keep = common.TMP / f"bs-bench-data-{articles}"
    if common.database_label() == "SQLite":
        shutil.rmtree(keep, ignore_errors=True)
        data.rename(keep)
        print(f"Kept the seeded folder as {keep} for bench_pages.py")
    return 0 if same == fast else 1


if __name__ == "__main__":
    sys.exit(main())
