"""The wire: quality of citation finding, alias merging and people discovery on the labelled
sets, and the speed of a poll cycle, of grouping, of citation finding and of people discovery.

    .venv/bin/python bench/bench_wire.py
    WIRE_BENCH_FEEDS=500 WIRE_BENCH_ITEMS=50 ...   (the defaults)

Quality uses bench/data/wire_citations.jsonl, wire_aliases.jsonl and wire_people.jsonl (written by
bench/wire_labels.py from our own generated text), reported for the dev and holdout parts
separately. Speed runs on a fresh SQLite database in a temporary folder (DATABASE_URL is ignored
unless WIRE_BENCH_DATABASE_URL is set) against feeds served by a local HTTP server in another
process. Figures are wall-clock on this machine; the machine may be shared (load average printed).
"""

import http.server
import itertools
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
FEEDS = int(os.environ.get("WIRE_BENCH_FEEDS", "500"))
ITEMS = int(os.environ.get("WIRE_BENCH_ITEMS", "50"))
CHANGED_EVERY = 10  # in the second cycle one feed in ten has 5 new items; the rest answer 304
PORT = int(os.environ.get("WIRE_BENCH_PORT", "8650"))

WORDS = (
    "harbour council budget ferry strike talks minister border convoy ceasefire election reactor grain "
    "airport dam envoy court police storm flood bridge school hospital union tariff port railway mayor "
    "protest vote deal prices inflation bank cabinet army drone pipeline refinery coast valley"
).split()
PLACES = (
    "Harbourton Millbrook Eastmoor Kingsford Westfield Ashby Redcliff Stonebridge Marlow Fairhaven "
    "Ankara Tehran Cairo Kyiv Haifa Basra Izmir Mosul Odesa Aleppo"
).split()


