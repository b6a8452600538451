"""Search queries drawn from the whole archive, for the search and scale benchmarks.

Stories are picked at random across every id (not the newest few hundred), and from each one
query of each kind a reader types: a rare word of it, a quoted phrase from its body, a name in
it, two words of its headline. DRAW is Python run in a child with Django set up (common.query);
it prints one query a line as "kind<TAB>text". Stories are read in id order, so the draw is the
same whatever plan the database picks (before a VACUUM and after).
"""

DRAW = r"""
import random, re
from collections import Counter
from broadsheet.newsroom.models import Article

rng = random.Random(int(__import__("os").environ.get("SEARCH_QUERIES_SEED", "12")))
wanted = int(__import__("os").environ.get("SEARCH_QUERIES_STORIES", "12"))
ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
picked = sorted(rng.sample(ids, min(len(ids), 400)))
stories = list(Article.objects.filter(pk__in=picked).order_by("pk").values_list("headline", "body"))
word = re.compile(r"[A-Za-z]{4,}")
df = Counter()
for headline, body in stories:
    df.update({w.lower() for w in word.findall(headline + " " + body)})
name = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{2,} [A-Z][a-z]{2,})")
for headline, body in rng.sample(stories, min(wanted, len(stories))):
    words = word.findall(headline + " " + body)
    if words:
        print("rare word\t" + min(words, key=lambda w: (df[w.lower()], w)).lower())
    sentences = [s.split() for s in re.split(r"[.!?\n]", body) if len(s.split()) >= 4]
    if sentences:
        s = rng.choice(sentences)
        start = rng.randrange(len(s) - 2)
        print("phrase\t\"" + " ".join(re.sub(r"[^\w'-]", "", w) for w in s[start:start + 3]) + "\"")
    names = name.findall(body)
    if names:
        print("name\t" + rng.choice(names))
    heading = word.findall(headline)
    if len(heading) >= 2:
        start = rng.randrange(len(heading) - 1)
        print("headline words\t" + " ".join(w.lower() for w in heading[start:start + 2]))
"""


def parse(output):
    """[(kind, text)] from DRAW's output, without repeats."""
    seen, queries = set(), []
    for line in output.splitlines():
        kind, _, text = line.partition("\t")
        if text and text not in seen:
            seen.add(text)
            queries.append((kind, text))
    return queries


# Result-count buckets: the top one is the ranked cap (BROADSHEET_SEARCH_MAX_CANDIDATES).
def bucket(matches, cap):
    if matches == 0:
        return "0 matches"
    if matches <= 20:
        return "1-20 matches"
    if matches < cap:
        return f"21-{cap - 1} matches"
    return f"{cap}+ matches (ranked cap)"
