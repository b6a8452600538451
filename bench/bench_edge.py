"""Pages any shared cache can keep, purged story by story: full-render CPU beside WordPress,
Varnish vs the built-in page cache vs none, and reads under a write churn.

    .venv/bin/python bench/bench_edge.py
    BENCH_EDGE_ARTICLES=1000 BENCH_DURATION=5 BENCH_CHURN_SECONDS=30 .venv/bin/python bench/bench_edge.py

1. Full render (fragments off, page cache bypassed): server CPU per home and story page, with
   WordPress's figures from ../shared/peers/wordpress/RESULTS.md (its bench.sh) beside them.
2. Home and story pages through Varnish (Debian's, the shipped VCL), the built-in page cache,
   and no cache (Django renders, shared fragments), wrk with 32 connections.
3. Churn, through the built-in cache and through Varnish: 32 connections read BENCH_EDGE_ARTICLES
   stories while one approved comment and one held spam comment arrive every second (on 20
   stories kept apart) and one story is published a minute (at least one per run). Prints the
   hit ratio on the untouched stories, read throughput against the same reads when quiet, how
   long the published story took to appear on the home page, and origin renders per minute.
4. Publish (only when named): a story published through the service twenty times
   (BENCH_EDGE_TRIES), the home page asked of Varnish every 20 ms: when the commit returned,
   when Varnish answered the home purge, when the page showed the story.
BENCH_EDGE_PARTS=render,caches,churn,publish picks the parts. Each part is short (BENCH_DURATION seconds per wrk run, BENCH_CHURN_SECONDS of churn).
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PORTS = range(*(int(x) for x in os.environ.get("BENCH_PORTS", "8700-8800").split("-")))
TOUCHED = 20  # stories the churn comments on; the others are "untouched"


def writer_env(data, purgers, **extra):
    """The environment of a process that writes beside the readers (comments, publishes): it
    purges `purgers`, posts without the flood pause, and sends no mail."""
    return common.data_env(
        data,
        BROADSHEET_EDGE_PURGERS=purgers,
        BROADSHEET_COMMENTS_FLOOD_SECONDS="0",
        EMAIL_URL="dummy://",
        LOG_LEVEL="ERROR",
        **extra,
    )


STORIES = """
from broadsheet.newsroom.models import Article
for a in Article.objects.published().order_by("-publish_at")[:{count}]:
    print(a.pk, a.get_absolute_url())
"""

CHURN = """
import json, time, urllib.request
from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article, Section
touched = {touched}
seconds, port, run = {seconds}, {port}, "{run}"
started = time.monotonic()
published_at = None
appeared = []
first_answers = []  # how long the first look at home took (its render, queued behind the readers)
n = 0
while time.monotonic() - started < seconds:
    tick = time.monotonic()
    n += 1
    story = Article.objects.get(pk=touched[n % len(touched)])
    good = Comment.objects.create(article=story, author_name=f"Reader {{n}}", author_email=f"r{{n}}.{{run}}@bench.example",
                                  body=f"A thought number {{n}} about this.", status="pending")
    comments.approve(good)
    comments.post_comment(article=story, body=f"Cheap pills {{n}} http://a.example http://b.example",
                          name="Spam Bot", email=f"bot{{n}}.{{run}}@spam.example", ip=f"10.0.{{n % 250}}.1")
    if (published_at is None and time.monotonic() - started > seconds / 2) or (
        published_at is not None and time.monotonic() - published_at > 60
    ):
        headline = f"Churn story {{n}} {{run}} breaks at the harbour"
        article = Article(headline=headline, body="Fresh news.", section=Section.objects.first(), status="draft")
        article.save()
        newsroom.publish(article)
        published_at = time.monotonic()
        polls = []
        while time.monotonic() - published_at < 10:
            asked = time.monotonic()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{{port}}/", timeout=30) as answer:
                    found = headline.encode() in answer.read()
                    label = answer.headers.get("X-Cache") or answer.headers.get("X-Varnish-Cache") or "?"
            except OSError as error:
                found, label = False, type(error).__name__
            polls.append((round(1000 * (asked - published_at)), round(1000 * (time.monotonic() - asked)), label, found))
            if found:
                appeared.append(time.monotonic() - published_at)
                first_answers.append(polls[0][1] / 1000)
                break
            time.sleep(0.02)
        print("POLLS", polls[:5], len(polls), flush=True)
    time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
from broadsheet.edge import sending
deadline = time.monotonic() + 10
while sending.pending() and time.monotonic() < deadline:
    time.sleep(0.1)
