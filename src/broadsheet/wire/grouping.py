"""Duplicates and story groups on the wire.

A duplicate is the same address once tracking parameters are off, or the same words. Items
about the same story from several outlets are grouped by TF-IDF cosine over headline and
summary, with words folded by the related engine's analyser (so "Soleimani" meets "Süleymani",
"al-Sadr" meets "el-Sadr"), compared with the items of the last GROUP_WINDOW_HOURS.
"""

import datetime
import hashlib
import math
import re
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils import timezone

from broadsheet.related.analysis import fold_letters, tokens

from . import conf

TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref|ref_src|referrer|cmpid|ocid|smid|"
    r"at_\w+|ito|icid|ns_\w+|rss|feed|xtor|s_cid|cid|wt_\w+|igshid|share|sh|guccounter)$",
    re.I,
)
MAX_TERMS = 40
COMMON_SHARE, COMMON_MIN = 0.01, 50  # a word in more than 1% of the window (and 50 items) is common


def normal_url(url):
    """The address without what differs between links to the same story: tracking parameters,
    'www.', the fragment, a trailing slash, the order of parameters, http/https."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host + (f":{parts.port}" if parts.port else ""), path, urlencode(query), ""))


def url_key(url, *, fallback=""):
    value = normal_url(url) if url else f"id:{fallback}"
    return hashlib.sha256(value.encode()).hexdigest()


def text_key(headline, summary):
    words = re.findall(r"\w+", fold_letters(f"{headline} {summary}"))
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def item_terms(headline, summary):
    """{folded term: count} of a headline (counted twice: it names the story) and summary."""
    counts = Counter(tokens(headline, names=True) * 2 + tokens(summary[:1500], names=True))
    return dict(counts.most_common(MAX_TERMS))


class Grouper:
    """Items of the window, indexed by term, to find the group of each new item."""

    def __init__(self, window):
        # window: [(group_id, terms)] of recent items already grouped.
        self.groups = []
        self.vectors = []
        self.df = Counter()
        for group_id, terms in window:
            self._remember(group_id, terms)

    def _remember(self, group_id, terms):
        self.groups.append(group_id)
        self.vectors.append(terms)
        self.df.update(terms.keys())

    def _weigh(self, terms):
        n = len(self.vectors) + 1
        vector = {t: c * (math.log((n + 1) / (self.df.get(t, 0) + 1)) + 1) for t, c in terms.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {t: w / norm for t, w in vector.items()}

    def best_group(self, terms):
        """(group_id, similarity) of the most similar item, or (None, 0)."""
        if not terms or not self.vectors:
            return None, 0.0
        query = self._weigh(terms)
        postings = self._postings()
        # Words in many recent items ("minister", a capital's name) weigh little and would make
        # each item cost as much as the whole window: only the rarer words look for neighbours.
        common = self._common()
        scores = defaultdict(float)
        for term, weight in query.items():
            if self.df.get(term, 0) > common:
                continue
            for row, other in postings.get(term, ()):
                scores[row] += weight * other
        if not scores:
            return None, 0.0
        row = max(scores, key=scores.get)
        return self.groups[row], scores[row]

    def _postings(self):
        if getattr(self, "_built", None) != len(self.vectors):
            # Common words are never looked up (see best_group), so they are not indexed either.
            common = self._common()
            self._index = defaultdict(list)
            for row, terms in enumerate(self.vectors):
                for term, weight in self._weigh(terms).items():
                    if self.df[term] <= common:
                        self._index[term].append((row, weight))
            self._built = len(self.vectors)
        return self._index

    def _common(self):
        return max(COMMON_MIN, COMMON_SHARE * len(self.vectors))

    def add(self, group_id, terms):
        self._remember(group_id, terms)
        if getattr(self, "_built", None) == len(self.vectors) - 1:
            # Add the new row to the index instead of rebuilding it (weights of older rows drift
            # slightly as document frequencies grow; they are rebuilt on the next batch).
            for term, weight in self._weigh(terms).items():
                self._index[term].append((len(self.vectors) - 1, weight))
            self._built = len(self.vectors)


def window_grouper(*, now=None, exclude=()):
    """A Grouper over the items of the last GROUP_WINDOW_HOURS (read once; a poll cycle shares it)."""
    from .models import WireItem

    since = (now or timezone.now()) - datetime.timedelta(hours=conf.group_window_hours())
    window = (
        WireItem.objects.filter(fetched_at__gte=since, group__isnull=False)
        .exclude(pk__in=list(exclude))
        .values_list("group_id", "terms")
    )
    return Grouper(window.iterator(chunk_size=2000))


def group_items(items, *, now=None, grouper=None):
    """Put each of `items` (saved WireItems with terms) into the group of its most similar recent
    item, or a new group. Returns how many joined an existing group."""
    from .models import StoryGroup, WireItem

    if not items:
        return 0
    now = now or timezone.now()
    if grouper is None:
        grouper = window_grouper(now=now, exclude=[item.pk for item in items])
    first_row = len(grouper.groups)
    new_groups = {}  # placeholder id (negative) -> StoryGroup to create
    joined = 0
    for item in items:
        group_id, similarity = grouper.best_group(item.terms)
        if group_id is None or similarity < conf.group_similarity():
            group_id = -(len(new_groups) + 1)
            new_groups[group_id] = StoryGroup(headline=item.headline[:300], created_at=now)
        else:
            joined += 1
        item.group_id = group_id
        grouper.add(group_id, item.terms)
    # Create the new groups in one statement, then put their real ids where placeholders stood.
    created = StoryGroup.objects.bulk_create(list(new_groups.values()))
    real = {placeholder: group.pk for placeholder, group in zip(new_groups, created, strict=True)}
    for row in range(first_row, len(grouper.groups)):
        grouper.groups[row] = real.get(grouper.groups[row], grouper.groups[row])
    for item in items:
        item.group_id = real.get(item.group_id, item.group_id)
    WireItem.objects.bulk_update(items, ["group"], batch_size=500)
    return joined
