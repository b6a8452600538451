"""The desk's figures: editor JavaScript size, autosave server time, the media library over
100,000 pictures, and renditions for a 24-megapixel upload.

Builds its own database in /tmp/bs-desk-bench (or DATABASE_URL if set) and times the desk's
endpoints in-process with Django's test client (server time only, no network). Prints figures;
asserts nothing about time.

    .venv/bin/python bench/bench_desk.py [--pictures 100000] [--saves 200]
"""

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BENCH_DESK_DATA", "/tmp/bs-desk-bench"))
BUNDLE = ROOT / "src" / "broadsheet" / "desk" / "static" / "desk" / "build"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def summary(times):
    times = sorted(times)
    return f"median {ms(statistics.median(times))}, p95 {ms(times[int(len(times) * 0.95) - 1])}"


def bundle_sizes():
    if not (BUNDLE / "editor.js").exists():
        print("Bundle missing: run `make desk-bundle` first.")
        return
    for name in ("editor.js", "library.js"):
        raw = (BUNDLE / name).read_bytes()
        line = f"{name}: {len(raw) / 1024:.0f} KB minified, {len(gzip.compress(raw, 9)) / 1024:.0f} KB gzip"
        try:
            import brotli

            line += f", {len(brotli.compress(raw)) / 1024:.0f} KB brotli"
        except ImportError:
            pass
        print(line)


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        shutil.rmtree(DATA, ignore_errors=True)
    os.environ.setdefault("BROADSHEET_DATA", str(DATA))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    os.environ["BROADSHEET_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["BROADSHEET_PLAIN_STATIC"] = "true"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def editor_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.force_login(user)
    return client


def autosave(client, saves):
    from django.urls import reverse

    from broadsheet.newsroom.models import Article, Section

    section, _ = Section.objects.get_or_create(name="Bench")
    paragraphs = "".join(
        f"<p>Paragraph {n} of a long story about the harbour and its cranes.</p>" for n in range(60)
    )
    article = Article.objects.create(headline="Autosave bench", section=section, body=paragraphs)
    url = reverse("desk:save", args=[article.pk])
    version = article.version
    times, cpu = [], []
    for n in range(saves):
        fields = {
            "headline": "Autosave bench",
            "summary": "A dek.",
            "body": paragraphs + f"<p>Typed {n}</p>",
            "slug": article.slug,
            "section": section.pk,
            "language": "en",
            "tags": ["harbour", "cranes"],
            "authors": [],
            "comments_open": True,
        }
        body = json.dumps({"version": version, "fields": fields, "action": "save", "client": "bench"})
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post(url, body, content_type="application/json")
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.content[:300]
        version = response.json()["story"]["version"]
    print(
        f"Autosave round trip, server time ({saves} saves of a {len(paragraphs) // 1000} KB body): "
        f"wall {summary(times)}; CPU {summary(cpu)}"
    )


def library(client, count):
    from django.urls import reverse

    from broadsheet.media.models import Picture

    existing = Picture.objects.count()
    words = [
        "harbour",
        "ferry",
        "council",
        "crane",
        "storm",
        "market",
        "school",
        "bridge",
        "festival",
        "quay",
    ]
    started = time.perf_counter()
    batch = []
    for n in range(existing, count):
        w = words[n % len(words)]
        batch.append(
            Picture(
                file=f"pictures/bench/{n}.jpg",
                width=1600,
                height=900,
                title=f"{w.title()} picture {n}",
                alt_text=f"A {w} seen from the water, number {n}",
                caption=f"The {w} on day {n % 365}",
                credit="Bench",
                content_hash=f"{n:064d}",
            )
        )
        if len(batch) == 5000:
            Picture.objects.bulk_create(batch)
            batch = []
    Picture.objects.bulk_create(batch)
    print(f"Library: {Picture.objects.count():,} pictures (made in {time.perf_counter() - started:.1f}s)")
    url = reverse("desk:media:pictures")
    for label, params in (
        ("newest, page 1", {}),
        ("newest, page 20", {"page": 20}),
        ("search 'harbour', page 1", {"q": "harbour"}),
        ("search 'day 17', page 1", {"q": "day 17"}),
        ("search with no match", {"q": "zeppelin"}),
        ("month filter", {"month": time.strftime("%Y-%m")}),
    ):
        times = []
        for _ in range(15):
            started = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(f"  list {label}: {summary(times)} ({len(response.json()['results'])} on the page)")


def renditions():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from broadsheet.media import services

    width, height = 6000, 4000
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 4):
        draw.line([(0, y), (width, y)], fill=(40 + y * 200 // height, 90, 160 - y * 100 // height))
    for x in range(0, width, 150):
        draw.rectangle([x, height // 2, x + 70, height // 2 + (x * 7) % 900], fill=(x % 255, 60, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    data = out.getvalue()
    print(f"24 MP upload: {width}x{height}, {len(data) / 1e6:.1f} MB JPEG")
    started = time.perf_counter()
    picture = services.add_picture(SimpleUploadedFile("big.jpg", data, "image/jpeg"))
    request_time = time.perf_counter() - started
    started = time.perf_counter()
    made = services.make_renditions(picture)
    background = time.perf_counter() - started
    formats = sorted({r["format"] for r in made})
    print(f"  in the request (verify, re-encode, store the original): {ms(request_time)}")
    print(
        f"  renditions in the background worker: {background:.2f} s for {len(made)} files ({', '.join(formats)})"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pictures", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--only", choices=["autosave", "library", "renditions"], default=None)
    args = parser.parse_args()
    bundle_sizes()
    setup_django()
    from django.db import connection

    print(f"Database: {connection.vendor}")
    client = editor_client()
    if args.only in (None, "autosave"):
        autosave(client, args.saves)
    if args.only in (None, "library"):
        library(client, args.pictures)
    if args.only in (None, "renditions"):
        renditions()


if __name__ == "__main__":
    main()
