"""How `broadsheet seed` writes: COPY on PostgreSQL, executemany elsewhere, the same site either way."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from broadsheet.newsroom import demo
from broadsheet.newsroom.management.commands import seed as seed_command
from broadsheet.newsroom.models import Article
from broadsheet.search import get_backend
from broadsheet.search import services as search
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

SEEDED_AT = datetime.datetime(2025, 3, 14, 9, 30, tzinfo=datetime.UTC)
QUERIES = ["officials", "flood relief", "Veldhaven", "strike", "Sao Tavio", "merger", "what we know"]


def seed(articles, *extra):
    call_command("seed", "--articles", str(articles), "--no-progress", *extra, stdout=io.StringIO())


def seeded_site():
    """What a reader can check of each seeded story, keyed by its seed id (ids differ between runs)."""
    articles = Article.objects.select_related("section", "source").prefetch_related("tags", "authors")
    return {
        a.external_id: (
            a.headline,
            a.slug,
            a.status,
            a.summary,
            a.body_html,
            a.publish_at,
            a.section.name,
            a.source.name if a.source else None,
            a.image.name,
            sorted(t.name for t in a.tags.all()),
            sorted(w.name for w in a.authors.all()),
        )
        for a in articles
    }


def search_hits():
    hits = {}
    for text in QUERIES:
        outcome = search.search(text, now=SEEDED_AT)
        hits[text] = [
            (r.article.external_id, str(r.headline_html), str(r.snippet_html), round(r.score, 9))
            for r in outcome.results
        ]
    return hits


def forget_the_seed():
    Article.objects.all().delete()
    get_backend().clear()


@pytest.fixture
def fixed_clock(monkeypatch):
    """Two seeds made a moment apart would date their stories a moment apart."""
    monkeypatch.setattr(timezone, "now", lambda: SEEDED_AT)


def writer_class():
    return type(seed_command.get_writer())


@pytest.mark.postgres(reason="compares COPY and the bulk search index with the executemany path")
def test_copy_and_executemany_seed_the_same_stories_and_search_finds_the_same(monkeypatch, fixed_clock):
    from broadsheet.search import postgres

    assert writer_class() is seed_command.CopyWriter
    monkeypatch.setattr(seed_command, "get_writer", seed_command.ExecutemanyWriter)
    monkeypatch.setattr(search, "BULK_MIN", 10**9)  # the search index one batch at a time
    seed(60, "--seed", "3")
    one_by_one, one_by_one_hits = seeded_site(), search_hits()
    assert any(one_by_one_hits.values())

    forget_the_seed()
    monkeypatch.setattr(seed_command, "get_writer", seed_command.CopyWriter)
    monkeypatch.setattr(seed_command.CopyWriter, "batch_size", 25)  # several batches
    monkeypatch.setattr(search, "BULK_MIN", 1)  # the bulk index, GIN index built afterwards
    monkeypatch.setattr(postgres, "BULK_RUN", 1)
    monkeypatch.setattr(postgres, "BULK_REBUILD_MIN", 1)
    index_in_bulk, taken = postgres.PostgresBackend.index_in_bulk, []
    monkeypatch.setattr(
        postgres.PostgresBackend,
        "index_in_bulk",
        lambda self, *args: taken.extend(index_in_bulk(self, *args)) or taken,
    )
    seed(60, "--seed", "3")
    if get_backend().folds_in_database():
        assert len(taken) == search.indexable_count()  # every story went in set-based
    assert seeded_site() == one_by_one
    assert search_hits() == one_by_one_hits
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [postgres.VECTOR_INDEX])
        assert cursor.fetchone(), "the GIN index is back"
    assert get_backend().count() == search.indexable_count()


def test_an_interrupted_seed_picks_up_where_it_stopped(monkeypatch, fixed_clock):
    seed(35, "--seed", "4")
    whole = seeded_site()
    forget_the_seed()

    monkeypatch.setattr(writer_class(), "batch_size", 10)
    make = demo.ArticleMaker.make

    def fail_at_story_15(self, i):
        if i == 15:
            raise ConnectionError("the database went away")
        return make(self, i)

    monkeypatch.setattr(demo.ArticleMaker, "make", fail_at_story_15)
    with pytest.raises(ConnectionError):
        seed(35, "--seed", "4")
    assert Article.objects.count() == 10  # the first batch, committed; none of the second
    monkeypatch.setattr(demo.ArticleMaker, "make", make)
    seed(35, "--seed", "4")
    assert seeded_site() == whole


def test_stories_made_in_a_second_process_are_the_same(monkeypatch, fixed_clock):
    seed(40, "--seed", "8")
    made_here = seeded_site()
    forget_the_seed()
    monkeypatch.setattr(seed_command, "MAKER_PROCESS_MIN", 1)
    monkeypatch.setattr(writer_class(), "batch_size", 7)  # batches made ahead, written in order
    seed(40, "--seed", "8")
    assert seeded_site() == made_here


def test_seeding_more_adds_the_next_stories_of_the_same_seed(fixed_clock):
    seed(30, "--seed", "5")
    seed(45, "--seed", "5")
    grown = seeded_site()
    forget_the_seed()
    seed(45, "--seed", "5")
    assert seeded_site() == grown
    assert Article.objects.filter(slug__in=[v[1] for v in grown.values()]).count() == 45


def index_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id, section_id, source_id, publish_at, headline, summary, body,"
            " vector::text FROM search_document ORDER BY article_id"
        )
        return cursor.fetchall()


@pytest.mark.postgres(reason="the bulk index makes text and vectors in PostgreSQL")
def test_bulk_index_keeps_the_same_words_as_indexing_one_by_one(monkeypatch):
    from broadsheet.search import postgres

    plain = [
        make_article(
            "Calvora braces for a cup final", body="The first signs.\n\n## Reaction\n\nMore to come."
        ),
        make_article("Zürvik and São Tavio: what we know", body='Erdoğan\'s visit to Zürvik, "as planned".'),
        make_article("A story with no body", body=""),
        make_article("Marker \ue000in\ue001 the headline", summary="And \ue000in\ue001 the summary."),
    ]
    awkward = [
        make_article("Entities", body="Fish & chips < 5 pounds"),
        make_article("Spaces", body="A non\u00a0breaking space and two  spaces"),
        make_article("Lines", body="One line\nand the next in the same paragraph"),
        make_article("Markup", body="Some **bold** words and a [link](https://example.org/)"),
        make_article("Deeper heading", body="### Small heading\n\nText"),
        make_article("Marker in the body", body="Odd \ue000 character"),
    ]
    draft = make_article("A draft", status="draft")
    ids = [a.pk for a in plain + awkward] + [draft.pk]

    get_backend().clear()
    monkeypatch.setattr(search, "BULK_MIN", 10**9)
    search.index_articles(ids)
    one_by_one = index_rows()

    get_backend().clear()
    monkeypatch.setattr(search, "BULK_MIN", 1)
    monkeypatch.setattr(postgres, "BULK_RUN", 1)
    monkeypatch.setattr(postgres, "BULK_REBUILD_MIN", 1)
    search.index_articles(ids)
    assert index_rows() == one_by_one
    assert len(one_by_one) == len(plain + awkward)

    get_backend().clear()
    taken = get_backend().index_in_bulk(ids, search.indexable().values_list(*search._INDEX_FIELDS))
    if get_backend().folds_in_database():
        assert sorted(taken) == sorted(a.pk for a in plain)  # the others go through Python


def seed_with_a_missing_tag(monkeypatch):
    from django.db import IntegrityError

    monkeypatch.setattr(writer_class(), "batch_size", 10)
    make = demo.ArticleMaker.make

    def refer_to_a_missing_tag(self, i):
        article = make(self, i)
        if i == 13:
            article.tag_ids.append(10**9)
        return article

    monkeypatch.setattr(demo.ArticleMaker, "make", refer_to_a_missing_tag)
    with pytest.raises(IntegrityError):
        seed(30, "--seed", "6")
    assert Article.objects.count() == 10  # the batch holding story 13 is not written


@pytest.mark.django_db(transaction=True)  # SQLite checks foreign keys when a transaction commits
def test_a_story_referring_to_a_missing_tag_fails_its_batch(monkeypatch):
    seed_with_a_missing_tag(monkeypatch)


@pytest.mark.postgres(reason="the COPY writer without its per-batch checks (a role that isn't superuser)")
@pytest.mark.django_db(transaction=True)
def test_without_per_batch_checks_the_foreign_keys_still_hold(monkeypatch):
    get_writer = seed_command.get_writer

    def writer_checking_each_row():
        writer = get_writer()
        writer.checks_per_batch = False
        return writer

    monkeypatch.setattr(seed_command, "get_writer", writer_checking_each_row)
    seed_with_a_missing_tag(monkeypatch)


@pytest.mark.postgres(reason="checks the settings the COPY batches change for themselves")
def test_seed_leaves_the_connection_settings_as_they_were():
    names = ["synchronous_commit", "default_toast_compression", "session_replication_role"]

    def current():
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            return cursor.fetchone()

    before = current()
    seed(20, "--seed", "7")
    assert current() == before
