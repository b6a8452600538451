"""`broadsheet related rebuild` recomputes every list; `related show` prints one."""

import io

import pytest
from django.core.management import CommandError, call_command

from broadsheet.related import services
from broadsheet.related.models import IndexState, RelatedEntry

from .conftest import keys_of, load_stories

pytestmark = pytest.mark.django_db


def test_rebuild_command_computes_every_list(db):
    articles = load_stories()
    assert not RelatedEntry.objects.exists()
    out, err = io.StringIO(), io.StringIO()
    call_command("related", "rebuild", stdout=out, stderr=err)
    assert f"rebuilt for {len(articles)} articles" in out.getvalue()
    assert "Rebuilding related lists" in err.getvalue()  # the progress bar
    assert IndexState.objects.get().documents == len(articles)
    assert "ferry-2" in keys_of(services.related_for(articles["ferry-1"], limit=2), articles)


def test_rebuild_twice_gives_the_same_lists(stories):
    first = list(RelatedEntry.objects.order_by("article_id", "rank").values_list("article_id", "related_id"))
    call_command("related", "rebuild", "--no-progress", stdout=io.StringIO())
    second = list(RelatedEntry.objects.order_by("article_id", "rank").values_list("article_id", "related_id"))
    assert first == second


def test_rebuild_on_an_empty_newsroom(db):
    out = io.StringIO()
    call_command("related", "rebuild", "--no-progress", stdout=out)
    assert "rebuilt for 0 articles" in out.getvalue()


def test_show_prints_a_list_and_refuses_unknown_articles(stories):
    out = io.StringIO()
    call_command("related", "show", "ferry-1", stdout=out)
    assert stories["ferry-2"].headline in out.getvalue()
    with pytest.raises(CommandError, match="No article"):
        call_command("related", "show", "no-such-story", stdout=io.StringIO())


def test_rebuild_agrees_with_one_at_a_time_updates(db):
    articles = load_stories()
    services.update_related([a.pk for a in articles.values()])
    incremental = {k: keys_of(services.related_for(a, limit=2), articles) for k, a in articles.items()}
    services.rebuild_related()
    rebuilt = {k: keys_of(services.related_for(a, limit=2), articles) for k, a in articles.items()}
    same = sum(set(incremental[k]) == set(rebuilt[k]) for k in articles)
    assert same >= len(articles) - 2


@pytest.mark.django_db(transaction=True)
def test_rebuild_in_reader_processes_gives_the_same_lists(monkeypatch, settings):
    from broadsheet.related import reading

    articles = load_stories()
    services.rebuild_related()
    in_process = list(
        RelatedEntry.objects.order_by("article_id", "rank").values_list("article_id", "related_id")
    )
    monkeypatch.setattr(reading, "PARALLEL_FROM", 1)
    monkeypatch.setattr(reading, "READ_BATCH", 4)  # several id ranges per reader
    settings.BROADSHEET_RELATED_REBUILD_PROCESSES = 2
    assert services.rebuild_related() == len(articles)
    in_readers = list(
        RelatedEntry.objects.order_by("article_id", "rank").values_list("article_id", "related_id")
    )
    assert in_readers == in_process


def test_rebuilt_lists_are_ranked_best_first_and_cut_to_length(stories):
    from broadsheet.related import conf, vectors

    stored = vectors.Tuning(**conf.tuning()).stored
    lists = {}
    for article_id, rank, score in RelatedEntry.objects.order_by("article_id", "rank").values_list(
        "article_id", "rank", "score"
    ):
        lists.setdefault(article_id, []).append((rank, score))
    assert lists
    for entries in lists.values():
        assert [rank for rank, _ in entries] == list(range(len(entries))) and len(entries) <= stored
        assert [score for _, score in entries] == sorted((score for _, score in entries), reverse=True)
