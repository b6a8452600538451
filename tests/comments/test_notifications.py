"""Emails: editors on held comments, authors on new comments, commenters on replies (opt-in)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from broadsheet.comments import services
from broadsheet.comments.models import Comment
from tests.conftest import make_article

from .conftest import make_comment, save_rules

pytestmark = pytest.mark.django_db


def test_editors_are_told_of_a_held_comment(post, settings):
    settings.BROADSHEET_EDITOR_EMAILS = ["desk@newsroom.example"]
    post(make_article("Bridge repairs"), comment="Held words.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@newsroom.example"]
    assert "Bridge repairs" in message.subject and "Held words." in message.body
    assert "/admin/comments/comment/?status__exact=pending" in message.body


def test_no_editor_email_when_switched_off_or_for_spam(post, settings):
    settings.BROADSHEET_EDITOR_EMAILS = ["desk@newsroom.example"]
    save_rules(notify_editors=False)
    post(make_article())
    save_rules(notify_editors=True, disallowed_words="lottery")
    post(make_article(), comment="Win the lottery")
    assert mail.outbox == []


def test_article_authors_with_an_account_are_told_of_new_comments(post, django_capture_on_commit_callbacks):
    from broadsheet.newsroom.models import Author

    user = get_user_model().objects.create_user("reporter", email="reporter@newsroom.example")
    article = make_article("Ferry strike ends", authors=["Jon Reporter", "Guest Writer"])
    Author.objects.filter(name="Jon Reporter").update(user=user)
    post(article, comment="Thanks for this.")
    held = Comment.objects.get()
    assert not [m for m in mail.outbox if "reporter@newsroom.example" in m.to]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(held)
    sent = [m for m in mail.outbox if m.to == ["reporter@newsroom.example"]]
    assert len(sent) == 1 and "Ferry strike ends" in sent[0].subject and "Thanks for this." in sent[0].body
    assert f"/comments/{held.pk}/" in sent[0].body
    # Approving again after unapproving does not send it twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.unapprove(held)
        services.approve(held)
    assert len([m for m in mail.outbox if m.to == ["reporter@newsroom.example"]]) == 1
    save_rules(notify_authors=False, auto_approve_known=False)
    post(article, comment="Another one.", email="x@example.org")
    assert len([m for m in mail.outbox if m.to == ["reporter@newsroom.example"]]) == 1


def test_commenter_who_opted_in_is_told_of_replies_and_can_unsubscribe(post, client):
    save_rules(auto_approve_known=False)
    article = make_article("Library hours")
    post(article, comment="Why were the hours cut?", email="asker@example.org", notify="1")
    question = Comment.objects.get()
    assert question.notify_replies
    mail.outbox.clear()
    post(
        article,
        client=Client(),
        comment="Budget, I think.",
        email="answerer@example.org",
        author="Pat",
        parent=str(question.pk),
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asker@example.org"]
    assert "Pat replied" in message.subject and "Budget, I think." in message.body
    assert "answerer@example.org" not in message.body + message.subject
    link = re.search(r"http://\S+/comments/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.split("://", 1)[1].split("/", 1)[1]
    # A GET (a link scanner, a prefetching mail client) only asks; the button POSTs.
    response = Client().get("/" + path)
    assert response.status_code == 200 and "Stop reply emails" in response.content.decode()
    question.refresh_from_db()
    assert question.notify_replies
    assert '<form method="post">' in response.content.decode()
    response = Client().post("/" + path)
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    question.refresh_from_db()
    assert not question.notify_replies
    mail.outbox.clear()
    post(
        article, client=Client(), comment="Another reply.", email="third@example.org", parent=str(question.pk)
    )
    assert mail.outbox == []
    # A one-click POST from a mail program works without a CSRF token; a forged token does not.
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        Client(enforce_csrf_checks=True)
        .post("/" + path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        .status_code
        == 200
    )
    assert Client().get("/comments/unsubscribe/forged:token/").status_code == 404


def test_no_reply_email_without_opt_in_or_to_oneself(post):
    save_rules(auto_approve_known=False)
    article = make_article()
    post(article, comment="No emails please.", email="quiet@example.org")
    quiet = Comment.objects.get()
    post(article, client=Client(), comment="Replying.", email="x@example.org", parent=str(quiet.pk))
    post(article, comment="Opted in.", email="self@example.org", notify="1")
    mine = Comment.objects.get(body="Opted in.")
    post(article, comment="Talking to myself.", email="self@example.org", parent=str(mine.pk))
    assert mail.outbox == []


def test_reply_email_waits_until_the_reply_is_approved(post, django_capture_on_commit_callbacks):
    article = make_article()
    question = make_comment(article, author_email="asker@example.org", notify_replies=True)
    post(article, comment="A held reply.", email="newbie@example.org", parent=str(question.pk))
    assert not [m for m in mail.outbox if m.to == ["asker@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Comment.objects.get(body="A held reply."))
    assert len([m for m in mail.outbox if m.to == ["asker@example.org"]]) == 1


def test_an_unsubscribe_link_expires(monkeypatch):
    from django.core import signing

    from broadsheet.comments import conf
    from broadsheet.comments.notifications import unsubscribe_token

    comment = make_comment(make_article(), notify_replies=True)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - conf.UNSUBSCRIBE_MAX_AGE - 60)
    old = unsubscribe_token(comment)
    monkeypatch.setattr(signing.time, "time", real_time)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/comments/unsubscribe/{old}/")
        assert response.status_code == 404 and "expired" in response.content.decode()
    comment.refresh_from_db()
    assert comment.notify_replies
    fresh = unsubscribe_token(comment)
    assert Client().post(f"/comments/unsubscribe/{fresh}/").status_code == 200
    comment.refresh_from_db()
    assert not comment.notify_replies
