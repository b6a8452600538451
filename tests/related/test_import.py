"""An import is indexed in bulk: one batched update for a small one, one rebuild for a large one,
never one background task per article."""

import datetime
import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.newsroom.models import Article
from broadsheet.related import services
from broadsheet.related.models import IndexedArticle, IndexState, Term

from .conftest import keys_of, load_stories
from .stories import STORIES, clusters

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def write_stories(path):
    now = timezone.now()
    with open(path, "w", encoding="utf-8") as out:
        for key, _cluster, headline, summary, body, tags, days in STORIES:
            record = {
                "external_id": key,
                "title": headline,
                "summary": summary,
                "body": body,
                "tags": tags,
                "section": "World",
                "published": (now - datetime.timedelta(days=days, hours=1)).isoformat(),
            }
            out.write(json.dumps(record) + "\n")
    return path


def import_stories(tmp_path):
    call_command(
        "import-articles",
        str(write_stories(tmp_path / "stories.jsonl")),
        "--no-progress",
        stdout=io.StringIO(),
    )
    return {a.external_id: a for a in Article.objects.filter(external_id__in=[s[0] for s in STORIES])}


def queued_tasks():
    from django_tasks_db.models import DBTaskResult

    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def related_tasks():
    return [path for path in queued_tasks() if ".related." in path]


def run_queued_tasks():
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "*",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def test_small_import_queues_one_update_for_all_its_articles(tmp_path, settings):
    settings.TASKS = DATABASE_TASKS
    articles = import_stories(tmp_path)
    assert related_tasks() == ["broadsheet.related.tasks.update_related"]
    run_queued_tasks()
    assert "ferry-2" in keys_of(services.related_for(articles["ferry-1"], limit=2), articles)
    assert not IndexState.objects.filter(rebuilt_at__isnull=False).exists()  # no rebuild needed


def test_large_import_queues_one_rebuild(tmp_path, settings):
    settings.BROADSHEET_RELATED_BULK_LIMIT = 3
    settings.TASKS = DATABASE_TASKS
    articles = import_stories(tmp_path)
    assert related_tasks() == ["broadsheet.related.tasks.rebuild_related"]
    run_queued_tasks()
    assert "ferry-2" in keys_of(services.related_for(articles["ferry-1"], limit=2), articles)
    assert IndexState.objects.get().rebuilt_at is not None


def test_imported_stories_find_their_own_story_first_and_again_after_a_reimport(tmp_path):
    for _attempt in range(2):  # the second import updates every article in place
        articles = import_stories(tmp_path)
        for members in clusters().values():
            for key in members:
                related = keys_of(services.related_for(articles[key], limit=len(members) - 1), articles)
                assert sorted(related) == sorted(m for m in members if m != key), (key, related)


def stored_vectors():
    """{article id: {term text: weight}} as the index holds them."""
    texts = dict(Term.objects.values_list("id", "text"))
    return {
        row.article_id: dict(
            zip(
                (texts[t] for t in np.frombuffer(bytes(row.terms), np.int32).tolist()),
                np.frombuffer(bytes(row.weights), np.float32).tolist(),
                strict=True,
            )
        )
        for row in IndexedArticle.objects.all()
    }


def test_a_batch_update_weighs_each_story_as_a_rebuild_would(db):
    articles = load_stories()  # saved without announcing: nothing indexed yet
    services.update_related([a.pk for a in articles.values()])
    updated = stored_vectors()
    services.rebuild_related()
    rebuilt = stored_vectors()
    first = min(updated)
    assert set(updated[first]) == set(rebuilt[first])
    for term, weight in rebuilt[first].items():
        assert updated[first][term] == pytest.approx(weight, abs=1e-4), term
