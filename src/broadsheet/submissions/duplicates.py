"""The near-duplicate check: fingerprints kept for every article and submission, looked up by band."""

import html

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils.html import strip_tags

from broadsheet.newsroom.models import Article

from . import conf
from .fingerprints import band_keys, pack, signature, similarity, text_hash, unpack
from .models import Fingerprint, FingerprintBand

CANDIDATES = 50


def article_words(article):
    """An article's body as plain text: it is stored as HTML, a submission's body as Markdown."""
    return html.unescape(strip_tags((article.body or "").replace("<", " <")))


def article_text(article, words=None):
    """Headline, summary and body words (`words`: article_words(article) when already known)."""
    words = article_words(article) if words is None else words
    return "\n".join([article.headline or "", article.summary or "", words])


def submission_text(submission):
    return "\n".join([submission.headline or "", submission.summary or "", submission.body or ""])


@transaction.atomic
def _store(objs_and_texts, *, owner):
    """Replace the fingerprints of (object, text, body) triples owned through `owner` ("article"...)."""
    Fingerprint.objects.filter(**{f"{owner}__in": [o for o, _t, _b in objs_and_texts]}).delete()
    prints, keys = [], []
    for obj, text, body in objs_and_texts:
        sig = signature(text)
        if sig is None:
            continue
        prints.append(Fingerprint(**{owner: obj}, signature=pack(sig), body_hash=text_hash(body)))
        keys.append(band_keys(sig))
    Fingerprint.objects.bulk_create(prints)
    _insert_bands([(p.pk, k) for p, ks in zip(prints, keys, strict=True) for k in ks])
    return prints


def _insert_bands(rows):
    """Write (fingerprint_id, key) rows: BANDS per fingerprint, so 16 million for a million
    seeded stories. With COPY on PostgreSQL, else one prepared INSERT: no model instance each."""
    if not rows:
        return
    table = connection.ops.quote_name(FingerprintBand._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (fingerprint_id, key) FROM STDIN") as copy:
                copy.write("".join(f"{fingerprint_id}\t{key}\n" for fingerprint_id, key in rows))
        else:
            cursor.executemany(f"INSERT INTO {table} (fingerprint_id, key) VALUES (%s, %s)", rows)


def fingerprint_articles(article_ids):
    articles = list(Article.objects.filter(pk__in=list(article_ids)).only("headline", "summary", "body"))
    triples = []
    for article in articles:
        words = article_words(article)
        triples.append((article, article_text(article, words), words))
    return _store(triples, owner="article")


def fingerprint_submission(submission):
    prints = _store([(submission, submission_text(submission), submission.body)], owner="submission")
    return prints[0] if prints else None


def find_exact_duplicate(body, *, contributor_email, exclude_submission=None):
    """A published article, or a submission from the same contributor, with the very same body
    words, or None.

    Drafts and other people's submissions are never named: refusing an outsider's text because
    an unpublished draft holds exactly it would tell them the draft exists. Editors still see
    such a match as the submission's near-duplicate score.
    """
    found = Fingerprint.objects.filter(body_hash=text_hash(body)).filter(
        Q(article__in=Article.objects.published()) | Q(submission__contributor_email=contributor_email)
    )
    if exclude_submission is not None and exclude_submission.pk:
        found = found.exclude(submission=exclude_submission)
    return found.first()


def closest_matches(submission, *, limit=None, at_least=None):
    """[{"kind", "object", "similarity"}] for the articles and submissions most like this one."""
    limit = limit or conf.duplicate_matches()
    at_least = conf.duplicate_show_at() if at_least is None else at_least
    own = Fingerprint.objects.filter(submission=submission).first()
    if own is None:
        return []
    sig = unpack(own.signature)
    candidate_ids = (
        FingerprintBand.objects.filter(key__in=band_keys(sig))
        .exclude(fingerprint=own)
        .values("fingerprint")
        .annotate(shared=Count("id"))
        .order_by("-shared")
        .values_list("fingerprint", flat=True)[:CANDIDATES]
    )
    candidates = (
        Fingerprint.objects.filter(pk__in=list(candidate_ids))
        .select_related("article", "submission")
        .only(
            "signature",
            "article__headline",
            "article__slug",
            "article__status",
            "article__publish_at",
            "submission__headline",
            "submission__status",
            "submission__created_at",
        )
    )
    matches = []
    for candidate in candidates:
        score = similarity(sig, unpack(candidate.signature))
        if score < at_least:
            continue
        if candidate.article_id:
            matches.append({"kind": "article", "object": candidate.article, "similarity": score})
        elif candidate.submission_id:
            matches.append({"kind": "submission", "object": candidate.submission, "similarity": score})
    matches.sort(key=lambda m: (-m["similarity"], m["kind"], m["object"].pk))
    return matches[:limit]


def closest_score(submission):
    matches = closest_matches(submission, limit=1, at_least=0.0)
    return matches[0]["similarity"] if matches else 0.0


def missing_article_ids():
    return Article.objects.exclude(pk__in=Fingerprint.objects.filter(article__isnull=False).values("article"))
