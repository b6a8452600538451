"""A contributor's story goes live: one "your story is live" email with its link, the status
page says Published and links to it, and the editor's acceptance note is kept and shown."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.signals import articles_due, send_robustly
from broadsheet.submissions import services
from broadsheet.submissions.models import Submission
from tests.desk.conftest import save

from .test_review import decide, sent_submission

pytestmark = pytest.mark.django_db

NOTE = "Lovely reporting. We tightened the second paragraph and will run it on Saturday."


def accepted(client, editor, capture, note=NOTE):
    submission = sent_submission(client)
    client.force_login(editor)
    with capture(execute=True):
        decide(client, submission, "accept", note)
    submission.refresh_from_db()
    return submission, submission.article


def publish_in_the_desk(client, article, capture, **kw):
    article.refresh_from_db()
    with capture(execute=True):
        response = save(
            client,
            article,
            action="publish",
            authors=list(article.authors.values_list("pk", flat=True)),
            **kw,
        )
    assert response.status_code == 200, response.content[:500]
    article.refresh_from_db()
    return article


def live_mails(outbox, address="mara.quill@example.net"):
    return [m for m in outbox if "Your story is live" in m.subject and address in m.to]


def test_the_acceptance_note_is_mailed_and_kept_on_the_status_page(
    client, editor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    submission, _article = accepted(client, editor, django_capture_on_commit_callbacks)
    (accepted_mail,) = [m for m in mail.outbox if "accepted" in m.subject]
    assert NOTE in accepted_mail.body
    client.logout()
    page = client.get(submission.get_status_url()).content.decode()
    assert NOTE in page and "Accepted" in page and "Published" not in page


def test_an_acceptance_without_a_note_says_what_happens_next(
    client, editor, django_capture_on_commit_callbacks
):
    submission, _article = accepted(client, editor, django_capture_on_commit_callbacks, note="")
    client.logout()
    assert "an editor will prepare your article" in client.get(submission.get_status_url()).content.decode()


def test_publishing_tells_the_contributor_once_with_the_link_even_when_published_again(
    client, editor, django_capture_on_commit_callbacks
):
    submission, article = accepted(client, editor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    article = publish_in_the_desk(client, article, django_capture_on_commit_callbacks)
    assert article.is_published()
    (live,) = live_mails(mail.outbox)
    assert live.subject == f"Your story is live: {article.headline}"
    assert (
        f"http://testserver{article.get_absolute_url()}" in live.body
        or article.get_absolute_url() in live.body
    )
    assert submission.get_status_url() in live.body

    # Unpublished, edited and published again: no second email.
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.unpublish(Article.objects.get(pk=article.pk), by=editor)
    publish_in_the_desk(client, article, django_capture_on_commit_callbacks, summary="A new dek.")
    assert services.tell_contributor_story_is_live(article_id=article.pk) == 0
    assert len(live_mails(mail.outbox)) == 1

    client.logout()
    page = client.get(submission.get_status_url()).content.decode()
    assert "Status: <strong>Published</strong>" in page
    assert f'href="{article.get_absolute_url()}"' in page
    assert NOTE in page  # the acceptance note is still there after publication
    submission.refresh_from_db()
    assert submission.published_at is not None
    assert list(submission.events.values_list("kind", flat=True)).count("published") == 1


def test_a_scheduled_story_tells_the_contributor_at_its_time_not_before(
    client, editor, django_capture_on_commit_callbacks
):
    submission, article = accepted(client, editor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    at = timezone.now() + datetime.timedelta(hours=2)
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = save(
            client,
            article,
            action="schedule",
            publish_at=at.isoformat(),
            authors=list(article.authors.values_list("pk", flat=True)),
        )
    assert response.status_code == 200
    assert live_mails(mail.outbox) == []
    assert services.tell_contributors_of_due_stories() == 0  # the worker's chore: not yet
    client.logout()
    assert "Published" not in client.get(submission.get_status_url()).content.decode()

    # Its time comes (the clock is moved by moving the story's time into the past).
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    send_robustly(articles_due, article_ids=[article.pk])  # the page cache noticed it was due
    assert len(live_mails(mail.outbox)) == 1
    assert services.tell_contributors_of_due_stories() == 0  # the worker's chore finds it done
    assert len(live_mails(mail.outbox)) == 1
    assert "Status: <strong>Published</strong>" in client.get(submission.get_status_url()).content.decode()


def test_the_workers_chore_catches_a_scheduled_story_nobody_noticed(
    client, editor, django_capture_on_commit_callbacks
):
    _submission, article = accepted(client, editor, django_capture_on_commit_callbacks)
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()
    assert services.tell_contributors_of_due_stories() == 1
    assert services.tell_contributors_of_due_stories() == 0
    assert len(live_mails(mail.outbox)) == 1


def test_a_story_not_from_a_submission_sends_nothing(client, editor, django_capture_on_commit_callbacks):
    from tests.conftest import make_article

    article = make_article(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(article, by=editor)
    assert mail.outbox == []


def test_the_live_email_goes_through_a_real_smtp_server(
    client, editor, django_capture_on_commit_callbacks, smtp
):
    submission, article = accepted(client, editor, django_capture_on_commit_callbacks)
    article = publish_in_the_desk(client, article, django_capture_on_commit_callbacks)
    publish_in_the_desk(client, article, django_capture_on_commit_callbacks, summary="Again.")
    live = [m for m in smtp.to("mara.quill@example.net") if m["Subject"].startswith("Your story is live")]
    assert len(live) == 1
    text = live[0].get_content()
    assert article.get_absolute_url() in text and submission.get_status_url() in text
    accepted_mail = [m for m in smtp.to("mara.quill@example.net") if "accepted" in m["Subject"]]
    assert NOTE in accepted_mail[0].get_content()


def test_an_smtp_failure_is_noted_and_never_retried_into_a_second_email(
    client, editor, django_capture_on_commit_callbacks, smtp
):
    submission, article = accepted(client, editor, django_capture_on_commit_callbacks)
    smtp.refuse["mara.quill@example.net"] = "550 5.1.1 No such user"
    publish_in_the_desk(client, article, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.published_at is not None
    assert submission.events.filter(kind="mail_failed", message__contains="published").exists()
    del smtp.refuse["mara.quill@example.net"]
    assert services.tell_contributors_of_due_stories() == 0
    assert not [m for m in smtp.messages if m["Subject"].startswith("Your story is live")]
    assert Submission.objects.get(pk=submission.pk).live_article() is not None
