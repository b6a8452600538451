"""Near-duplicate check figures: fingerprint speed, and lookup time against many stored articles.

Builds its own SQLite database in /tmp/bs-submissions-bench (or DATABASE_URL if set), writes N
synthetic articles, fingerprints them, then times closest_matches() for submissions that copy,
edit or ignore those articles. Prints figures; asserts nothing about time.

    .venv/bin/python bench/bench_submissions.py [--articles 5000] [--lookups 50]
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/tmp/bs-submissions-bench")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--lookups", type=int, default=50)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        shutil.rmtree(DATA, ignore_errors=True)
    os.environ.setdefault("BROADSHEET_DATA", str(DATA))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    os.environ["BROADSHEET_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from broadsheet.newsroom.models import Article, Section
    from broadsheet.submissions import duplicates
    from broadsheet.submissions.fingerprints import signature
    from broadsheet.submissions.models import Fingerprint, FingerprintBand, Submission

    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(20000)]

    def text(words=400):
        return " ".join(rng.choice(vocabulary) for _ in range(words))

    section, _ = Section.objects.get_or_create(name="Bench")
    Article.objects.filter(section=section).delete()
    bodies = [text() for _ in range(args.articles)]
    Article.objects.bulk_create(
        [
            Article(headline=f"Bench story {i}", slug=f"bench-story-{i}", body=b, section=section)
            for i, b in enumerate(bodies)
        ],
        batch_size=1000,
    )
    ids = list(Article.objects.filter(section=section).order_by("pk").values_list("pk", flat=True))

    started = time.perf_counter()
    for body in bodies[:500]:
        signature(body)
    per_signature = (time.perf_counter() - started) / 500
    started = time.perf_counter()
    for start in range(0, len(ids), 1000):
        duplicates.fingerprint_articles(ids[start : start + 1000])
    fingerprint_seconds = time.perf_counter() - started

    timings, found = [], 0
    for i in range(args.lookups):
        kind = i % 3
        source = rng.randrange(len(bodies))
        if kind == 0:
            body = bodies[source]
        elif kind == 1:
            words = bodies[source].split()
            for _ in range(40):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            body = " ".join(words)
        else:
            body = text()
        submission = Submission.objects.create(
            headline=f"Bench submission {i}",
            body=body,
            section=section,
            contributor_name="Bench",
            contributor_email="bench@example.invalid",
            body_hash=str(i),
        )
        duplicates.fingerprint_submission(submission)
        started = time.perf_counter()
        matches = duplicates.closest_matches(submission)
        timings.append(time.perf_counter() - started)
        found += bool(kind < 2 and matches and matches[0]["object"].pk == ids[source])
    print(f"database: {django.db.connection.vendor}")
    print(
        f"articles: {len(ids)}; band rows: {FingerprintBand.objects.count()}; fingerprints: {Fingerprint.objects.count()}"
    )
    print(f"signature of a 400-word body: {per_signature * 1000:.2f} ms")
    print(
        f"fingerprinting all articles: {fingerprint_seconds:.1f} s ({len(ids) / fingerprint_seconds:.0f} articles/s)"
    )
    print(
        f"closest_matches: median {statistics.median(timings) * 1000:.1f} ms, "
        f"max {max(timings) * 1000:.1f} ms over {len(timings)} lookups"
    )
    copies = sum(1 for i in range(args.lookups) if i % 3 < 2)
    print(f"copies and light edits whose source came first: {found}/{copies}")


if __name__ == "__main__":
    main()
