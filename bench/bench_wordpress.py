"""How fast `broadsheet import-wordpress` moves a site in, and how fast a redirect answers.

    .venv/bin/python bench/bench_wordpress.py                     # 10,000 posts on SQLite
    BENCH_WP_POSTS=10000,100000 .venv/bin/python bench/bench_wordpress.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bs .venv/bin/python bench/bench_wordpress.py

Generates an export shaped like the issue's target (per post: 3 comments, a third of them
replies; one picture for every 5 posts, in an uploads tarball), imports it into a fresh data
folder (and a fresh PostgreSQL database <name>_wp_<n> when DATABASE_URL is PostgreSQL), then
imports it again (nothing changed). Prints wall time and the peak memory (max RSS) of each run,
and the median server time of a redirect answer (Django's whole stack, in process, 2,000
requests over old permalinks). Targets: 100,000 posts in under 15 minutes, peak memory under
500 MiB whatever the size, a second run under a fifth of the first, a redirect under 2 ms.
"""

import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time
from urllib.parse import urlsplit, urlunsplit

from PIL import Image

import common

MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
result = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
elapsed = time.monotonic() - started
tail = [l for l in result.stdout.splitlines() if l.strip()][-8:]
print("\\n".join(tail))
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("measure", elapsed, usage.ru_maxrss, result.returncode, usage.ru_utime + usage.ru_stime)
"""

REDIRECTS = """
import statistics, sys, time
import django
django.setup()
from django.test import Client
from broadsheet.redirects.models import Redirect
paths = list(Redirect.objects.filter(old_path__startswith="/20").values_list("old_path", flat=True)[:2000])
client = Client()
for path in paths[:50]:
    client.get(path)
times = []
for path in paths:
    started = time.perf_counter()
    response = client.get(path)
    times.append(time.perf_counter() - started)
    assert response.status_code == 301, (path, response.status_code)
times.sort()
print(f"redirect: median {statistics.median(times) * 1000:.2f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms over {len(times)} old permalinks")
"""

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench site</title><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
"""
WORDS = ("council harbour bridge tram budget river market school storm ferry museum election festival "
         "workers report plan vote city night morning station road price water energy").split()  # fmt: skip
CATEGORIES = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_export(path, tar_path, posts):
    rng = random.Random(posts)
    pictures = posts // 5
    with tarfile.open(tar_path, "w:gz") as tar:
        for i in range(1, pictures + 1):
            out = io.BytesIO()
            Image.new("RGB", (48, 32), (i % 255, (i * 7) % 255, (i * 13) % 255)).save(out, "JPEG")
            info = tarfile.TarInfo(f"uploads/2024/01/p{i}.jpg")
            info.size = len(out.getvalue())
            tar.addfile(info, io.BytesIO(out.getvalue()))
    comment_id = 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD)
        for a in range(29):
            f.write(f"<wp:author><wp:author_login>writer{a}</wp:author_login><wp:author_email>w{a}@old.example</wp:author_email>"
                    f"<wp:author_display_name><![CDATA[Writer {a}]]></wp:author_display_name></wp:author>\n")  # fmt: skip
        for i in range(1, pictures + 1):
            f.write(f"""<item><title>Picture {i}</title><link>https://old.example/p{i}/</link>
<wp:post_id>{1_000_000 + i}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://old.example/wp-content/uploads/2024/01/p{i}.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2024/01/p{i}.jpg</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Picture {i}</wp:meta_value></wp:postmeta></item>
""")
        for i in range(1, posts + 1):
            day = 1 + i % 28
            date = f"20{10 + i % 14}-{1 + i % 12:02d}-{day:02d} {i % 24:02d}:{i % 60:02d}:00"
            body = "\n\n".join(sentence(rng, 18) for _ in range(6))
            thumb = f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{1_000_000 + i // 5}</wp:meta_value></wp:postmeta>" if i % 5 == 0 else ""  # fmt: skip
            comments = []
            first = comment_id
            for c in range(3):
                parent = first if c == 2 else 0
                comments.append(f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id><wp:comment_author>Reader {comment_id % 500}</wp:comment_author>
<wp:comment_author_email>r{comment_id % 500}@readers.example</wp:comment_author_email><wp:comment_date_gmt>{date}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{sentence(rng, 12)}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>""")
                comment_id += 1
            slug = f"story-{i}"
            f.write(f"""<item><title><![CDATA[{sentence(rng, 7)[:-1]}]]></title><link>https://old.example/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/</link>
<dc:creator>writer{i % 29}</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[{sentence(rng, 10)}]]></excerpt:encoded><wp:post_id>{i}</wp:post_id>
<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_modified_gmt>{date}</wp:post_modified_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="{CATEGORIES[i % 8].lower()}"><![CDATA[{CATEGORIES[i % 8]}]]></category>
<category domain="post_tag" nicename="t{i % 26}"><![CDATA[topic {i % 26}]]></category>{thumb}{"".join(comments)}</item>
""")
        f.write("</channel></rss>\n")
    return pictures, comment_id - 1


def database_for(posts):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'broadsheet'}_wp_{posts}"
    server = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    return urlunsplit(parts._replace(path=f"/{name}"))


def measure(env, *args):
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, common.BROADSHEET, *args], env=env, capture_output=True, text=True
    )
    lines = result.stdout.strip().splitlines()
    _, elapsed, rss, code, cpu = lines[-1].split()
    return float(elapsed), int(rss) / 1024, int(code), "\n".join(lines[:-1]), float(cpu)


def run(posts):
    data = common.TMP / f"bs-bench-wp-{posts}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    export, uploads = data / "export.xml", data / "uploads.tar.gz"
    started = time.monotonic()
    pictures, comments = write_export(export, uploads, posts)
    size = export.stat().st_size / 1024 / 1024
    print(f"{posts:,} posts, {comments:,} comments, {pictures:,} pictures: export {size:.0f} MiB, written in {time.monotonic() - started:.0f}s")
    env = {**os.environ, "BROADSHEET_DATA": str(data), "DJANGO_SETTINGS_MODULE": "broadsheet.settings"}
    env.pop("DATABASE_URL", None)
    database = database_for(posts)
    if database:
        env["DATABASE_URL"] = database
    subprocess.run([common.BROADSHEET, "migrate", "-v0"], env=env, check=True)
    kind = "PostgreSQL" if database else "SQLite"
    first = measure(env, "import-wordpress", str(export), "--uploads", str(uploads), "--no-progress")
    print(first[3])
    print(f"{kind} first run: {first[0]:.0f}s ({posts / first[0]:.0f} posts/s), CPU {first[4]:.0f}s, peak memory {first[1]:.0f} MiB, load {common.load():.1f}")
    second = measure(env, "import-wordpress", str(export), "--uploads", str(uploads), "--no-progress")
    print(f"{kind} second run (nothing changed): {second[0]:.0f}s ({second[0] / first[0] * 100:.0f}% of the first), CPU {second[4]:.0f}s, peak memory {second[1]:.0f} MiB")
    subprocess.run([sys.executable, "-c", REDIRECTS], env=env, check=True)
    if os.environ.get("BENCH_WP_KEEP") != "1":
        shutil.rmtree(data, ignore_errors=True)


def main():
    for posts in common.env_list("BENCH_WP_POSTS", "10000"):
        run(posts)


if __name__ == "__main__":
    main()