def setup_django():
    os.environ["BROADSHEET_DATA"] = tempfile.mkdtemp(prefix="bs-wire-bench-")
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get("WIRE_BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["WIRE_BENCH_DATABASE_URL"]
    os.environ.pop("REDIS_URL", None)
    os.environ["BROADSHEET_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def read_jsonl(name):
    with open(DATA / name) as handle:
        return [json.loads(line) for line in handle]


def ratio(a, b):
    return a / b if b else 1.0


# --- quality -------------------------------------------------------------------------------------


def citation_quality():
    from broadsheet.wire.citations import Finder

    rows = read_jsonl("wire_citations.jsonl")
    outlets = rows[0]["outlets"]
    ids = {o["name"]: i for i, o in enumerate(outlets)}
    names = [(o["name"], ids[o["name"]]) for o in outlets] + [
        (a, ids[o["name"]]) for o in outlets for a in o["aliases"]
    ]
    finder = Finder(names)
    by_id = {i: n for n, i in ids.items()}
    for split in ("dev", "holdout"):
        tp = fp = fn = 0
        passages = [r for r in rows[1:] if r["split"] == split]
        misses = []
        for row in passages:
            found = {by_id[f.source_id] for f in finder.find(row["text"])}
            truth = set(row["cited"])
            tp += len(found & truth)
            fp += len(found - truth)
            fn += len(truth - found)
            if found != truth and len(misses) < 3:
                misses.append((row["text"][:90], sorted(found), sorted(truth)))
        cited = sum(1 for r in passages if r["cited"])
        print(
            f"citations {split:8s}: {len(passages)} passages ({cited} citing), precision {ratio(tp, tp + fp):.3f}, "
            f"recall {ratio(tp, tp + fn):.3f} (tp {tp}, fp {fp}, fn {fn})"
        )
        for text, found, truth in misses:
            print(f"    e.g. {text!r}: found {found}, labelled {truth}")


def alias_quality():
    from broadsheet.wire.outlets import may_be_same, name_key

    groups = read_jsonl("wire_aliases.jsonl")
    for split in ("dev", "holdout"):
        names = [(name, i) for i, g in enumerate(groups) if g["split"] == split for name in g["names"]]
        counts = {"suggest": [0, 0, 0], "merge": [0, 0, 0]}  # tp, fp, fn
        for (a, ga), (b, gb) in itertools.combinations(names, 2):
            same = ga == gb
            for kind, predicted in (("suggest", may_be_same(a, b)), ("merge", name_key(a) == name_key(b))):
                tp_fp_fn = counts[kind]
                if predicted and same:
                    tp_fp_fn[0] += 1
                elif predicted:
                    tp_fp_fn[1] += 1
                elif same:
                    tp_fp_fn[2] += 1
        families = sum(1 for g in groups if g["split"] == split and "look_alike_of" not in g)
        look_alikes = sum(1 for g in groups if g["split"] == split and "look_alike_of" in g)
        for kind, (tp, fp, fn) in counts.items():
            label = (
                "suggested (abbreviations, domains)"
                if kind == "suggest"
                else "merged by the machine (same key)"
            )
            print(
                f"aliases {split:8s} {label:36s}: precision {ratio(tp, tp + fp):.3f}, recall {ratio(tp, tp + fn):.3f} "
                f"over name pairs ({families} outlets, {look_alikes} look-alikes, {len(names)} names; tp {tp}, fp {fp}, fn {fn})"
            )


def people_quality():
    """Names the machine would suggest as people (wire/discovery.py), against the labels: by
    name key (entities.name_key), so a suggestion in another spelling of the labelled name counts."""
    from broadsheet.wire.discovery import Finder
    from broadsheet.wire.entities import name_key

    rows = read_jsonl("wire_people.jsonl")
    outlets = [o["name"] for o in read_jsonl("wire_citations.jsonl")[0]["outlets"]]
    finder = Finder(excluded=outlets)  # the known outlets, as the site's Sources would be
    passages = [r for r in rows if "text" in r]
    groups = [r for r in rows if "spellings" in r]
    for split in ("dev", "holdout"):
        tp = fp = fn = cued_tp = cued = 0
        misses = []
        part = [r for r in passages if r["split"] == split]
        for row in part:
            found = {name_key(s.name) for s in finder.find(row["text"])}
            truth = {name_key(n) for n in row["people"]}
            tp += len(found & truth)
            fp += len(found - truth)
            fn += len(truth - found)
            if row["cued"]:
                cued += len(truth)
                cued_tp += len(found & truth)
            if found - truth and len(misses) < 3:
                misses.append(row["text"][:100])
        names = sum(len(r["people"]) for r in part)
        empty = sum(1 for r in part if not r["people"])
        print(
            f"people   {split:8s}: {len(part)} passages ({names} people, {empty} with look-alikes only), "
            f"precision {ratio(tp, tp + fp):.3f}, recall {ratio(tp, tp + fn):.3f} "
            f"(beside a cue {ratio(cued_tp, cued):.3f}; tp {tp}, fp {fp}, fn {fn})"
        )
        for text in misses:
            print(f"    wrongly suggested in: {text!r}")
        spellings = [(s, i) for i, g in enumerate(groups) if g["split"] == split for s in g["spellings"]]
        counts = [0, 0, 0]
        for (a, ga), (b, gb) in itertools.combinations(spellings, 2):
            merged = name_key(a) == name_key(b)
            counts[0 if merged and ga == gb else 1 if merged else 2] += merged or ga == gb
        m_tp, m_fp, m_fn = counts
        people = sum(1 for g in groups if g["split"] == split and "look_alike_of" not in g)
        print(
            f"people   {split:8s} spellings merged into one suggestion: precision {ratio(m_tp, m_tp + m_fp):.3f}, "
            f"recall {ratio(m_tp, m_tp + m_fn):.3f} over name pairs ({people} people, {len(spellings)} spellings "
            f"with look-alikes; tp {m_tp}, fp {m_fp}, fn {m_fn})"
        )


# --- speed ---------------------------------------------------------------------------------------


def _vocabulary(size=4000, seed=11):
    rng = random.Random(seed)
    syllables = [
        "ka",
        "lo",
        "mir",
        "ten",
        "sa",
        "vor",
        "el",
        "din",
        "pra",
        "gu",
        "shan",
        "tel",
        "bo",
        "ri",
        "zan",
        "ul",
    ]
    words = set(WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = _vocabulary()
STORIES = 3000  # distinct news stories a day's items are about; several outlets carry each


def story_text(rng, n):
    """A headline and summary about one of STORIES stories: its own words, plus common ones."""
    story = random.Random(rng.randrange(STORIES))
    topic = story.sample(VOCABULARY, 10)
    place = story.choice(PLACES)
    headline = f"{place} {' '.join(rng.sample(topic, 4))} {rng.choice(WORDS)}"
    summary = " ".join(rng.choice(topic) if rng.random() < 0.5 else rng.choice(VOCABULARY) for _ in range(30))
    return headline, f"{summary} in {place}."


def feed_body(feed, cycle):
    changed = cycle > 1 and feed % CHANGED_EVERY == 0
    start = 5 if changed else 0
    rng = random.Random(feed)
    entries = []
    for n in range(start, start + ITEMS):
        rng.seed(feed * 1000 + n)
        headline, summary = story_text(rng, f"{feed}-{n}")
        entries.append(
            f"<item><title>{headline}</title><link>https://outlet{feed}.example/story/{n}</link>"
            f"<guid>https://outlet{feed}.example/story/{n}</guid><pubDate>Sat, 05 Dec 2026 10:00:00 +0000</pubDate>"
            f"<description>{summary}</description></item>"
        )
    body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Outlet {feed}</title>{''.join(entries)}</channel></rss>"
    return body.encode(), f'"{feed}-{2 if changed else 1}"'


def serve(port, cycle):
    bodies = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            feed = int(self.path.strip("/").split("/")[-1])
            key = (feed, cycle.value)
            if key not in bodies:
                bodies[key] = feed_body(feed, cycle.value)
            body, etag = bodies[key]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def poll_cycles():
    from django.utils import timezone

    from broadsheet.newsroom.models import Source
    from broadsheet.wire import services
    from broadsheet.wire.models import Feed, WireItem

    cycle = multiprocessing.Value("i", 1)
    server = multiprocessing.Process(target=serve, args=(PORT, cycle), daemon=True)
    server.start()
    time.sleep(0.5)
    try:
        sources = Source.objects.bulk_create(
            [Source(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(FEEDS)]
        )
        Feed.objects.bulk_create(
            [Feed(source=s, url=f"http://127.0.0.1:{PORT}/feed/{n}") for n, s in enumerate(sources)]
        )
        for number in (1, 2):
            cycle.value = number
            Feed.objects.update(next_poll_at=timezone.now())
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started, cpu = time.monotonic(), time.process_time()
            results = services.poll_due()
            took, cpu = time.monotonic() - started, time.process_time() - cpu
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            new = sum(r.new for r in results)
            not_modified = sum(r.not_modified for r in results)
            errors = sum(bool(r.error) for r in results)
            print(
                f"poll cycle {number}: {len(results)} feeds x {ITEMS} items in {took:.1f} s ({cpu:.1f} s CPU) "
                f"({not_modified} answered 304, {new} new items, {errors} errors); "
                f"peak memory {rss_after / 1024:.0f} MB (was {rss_before / 1024:.0f} MB)"
            )
        print(
            f"    items stored: {WireItem.objects.count()}, groups: {WireItem.objects.values('group').distinct().count()}"
        )
    finally:
        server.terminate()


def grouping_cost():
    import datetime

    from django.utils import timezone

    from broadsheet.newsroom.models import Source
    from broadsheet.wire import grouping
    from broadsheet.wire.models import StoryGroup, WireItem

    # A day's 10,000 items from the cycle above are in the window already (25,000 + 2,500).
    source = Source.objects.create(name="Grouping bench")
    rng = random.Random(7)
    now = timezone.now()
    items = []
    for n in range(1000):
        headline, summary = story_text(rng, f"g{n}")
        items.append(
            WireItem(
                source=source,
                url_key=f"g{n}",
                text_key=f"g{n}",
                headline=headline,
                summary=summary,
                fetched_at=now,
                terms=grouping.item_terms(headline, summary),
            )
        )
    items = WireItem.objects.bulk_create(items)
    window = WireItem.objects.filter(
        fetched_at__gte=now - datetime.timedelta(hours=48), group__isnull=False
    ).count()
    started, cpu = time.monotonic(), time.process_time()
    grouper = grouping.window_grouper(now=now)
    for start in range(0, len(items), 50):
        grouping.group_items(items[start : start + 50], now=now, grouper=grouper)
    took, cpu = time.monotonic() - started, time.process_time() - cpu
    print(
        f"grouping: {len(items)} new items against a window of {window} items in {took:.1f} s = "
        f"{took / len(items) * 1000:.1f} ms an item ({cpu / len(items) * 1000:.1f} ms CPU; reading the window included); "
        f"{StoryGroup.objects.count()} groups in all"
    )


def citation_speed():
    from broadsheet.wire.citations import Finder

    rows = read_jsonl("wire_citations.jsonl")
    names = [(o["name"], i) for i, o in enumerate(rows[0]["outlets"])]
    names += [
        (f"The {p} {w.title()}", 1000 + i) for i, (p, w) in enumerate(itertools.product(PLACES, WORDS[:25]))
    ]
    finder = Finder(names)
    rng = random.Random(3)
    sentences = [r["text"] for r in rows[1:]]
    words = []
    while len(words) < 1000:
        if rng.random() < 0.15:
            words += rng.choice(sentences).split()
        else:
            words += (" ".join(rng.choice(WORDS) for _ in range(15)).capitalize() + ".").split()
    text = " ".join(words[:1000])
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        found = finder.find(text)
        timings.append(time.perf_counter() - started)
    print(
        f"citation finding: a 1,000-word story against {len(names)} outlet names: median "
        f"{statistics.median(timings) * 1000:.1f} ms, slowest {max(timings) * 1000:.1f} ms ({len(found)} outlets found)"
    )


def people_on_demo_text(stories=400, seed=1):
    """Discovery on the demo seed's stories (text not written for it; it was looked at once while
    tuning, so this is a dev figure): a name is a person when the demo made it from its given and
    family names; recall counts every such pair in the text, cue or not."""
    from broadsheet.newsroom import demo
    from broadsheet.wire.discovery import Finder

    finder = Finder(excluded=[*demo.outlet_names(), *(s[0] for s in demo.SECTIONS)])
    given, family = set(demo._GIVEN), set(demo._FAMILY)
    rng = random.Random(seed)
    tp = fp = named = 0
    started = time.process_time()
    for index in range(stories):
        story = demo.make_story(rng, index)
        text = "\n".join(str(getattr(story, a, "")) for a in ("headline", "summary", "body"))
        for suggestion in finder.find(text):
            first, _, last = suggestion.name.partition(" ")
            if first in given and last in family:
                tp += 1
            else:
                fp += 1
        pairs = {m for m in re.findall(r"\b(\w+) (\w+)\b", text) if m[0] in given and m[1] in family}
        named += len(pairs)
    cpu = time.process_time() - started
    print(
        f"people   demo text: {stories} seeded stories, precision {ratio(tp, tp + fp):.3f}, recall {ratio(tp, named):.3f} "
        f"of every full name in the text (tp {tp}, fp {fp}; {cpu / stories * 1000:.1f} ms CPU a story with making it)"
    )


def people_speed():
    from broadsheet.wire.discovery import Finder

    rows = [r for r in read_jsonl("wire_people.jsonl") if "text" in r]
    finder = Finder(excluded=[o["name"] for o in read_jsonl("wire_citations.jsonl")[0]["outlets"]])
    rng = random.Random(5)
    words = []
    while len(words) < 1000:
        words += rng.choice(rows)["text"].split()
    text = " ".join(words[:1000])
    timings = []
    for _ in range(100):
        started = time.process_time()
        found = finder.find(text)
        timings.append(time.process_time() - started)
    print(
        f"people discovery: a 1,000-word story: median {statistics.median(timings) * 1000:.1f} ms CPU, "
        f"slowest {max(timings) * 1000:.1f} ms ({len(found)} names)"
    )


def main():
    print(f"load average {os.getloadavg()[0]:.1f}")
    setup_django()
    citation_quality()
    alias_quality()
    people_quality()
    people_on_demo_text()
    if os.environ.get("WIRE_BENCH_QUALITY_ONLY"):
        return
    citation_speed()
    people_speed()
    poll_cycles()
    grouping_cost()
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