# The stories published here are removed again, so the seeded folder keeps its size for the next run.
Article.objects.filter(headline__startswith="Churn story ").delete()
print("CHURN", json.dumps({{"ticks": n, "appeared": appeared, "first_answers": first_answers}}))
"""

PUBLISH = """
import json, time, urllib.request
from broadsheet.edge.purgers import varnish as varnish_purger
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article, Section
tries, port, run = {tries}, {port}, "{run}"
sent = []
real_send = varnish_purger.VarnishPurger.send
def send(self, keys):
    real_send(self, keys)
    sent.append((time.monotonic(), "home" in keys))
varnish_purger.VarnishPurger.send = send
def home():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{{port}}/", timeout=30) as answer:
            return answer.read(), answer.headers.get("X-Varnish-Cache") or "?"
    except OSError as error:  # a 503 while the origin is too busy for the health probe
        return b"", str(getattr(error, "code", type(error).__name__))
if {comments}:  # one approved comment a second on other stories, as in the churn
    import threading
    from broadsheet.comments import services as comments
    from broadsheet.comments.models import Comment
    def comment_churn():
        n = 0
        while True:
            n += 1
            story = Article.objects.get(pk=touched[n % len(touched)])
            good = Comment.objects.create(article=story, author_name=f"Reader {{n}}", author_email=f"r{{n}}.{{run}}@bench.example",
                                          body=f"A thought number {{n}} about this.", status="pending")
            comments.approve(good)
            time.sleep(1)
    touched = {touched}
    threading.Thread(target=comment_churn, daemon=True).start()
results = []
for n in range(tries):
    home()  # the home page is in Varnish before each story
    time.sleep(0.3)
    headline = f"Publish delay story {{n}} {{run}} breaks"
    article = Article(headline=headline, body="Fresh news.", section=Section.objects.first(), status="draft")
    article.save()
    sent.clear()
    started = time.monotonic()
    newsroom.publish(article)
    committed = time.monotonic() - started
    polls = 0
    while time.monotonic() - started < 10:
        polls += 1
        body, label = home()
        if headline.encode() in body:
            break
        time.sleep(0.02)
    seen = time.monotonic() - started
    home_purge = next((t - started for t, has_home in sent if has_home), None)
    results.append({{"committed": committed, "purged": home_purge, "seen": seen, "polls": polls, "label": label}})
    time.sleep(0.5)
Article.objects.filter(headline__startswith="Publish delay story ").delete()
print("PUBLISH", json.dumps(results))
"""

COUNTING = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; misses = 0 end
function response(status, headers, body)
  local label = headers["X-Varnish-Cache"] or headers["x-varnish-cache"] or headers["X-Cache"] or headers["x-cache"]
  if label == "HIT" then hits = hits + 1 else misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses") end
  io.write(string.format("CACHE %d %d\\n", h, m))
end
"""


def free_port():
    return common.free_port(PORTS)


def counting_script(paths):
    rotate = Path(common.rotate_script(paths)).read_text()
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bs-bench-edge-", delete=False)
    handle.write(rotate + COUNTING)
    handle.close()
    return handle.name


def wordpress_figures():
    """(home, article) full-render CPU ms per request of WordPress in RESULTS.md, or None."""
    path = ROOT.parent.parent / "shared" / "peers" / "wordpress" / "RESULTS.md"
    if not path.exists():
        path = Path("/work/shared/peers/wordpress/RESULTS.md")
    if not path.exists():
        return None
    text = path.read_text()
    found = {}
    for page in ("home", "article"):
        m = re.search(rf"^\| {page}[^|]* \| WordPress :8081 \|[^\n]*?\*\*([\d.]+)\*\*", text, re.M)
        found[page] = float(m.group(1)) if m else float("nan")
    return found["home"], found["article"]


def server(data, port, **extra):
    env = common.data_env(data, BROADSHEET_PLAIN_STATIC="1", LOG_LEVEL="WARNING", **extra)
    return common.Server(common.serve_command(port, workers=2), env, port)


