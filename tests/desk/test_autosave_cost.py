"""What an autosave costs: a draft nobody has read changes no index, related list, feed or
fingerprint, so an autosave queues none of that work; a bounded number of queries; the answer
is built from what was saved, not read back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.desk import services as desk
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.signals import article_changed
from tests.conftest import make_section, make_user

from .conftest import save

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every article_changed the newsroom sends, with its seen_by_readers."""
    events = []

    def listener(sender, article, seen_by_readers=True, **kwargs):
        events.append((article.pk, seen_by_readers))

    article_changed.connect(listener, dispatch_uid="test-autosave-heard")
    yield events
    article_changed.disconnect(dispatch_uid="test-autosave-heard")


def draft():
    make_section("News")
    return desk.new_story(by=make_user("writer-of-drafts", role="Editor"))


def test_autosaving_a_draft_tells_listeners_readers_see_nothing_new(
    editor_client, heard, django_capture_on_commit_callbacks
):
    article = draft()
    with django_capture_on_commit_callbacks(execute=True):
        assert save(editor_client, article, headline="A draft nobody has read").status_code == 200
    assert heard == [(article.pk, False)]


@pytest.mark.parametrize("action", ["review", "publish"])
def test_a_workflow_step_or_a_public_story_is_announced_to_everyone(
    editor_client, heard, django_capture_on_commit_callbacks, action
):
    article = draft()
    with django_capture_on_commit_callbacks(execute=True):
        assert save(editor_client, article, headline="Going out", action=action).status_code == 200
    assert heard == [(article.pk, True)]
    article.refresh_from_db()
    heard.clear()
    if action == "publish":  # an autosave of a live story is seen (desk Update is a save too)
        with django_capture_on_commit_callbacks(execute=True):
            assert save(editor_client, article, summary="A new dek").status_code == 200
        assert heard == [(article.pk, True)]


def test_a_drafts_autosave_queues_no_index_related_wire_or_fingerprint_work(
    editor_client, django_capture_on_commit_callbacks
):

    article = draft()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            save(editor_client, article, headline="Quiet draft", tags=["harbour", "cranes"]).status_code
            == 200
        )
    article.refresh_from_db()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = save(
            editor_client,
            article,
            headline="Quiet draft",
            tags=["harbour", "cranes"],
            body="<p>More words.</p>",
        )
        assert response.status_code == 200
    statements = [q["sql"].lower() for q in queries.captured_queries]
    for table in ("search_", "submissions_fingerprint", "wire_"):
        assert not [q for q in statements if table in q], table
    writes = [q for q in statements if q.startswith(("insert", "update", "delete"))]
    assert not [q for q in writes if "related_" in q or "django_tasks" in q]
    # A bounded number of queries: the session and permissions, the save itself, its revision
    # check, the tags, and the row's own purge; nothing read back for the answer.
    assert len(queries.captured_queries) <= 26, "\n".join(q["sql"][:110] for q in queries.captured_queries)


def test_the_answer_carries_what_was_saved(editor_client):
    article = draft()
    response = save(editor_client, article, headline="Answered", tags=["Harbour", "cranes"])
    story = response.json()["story"]
    assert story["tags"] == ["Harbour", "cranes"] and story["headline"] == "Answered"
    assert story["saved_by"] == "ed" and story["version"] == Article.objects.get(pk=article.pk).version
    again = save(editor_client, Article.objects.get(pk=article.pk), tags=["harbour"]).json()["story"]
    assert again["tags"] == ["harbour"]
    assert list(Article.objects.get(pk=article.pk).tags.values_list("name", flat=True)) == ["Harbour"]


def test_a_story_one_may_not_edit_is_not_found_and_nothing_is_saved(client):
    article = draft()
    client.force_login(make_user("someone-else", role="Writer"))
    assert save(client, article, headline="Not mine").status_code == 404
    assert Article.objects.get(pk=article.pk).headline == ""
