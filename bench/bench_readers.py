"""Readers: a newsletter to many subscribers through a real SMTP server (killed half-way and
resumed: nobody gets two copies), the cost of counting a read, and a live page with 1,000
updates rendered without any cache.

    .venv/bin/python bench/bench_readers.py           # 100,000 subscribers
    BENCH_READERS_SUBSCRIBERS=10000 .venv/bin/python bench/bench_readers.py
    BENCH_READERS_PARTS=newsletter .venv/bin/python bench/bench_readers.py   # or reads, live
"""

import collections
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.newsletters.smtp import LocalSMTP  # noqa: E402

import common  # noqa: E402

SUBSCRIBERS = common.env_int("BENCH_READERS_SUBSCRIBERS", 100_000)
LIVE_UPDATES = common.env_int("BENCH_READERS_LIVE_UPDATES", 1000)
PARTS = [p.strip() for p in (os.environ.get("BENCH_READERS_PARTS") or "newsletter,reads,live").split(",")]

SETUP = f"""
from django.contrib.auth import get_user_model
from broadsheet.newsletters.models import Newsletter, Subscriber
from broadsheet.newsletters import sending
from broadsheet.newsroom.models import Article, Section
from django.utils import timezone
section = Section.objects.create(name="World")
stories = [Article.objects.create(headline=f"Story number {{n}} of the day", summary="A summary of the story, two lines long in most clients.", body="Body.", section=section, status="published", publish_at=timezone.now()) for n in range(8)]
batch = []
for n in range({SUBSCRIBERS}):
    batch.append(Subscriber(email=f"reader{{n}}@example.org", status="active", daily=True))
    if len(batch) == 5000:
        Subscriber.objects.bulk_create(batch); batch = []
Subscriber.objects.bulk_create(batch)
letter = Newsletter.objects.create(subject="Morning briefing", intro="Good morning. Here is what matters today.")
sending.set_stories(letter, stories)
sending.send_now(letter)
print(letter.pk)
"""


def send(data_dir, smtp, newsletter_id, *, kill_at=None, claim_seconds=120):
    """Run `broadsheet newsletters send` as its own process; kill it (SIGKILL) once the SMTP
    server has `kill_at` messages. Returns (seconds, peak RSS MiB)."""
    env = common.data_env(
        data_dir, EMAIL_URL=smtp.url, BROADSHEET_NEWSLETTERS_CLAIM_SECONDS=claim_seconds, BROADSHEET_NEWSLETTERS_BATCH=500
    )
    started = time.monotonic()
    process = subprocess.Popen(
        [common.BROADSHEET, "newsletters", "send", str(newsletter_id)], env=env, cwd=common.ROOT, stdout=subprocess.DEVNULL
    )
    peak, samples, cpu = 0.0, [], 0.0
    while process.poll() is None:
        cpu = max(cpu, common.tree_cpu(process.pid))
        memory = common.tree_memory(process.pid).get(process.pid)
        if memory:
            peak = max(peak, memory[1])
            samples.append(memory[2])
        if kill_at is not None and smtp.inbox.count >= kill_at:
            process.send_signal(signal.SIGKILL)
            process.wait()
            break
        time.sleep(0.2)
    return time.monotonic() - started, peak, samples, cpu