class Varnish:
    def __init__(self, backend_port):
        from broadsheet.edge import varnish

        self.port = free_port()
        self.process, self.workdir = varnish.start(
            listen_host="127.0.0.1",
            listen_port=self.port,
            backend_host="127.0.0.1",
            backend_port=backend_port,
            hosts=["127.0.0.1", "localhost"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.5)  # the health probe's first rounds

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def warm(base, paths, workers=8):
    """Ask for each path once (a few at a time), so that every page is in the cache."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def get(path):
        try:
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                answer.read()
        except OSError:
            pass

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(get, paths))


def cache_counts(run):
    m = re.search(r"CACHE (\d+) (\d+)", run["raw"])
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def main():
    from broadsheet.edge import varnish

    articles = common.env_int("BENCH_EDGE_ARTICLES", 1000)
    duration = common.env_int("BENCH_DURATION", 5)
    churn_seconds = common.env_int("BENCH_CHURN_SECONDS", 30)
    have_varnish = varnish.find_varnishd() is not None
    print(
        f"bench_edge: {articles:,} stories on {common.database_label()}, wrk {duration}s x 32 connections",
        flush=True,
    )
    data = common.seeded_dir(articles)
    common.prepare_static(data)
    stories = [line.split() for line in common.query(data, STORIES.format(count=articles)).splitlines()]
    story_paths = [path for _pk, path in stories]
    sample = counting_script(story_paths[TOUCHED : TOUCHED + 50])

    parts = os.environ.get("BENCH_EDGE_PARTS", "render,caches,churn").split(",")
    if "render" in parts:
        full_render(data, story_paths, sample, duration)
    if "caches" in parts:
        cached_answers(data, story_paths, sample, duration, have_varnish)
    if "churn" in parts:
        churn(data, stories, story_paths, duration, churn_seconds, have_varnish)
    if "publish" in parts and have_varnish:
        publish_delay(data, stories, story_paths, common.env_int("BENCH_EDGE_TRIES", 20))


def publish_delay(data, stories, story_paths, tries):
    """A story published through the service, the home page asked of Varnish every 20 ms until
    it shows it: the time to the commit, to the home purge's answer, to the page with it.
    BENCH_EDGE_READERS=32 adds that many wrk connections reading the untouched stories through
    Varnish meanwhile, BENCH_EDGE_COMMENTS=1 one approved comment a second (the churn's load)."""
    readers = common.env_int("BENCH_EDGE_READERS", 0)
    port = free_port()
    with server(data, port, BROADSHEET_PAGECACHE_TTL="3600") as _site:
        front = Varnish(port)
        reading = None
        try:
            if readers:
                warm(front.base, story_paths[TOUCHED:])
                reading = subprocess.Popen(
                    [common.ensure_wrk(), "-t2", f"-c{readers}", f"-d{tries * 3 + 30}s", "-s"]
                    + [counting_script(story_paths[TOUCHED:]), front.base + "/"],
                    stdout=subprocess.DEVNULL,
                )
            purgers = json.dumps([{"kind": "varnish", "url": front.base}])
            driver = PUBLISH.format(
                tries=tries,
                port=front.port,
                run=f"p{int(time.time())}",
                comments=bool(os.environ.get("BENCH_EDGE_COMMENTS")),
                touched=[int(pk) for pk, _path in stories[:TOUCHED]],
            )
            out = subprocess.run(
                [common.BROADSHEET, "shell", "-c", driver],
                env=writer_env(data, purgers),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=tries * 20 + 60,
            )
        finally:
            if reading:
                reading.terminate()
                reading.wait(timeout=15)
            front.stop()
    found = re.search(r"PUBLISH (.*)", out.stdout)
    if not found:
        sys.exit(f"the publishing script failed:\n{out.stderr[-3000:]}")
    results = json.loads(found.group(1))
    ms = lambda value: "-" if value is None else f"{value * 1000:.0f}"  # noqa: E731
    rows = [
        (n + 1, ms(r["committed"]), ms(r["purged"]), ms(r["seen"]), r["polls"], r["label"])
        for n, r in enumerate(results)
    ]
    seen = sorted(r["seen"] for r in results)
    load = f"{readers} readers" if readers else "no readers"
    if os.environ.get("BENCH_EDGE_COMMENTS"):
        load += ", a comment a second"
    print(f"\nPublish to home page through Varnish ({tries} stories, home polled every 20 ms; {load})")
    print(
        common.table(["try", "committed ms", "home purged ms", "on home ms", "polls", "answer"], rows),
        flush=True,
    )
    print(
        f"  on home: median {ms(seen[len(seen) // 2])} ms, worst {ms(seen[-1])} ms (load {common.load():.1f})"
    )


def full_render(data, story_paths, sample, duration):
    wordpress = wordpress_figures()
    rows = []
    # A few connections are enough to keep the server busy: with 32 on a loaded machine some
    # requests time out, and the CPU their renders took would be counted against the others.
    with server(data, free_port(), BROADSHEET_FRAGMENTS="false") as full:
        for name, path, script in (("home", "/", None), ("story", story_paths[TOUCHED], sample)):
            common.wrk(
                full.base + path, duration=2, connections=4, script=script, headers=common.UNCACHED
            )  # warm
            cpu = full.cpu()
            run = common.wrk(
                full.base + path, duration=duration, connections=4, script=script, headers=common.UNCACHED
            )
            cpu_ms = 1000 * (full.cpu() - cpu) / max(1, run["requests"] + run["errors"])
            theirs = wordpress[0 if name == "home" else 1] if wordpress else float("nan")
            rows.append((name, f"{run['rps']:.0f}", f"{cpu_ms:.2f}", f"{theirs:.2f}", f"{run['load']:.1f}"))
    print("\nFull render (fragments off, page cache bypassed): server CPU per page")
    print(common.table(["page", "req/s", "CPU ms/page", "WordPress CPU ms/page", "load"], rows), flush=True)


def cached_answers(data, story_paths, sample, duration, have_varnish):
    rows = []
    port = free_port()
    with server(data, port) as site:
        front = Varnish(port) if have_varnish else None
        try:
            targets = [
                ("built-in page cache", site.base, ()),
                ("none (Django, fragments)", site.base, common.UNCACHED),
            ]
            if front:
                targets.insert(0, ("Varnish", front.base, ()))
            for label, base, headers in targets:
                for name, path, script in (("home", "/", None), ("story", story_paths[TOUCHED], sample)):
                    common.wrk(base + path, duration=1, script=script, headers=headers)
                    cpu = site.cpu()
                    run = common.wrk(base + path, duration=duration, script=script, headers=headers)
                    cpu_ms = 1000 * (site.cpu() - cpu) / max(1, run["requests"])
                    rows.append(
                        (
                            f"{name}: {label}",
                            f"{run['rps']:,.0f}",
                            f"{run['p99']:.1f}",
                            f"{cpu_ms:.3f}",
                            f"{run['load']:.1f}",
                        )
                    )
        finally:
            if front:
                front.stop()
    print("\nCached answers (wrk, 32 connections; origin CPU per answer)")
    print(common.table(["page: cache", "req/s", "p99 ms", "origin CPU ms", "load"], rows), flush=True)


def churn(data, stories, story_paths, duration, churn_seconds, have_varnish):
    touched = [int(pk) for pk, _path in stories[:TOUCHED]]
    untouched = counting_script(story_paths[TOUCHED:])
    rows = []
    for label in ("built-in page cache", "Varnish"):
        if label == "Varnish" and not have_varnish:
            continue
        port = free_port()
        extra = {}
        # Pages kept as long as a shared cache keeps them (s-maxage): on a loaded machine reading
        # every story once may take longer than the default five minutes.
        with server(data, port, BROADSHEET_PAGECACHE_TTL="3600") as site:
            front = Varnish(port) if label == "Varnish" else None
            base = front.base if front else site.base
            purgers = json.dumps([{"kind": "varnish", "url": base}]) if front else "[]"
            try:
                # Every untouched story read once first: the figures are of a warm cache. Then the
                # same reads for as long as the churn lasts, quiet, just before it.
                warm(base, story_paths[TOUCHED:])
                quiet = common.wrk(base + "/", duration=churn_seconds, script=untouched)
                driver = subprocess.Popen(
                    [
                        common.BROADSHEET,
                        "shell",
                        "-c",
                        CHURN.format(
                            touched=touched,
                            seconds=churn_seconds,
                            port=front.port if front else port,
                            run=f"{label.split()[0].lower()}{int(time.time())}",
                        ),
                    ],
                    env=writer_env(data, purgers, **extra),
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                busy = common.wrk(base + "/", duration=churn_seconds, script=untouched)
                out, _ = driver.communicate(timeout=churn_seconds + 120)
                for line in out.splitlines():
                    if line.startswith("POLLS") and os.environ.get("BENCH_EDGE_POLLS"):
                        print("  ", line, flush=True)
            finally:
                if front:
                    front.stop()
        churn = (
            json.loads(re.search(r"CHURN (.*)", out).group(1))
            if "CHURN" in out
            else {"ticks": 0, "appeared": []}
        )
        hits, misses = cache_counts(busy)
        quiet_hits, quiet_misses = cache_counts(quiet)
        appeared = ", ".join(f"{s * 1000:.0f} ms" for s in churn["appeared"]) or "not seen"
        answered = ", ".join(f"{s * 1000:.0f} ms" for s in churn.get("first_answers", [])) or "-"
        rows.append(
            (
                label,
                f"{quiet['rps']:,.0f}",
                f"{busy['rps']:,.0f} ({100 * busy['rps'] / max(1, quiet['rps']):.0f}%)",
                f"{100 * hits / max(1, hits + misses):.2f}%",
                f"{misses * 60 / churn_seconds:,.0f}",
                appeared,
                answered,
                f"{churn['ticks']}",
                f"{quiet['load']:.1f} / {busy['load']:.1f}",
            )
        )
        print(
            f"  {label}: quiet hit ratio {100 * quiet_hits / max(1, quiet_hits + quiet_misses):.2f}%",
            flush=True,
        )
    print(
        f"\nChurn: 32 connections read {len(story_paths) - TOUCHED:,} untouched stories for {churn_seconds}s while one "
        "approved and one held spam comment arrive every second and a story is published"
    )
    print(
        common.table(
            [
                "cache",
                "quiet req/s",
                "under churn",
                "hit ratio (untouched)",
                "origin renders/min",
                "new story on home after",
                "of which its first answer",
                "churn seconds",
                "load quiet / churn",
            ],
            rows,
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
