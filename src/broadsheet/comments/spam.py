"""A local spam classifier: naive Bayes over the words of comments that editors called spam or not.

Nothing leaves the site. Counts live in SpamWord; learning and unlearning are a few UPDATEs. A
score is the probability (0..1) that a comment is spam, or None while the classifier has not yet
seen enough decisions of both kinds (conf.min_training()).
"""

import math
import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F

from . import conf
from .models import SpamWord
from .text import find_links

DOCS = " docs"  # a reserved row holding how many spam / good comments were learned; no token has a space
WORD_RE = re.compile(r"\w[\w'-]*\w|\w", re.UNICODE)
MAX_TOKENS = 400
INTERESTING = 20


def _domain(url):
    if not url.lower().startswith("http"):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def tokens(*, body, name="", url="", email=""):
    """The set of features of one comment: its words, the sites it links to, a few shape hints."""
    found = set()
    for word in WORD_RE.findall((body or "").lower()):
        if 2 <= len(word) <= 40 and not word.isdigit():
            found.add(word)
        if len(found) >= MAX_TOKENS:
            break
    links = find_links(body)
    for link in links[:20]:
        domain = _domain(link)
        if domain:
            found.add(f"link:{domain}"[:64])
    found.add(f"links:{min(len(links), 5)}")
    if url:
        domain = _domain(url)
        if domain:
            found.add(f"site:{domain}"[:64])
    else:
        found.add("site:none")
    for word in WORD_RE.findall((name or "").lower())[:5]:
        found.add(f"name:{word}"[:64])
    if email and "@" in email:
        found.add(f"maildomain:{email.rsplit('@', 1)[1].lower()}"[:64])
    return {t[:64] for t in found}


def comment_tokens(comment):
    return tokens(
        body=comment.body, name=comment.author_name, url=comment.author_url, email=comment.author_email
    )


@transaction.atomic
def _change(token_set, field, delta):
    rows = [*token_set, DOCS]
    if delta > 0:
        SpamWord.objects.bulk_create([SpamWord(token=t) for t in rows], ignore_conflicts=True)
        SpamWord.objects.filter(token__in=rows).update(**{field: F(field) + delta})
    else:
        SpamWord.objects.filter(token__in=rows, **{f"{field}__gt": 0}).update(**{field: F(field) + delta})


def learn(comment, *, is_spam):
    """Teach the classifier an editor's decision about `comment`, replacing any earlier one."""
    wanted = "spam" if is_spam else "ham"
    if comment.learned_as == wanted:
        return
    token_set = comment_tokens(comment)
    if comment.learned_as:
        _change(token_set, comment.learned_as, -1)
    _change(token_set, wanted, +1)
    comment.learned_as = wanted
    type(comment).objects.filter(pk=comment.pk).update(learned_as=wanted)


def score_tokens(token_set):
    counts = {row.token: (row.spam, row.ham) for row in SpamWord.objects.filter(token__in=[*token_set, DOCS])}
    spam_docs, ham_docs = counts.pop(DOCS, (0, 0))
    minimum = conf.min_training()
    if spam_docs < minimum or ham_docs < minimum:
        return None
    probabilities = []
    for spam, ham in counts.values():
        seen = spam + ham
        if not seen:
            continue
        spam_rate, ham_rate = spam / spam_docs, ham / ham_docs
        p = spam_rate / (spam_rate + ham_rate) if spam_rate + ham_rate else 0.5
        # Robinson's smoothing: a word seen once says little; pull it towards 0.5.
        p = (0.5 + seen * p) / (1 + seen)
        probabilities.append(min(max(p, 0.01), 0.99))
    if not probabilities:
        return 0.5
    probabilities.sort(key=lambda p: abs(p - 0.5), reverse=True)
    chosen = probabilities[:INTERESTING]
    log_spam = sum(math.log(p) for p in chosen)
    log_ham = sum(math.log(1 - p) for p in chosen)
    # P(spam) = prod p / (prod p + prod (1-p)), computed in log space.
    diff = max(min(log_ham - log_spam, 700), -700)
    return 1 / (1 + math.exp(diff))


def score(*, body, name="", url="", email=""):
    return score_tokens(tokens(body=body, name=name, url=url, email=email))
