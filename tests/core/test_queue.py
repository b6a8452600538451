"""Work queued beside a save: a queue that is down is logged, and what was saved stays saved."""

import pytest

from broadsheet.comments.models import Comment
from broadsheet.comments.notifications import tell_editors_of_held_comment
from tests.comments.conftest import form_data
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def test_a_comment_is_kept_when_its_email_cannot_be_queued(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("queue is down")

    monkeypatch.setattr(type(tell_editors_of_held_comment), "enqueue", queue_down)
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/comments/post/{article.pk}/", form_data(comment="Kept despite the queue."))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Kept despite the queue."
    assert "could not queue" in caplog.text and "tell_editors_of_held_comment" in caplog.text