def newsletter_figures(data_dir):
    print(f"  {SUBSCRIBERS:,} confirmed subscribers, 8 stories, HTML + text ...", flush=True)
    newsletter_id = common.query(data_dir, SETUP).splitlines()[-1]
    server_cpu = time.process_time()
    with LocalSMTP(keep=False) as smtp:
        first, peak1, _samples1, cpu1 = send(data_dir, smtp, newsletter_id, kill_at=SUBSCRIBERS // 2)
        at_kill = smtp.inbox.count
        # The dead worker's claims are only taken back once stale; 0 s here instead of waiting.
        second, peak2, samples2, cpu2 = send(data_dir, smtp, newsletter_id, claim_seconds=0)
        received = collections.Counter(smtp.inbox.recipients)
    server_cpu = time.process_time() - server_cpu
    counts = common.query(
        data_dir,
        f"from broadsheet.newsletters import sending; from broadsheet.newsletters.models import Newsletter; "
        f"n = Newsletter.objects.get(pk={newsletter_id}); print(sending.counts(n), n.status)",
    )
    total = first + second
    twice = sum(1 for c in received.values() if c > 1)
    print(f"  killed after {at_kill:,} messages ({first:.1f}s), resumed and finished in {second:.1f}s")
    print(f"  total {total:.1f}s for {len(received):,} readers = {len(received) / total:,.0f} messages/s (load {common.load():.1f} at the end)")
    print(f"  readers who got it twice: {twice}; never: {SUBSCRIBERS - len(received)}  (db: {counts})")
    print(
        f"  CPU: sender {cpu1 + cpu2:.0f}s ({(cpu1 + cpu2) / len(received) * 1000:.2f} ms a message), "
        f"SMTP server (aiosmtpd, this process) {server_cpu:.0f}s; on two idle cores the sender alone would "
        f"take about {(cpu1 + cpu2) * 100_000 / len(received) / 60:.1f} min for 100,000"
    )
    if SUBSCRIBERS < 100_000:
        print(f"  extrapolated to 100,000: {total * 100_000 / SUBSCRIBERS / 60:.1f} min")
    quarter = max(len(samples2) // 4, 1)
    print(
        f"  sender memory: peak RSS {peak1:.0f} MiB (first run), {peak2:.0f} MiB (resume); private memory "
        f"{statistics.mean(samples2[:quarter]):.0f} MiB in the first quarter of the resume, "
        f"{statistics.mean(samples2[-quarter:]):.0f} MiB in the last"
        if samples2 else ""
    )
    return twice


READS = """
import time, statistics
from django.test import RequestFactory
from broadsheet.newsroom.models import Article
from broadsheet.readership import services
from broadsheet.readership.counters import get_counter
from django.conf import settings
settings.BROADSHEET_READERSHIP_CLIENT_LIMIT = 10**9
article = Article.objects.first()
factory = RequestFactory()
request = factory.post("/readership/read", {"a": article.pk}, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36")
counter = get_counter()
for _ in range(200): counter.add(article.pk, 1)
n = 20000
t = time.perf_counter()
for _ in range(n): counter.add(article.pk, services.current_hour())
add = (time.perf_counter() - t) / n * 1e6
t = time.perf_counter()
for _ in range(n): services.count_read(article.pk, request=request)
full = (time.perf_counter() - t) / n * 1e6
t = time.perf_counter(); moved = services.flush(); flush = time.perf_counter() - t
print(f"{type(counter).__name__}: counter add {add:.1f} us, count_read (robot check + rate limit + add) {full:.1f} us; flush of {moved:,} reads {flush*1000:.0f} ms")
"""

LIVE = f"""
import time, statistics
from django.conf import settings
from django.test import Client
from broadsheet.live import services
from broadsheet.newsroom.models import Article
settings.BROADSHEET_FRAGMENTS = False
from broadsheet.newsroom.models import Section
from django.utils import timezone
if Article.objects.count() < 2:
    section = Section.objects.get_or_create(name="World")[0]
    for n in range(2):
        Article.objects.create(headline=f"Storm story {{n}}", summary="A summary.", body="Body.", section=section, status="published", publish_at=timezone.now())
article = Article.objects.first()
coverage = services.start(article)
from broadsheet.live.models import LiveUpdate
LiveUpdate.objects.bulk_create([LiveUpdate(coverage=coverage, body=f"Update {{n}}", body_html=f"<p>Update {{n}}: the **wind** is rising, ferries are cancelled.</p>", headline="Key" if n % 50 == 0 else "", key_point=n % 50 == 0, byline="Desk") for n in range({LIVE_UPDATES})])
client = Client()
url = article.get_absolute_url()
client.get(url)
times, cpu = [], []
for _ in range(15):
    t, c = time.perf_counter(), time.process_time(); response = client.get(url); times.append((time.perf_counter() - t) * 1000); cpu.append((time.process_time() - c) * 1000)
assert response.status_code == 200 and response.content.count(b'data-update=') == min({LIVE_UPDATES}, services.PAGE_UPDATES)
t = time.perf_counter(); client.get(f"/live/{{article.pk}}/updates.json"); poll = (time.perf_counter() - t) * 1000
plain_url = Article.objects.exclude(pk=article.pk).first().get_absolute_url()
client.get(plain_url)
plain, plain_cpu = [], []
for _ in range(15):
    t, c = time.perf_counter(), time.process_time(); client.get(plain_url); plain.append((time.perf_counter() - t) * 1000); plain_cpu.append((time.process_time() - c) * 1000)
from django.test import RequestFactory
from django.template.loader import render_to_string
from broadsheet.live import blocks
request = RequestFactory().get(url)
block = []
for _ in range(30):
    c = time.process_time(); name, data = blocks.live_block(request, article); render_to_string(name, {{"data": data}}, request); block.append((time.process_time() - c) * 1000)
print(f"live page with {LIVE_UPDATES:,} updates (the newest {{services.PAGE_UPDATES}} shown), no fragment or page cache: median {{statistics.median(times):.1f}} ms wall, {{statistics.median(cpu):.1f}} ms CPU, best {{min(times):.1f}} ms ({{len(response.content)//1024}} KiB); the same page of a plain story: median {{statistics.median(plain):.1f}} ms wall, {{statistics.median(plain_cpu):.1f}} ms CPU; the live block alone {{statistics.median(block):.1f}} ms CPU; poll JSON {{poll:.1f}} ms")
"""


def main():
    data_dir = common.fresh_dir("readers")
    print(f"Readers benchmark ({common.database_label()}, load {common.load():.1f})", flush=True)
    common.manage(data_dir, "migrate", "--noinput")
    twice = newsletter_figures(data_dir) if "newsletter" in PARTS else 0
    if "reads" in PARTS:
        print("Read counting (in process, per read):", flush=True)
        print("  " + common.query(data_dir, READS))
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    if redis_url and "reads" in PARTS:
        os.environ["REDIS_URL"] = redis_url
        try:
            print("  " + common.query(data_dir, READS))
        finally:
            os.environ["REDIS_URL"] = ""
    if "live" in PARTS:
        common.prepare_static(data_dir)
        print("Live page:", flush=True)
        print("  " + common.query(data_dir, LIVE))
    return 1 if twice else 0


if __name__ == "__main__":
    sys.exit(main())
