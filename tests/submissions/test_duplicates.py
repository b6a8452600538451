"""The near-duplicate check: fingerprints of articles and submissions, and what editors see."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from broadsheet.newsroom import services as newsroom
from broadsheet.submissions import duplicates
from broadsheet.submissions.fingerprints import signature, similarity
from broadsheet.submissions.models import Fingerprint, Submission
from tests.conftest import make_article

from .helpers import BODY, form_data

pytestmark = pytest.mark.django_db

STORY = (
    "Engineers at the Marrow Valley dam finished replacing the old sluice gates on Thursday after "
    "eighteen months of work that closed the reservoir path to walkers. The new gates can be opened "
    "from the control room in minutes, and the water board says flood warnings downstream will come "
    "earlier as a result. Farmers along the lower river welcomed the change but asked for compensation "
    "for the fields that flooded during the works last winter."
)
OTHER = (
    "The city orchestra will tour four northern towns this spring, playing in school halls and a "
    "converted grain store. Tickets are free for pupils, and the conductor plans short talks before "
    "each concert about the pieces and the people who wrote them."
)


def test_signatures_tell_copies_edits_and_unrelated_texts_apart():
    edited = STORY.replace("Thursday", "Friday").replace("eighteen", "nineteen")
    assert similarity(signature(STORY), signature(STORY)) == 1.0
    assert similarity(signature(STORY), signature(edited)) >= 0.5
    assert similarity(signature(STORY), signature(OTHER)) < 0.2
    assert signature("") is None and signature("\x00 !!") is None


def test_published_article_is_fingerprinted_and_found_as_the_closest_match(
    client, editor, django_capture_on_commit_callbacks
):
    article = make_article("Dam gates replaced", body=STORY, status="draft")
    make_article("Orchestra tour", body=OTHER)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(article, by=editor)
    assert Fingerprint.objects.filter(article=article).exists()
    copy = STORY.replace("Thursday", "Friday")
    assert (
        client.post("/publish/", form_data(headline="Valley dam gets new gates", body=copy)).status_code
        == 302
    )
    submission = Submission.objects.get()
    assert submission.duplicate_score >= 0.5
    client.force_login(editor)
    page = client.get(reverse("admin:submissions_submission_change", args=[submission.pk])).content.decode()
    section = page.split("near-duplicates")[1]
    assert "Dam gates replaced" in section and "%" in section and "Orchestra tour" not in section
    listing = client.get(reverse("admin:submissions_submission_changelist")).content.decode()
    assert f"{submission.duplicate_score:.0%}" in listing


def test_submissions_are_compared_with_each_other(client):
    client.post("/publish/", form_data(body=STORY))
    client.post(
        "/publish/",
        form_data(body=STORY + " A spokesperson confirmed the figures.", contributor_email="x@example.net"),
    )
    first, second = Submission.objects.order_by("pk")
    matches = duplicates.closest_matches(second)
    assert matches and matches[0]["object"] == first and matches[0]["kind"] == "submission"


def test_backfill_command_fingerprints_articles_without_one():
    make_article("One", body=STORY)
    make_article("Two", body=OTHER)
    call_command("fingerprint-articles")
    assert Fingerprint.objects.filter(article__isnull=False).count() == 2
    call_command("fingerprint-articles")
    assert Fingerprint.objects.filter(article__isnull=False).count() == 2


def test_exact_copy_of_a_published_article_is_refused(client):
    article = make_article("Dam gates replaced", body=STORY)
    duplicates.fingerprint_articles([article.pk])
    page = client.post("/publish/", form_data(body=STORY)).content.decode()
    assert "exactly this text" in page and not Submission.objects.exists()
    assert "Dam gates replaced" not in page  # a refusal never reveals what the newsroom holds


def test_seeded_articles_are_fingerprinted_in_bulk(editor):
    from broadsheet.newsroom.models import Article
    from broadsheet.newsroom.signals import articles_loaded

    ids = [make_article(body=f"{BODY} Story {i}.").pk for i in range(3)]
    articles_loaded.send(sender=Article, article_ids=ids)
    assert Fingerprint.objects.filter(article_id__in=ids).count() == 3
