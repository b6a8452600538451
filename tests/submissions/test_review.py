"""The editors' side: the queue, decisions, the draft article, resending, history, guidelines."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from broadsheet.newsroom.models import Article, Revision
from broadsheet.newsroom.text import to_body
from broadsheet.submissions import services
from broadsheet.submissions.models import Guidelines, Submission

from .helpers import BODY, form_data, picture, send

pytestmark = pytest.mark.django_db


def sent_submission(client, **overrides):
    data = form_data(**overrides)
    if overrides.pop("with_picture", False) or "picture" in data:
        data["picture"] = picture()
    data.pop("with_picture", None)
    response = client.post("/publish/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.get(form_key=data["form_key"])


def decide(client, submission, decision, message=""):
    return client.post(
        reverse("admin:submissions_submission_decide", args=[submission.pk]),
        {"decision": decision, "message": message},
    )


def test_editor_accepts_and_publishes_the_article_credited_to_the_contributor(
    client, editor, django_capture_on_commit_callbacks
):
    submission = sent_submission(
        client,
        with_picture=True,
        original_source="Island Gazette",
        original_url="https://gazette.example/ferry",
    )
    client.force_login(editor)
    change = client.get(reverse("admin:submissions_submission_change", args=[submission.pk]))
    page = change.content.decode()
    assert "mara.quill@example.net" in page  # editors see the email
    assert "Accept (create a draft article)" in page and "Near-duplicates" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, submission, "accept")
    article = Article.objects.get()
    assert response["Location"] == reverse("admin:newsroom_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT and article.created_by == editor
    assert article.body == to_body(BODY) and article.section == submission.section
    assert article.source.name == "Island Gazette" and article.source_url == "https://gazette.example/ferry"
    assert sorted(t.name for t in article.tags.all()) == ["ferries", "islands"]
    assert article.image and article.image.name.startswith("articles/")
    assert article.image_caption == "The empty quay" and article.image_credit == "Mara Quill"
    author = article.authors.get()
    assert author.is_guest and author.name == "Mara Quill"
    assert author.contact_email == "mara.quill@example.net" and author.bio == "Mara writes about island life."
    assert Revision.objects.filter(article=article, created_by=editor).exists()
    assert [m.to for m in mail.outbox] == [["mara.quill@example.net"]] and "accepted" in mail.outbox[
        0
    ].subject
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.article == article
    assert (
        client.get(article.get_absolute_url()).status_code == 404
    )  # nothing public before an editor publishes
    client.post(
        reverse("admin:newsroom_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    client.logout()
    public = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="author"' in public and "Mara Quill" in public
    assert "Source:" in public and "mara.quill@example.net" not in public


def test_changes_requested_then_resent_through_the_status_link(
    client, editor, django_capture_on_commit_callbacks
):
    submission = sent_submission(client)
    client.force_login(editor)
    assert decide(client, submission, "changes", "").status_code == 302  # no message: refused
    submission.refresh_from_db()
    assert submission.status == "new"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, submission, "changes", "Please name the council officer you quote.")
    assert "Please name the council officer" in mail.outbox[0].body
    assert submission.get_status_url() in mail.outbox[0].body
    client.logout()
    status = client.get(submission.get_status_url()).content.decode()
    assert "Changes requested" in status and "Please name the council officer you quote." in status
    edit_url = reverse("submissions:edit", args=[submission.token])
    form = client.get(edit_url).content.decode()
    assert "Kestrel Island waits for its ferry" in form and "contributor_email" not in form
    data = form_data(body=BODY + " The officer, Ines Brack, declined to comment.", section=submission.section)
    for key in ("contributor_name", "contributor_email", "form_key"):
        data.pop(key)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "new" and "Ines Brack" in submission.body
    assert [e.kind for e in submission.events.all()] == ["sent", "changes", "resent"]
    assert "resent" in mail.outbox[0].subject.lower() or "again" in mail.outbox[0].body
    assert client.get(edit_url).status_code == 302  # no editing while it waits for review


def test_rejection_gives_the_reason_on_the_status_page(client, editor, django_capture_on_commit_callbacks):
    submission = sent_submission(client)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, submission, "reject", "We covered this story last week.")
    client.logout()
    status = client.get(submission.get_status_url()).content.decode()
    assert "Rejected" in status and "We covered this story last week." in status
    assert "We covered this story last week." in mail.outbox[-1].body
    client.force_login(editor)
    decide(client, submission, "accept")  # already decided: refused, nothing created
    assert not Article.objects.exists()


def test_bulk_actions_spam_and_reject_with_a_reason(client, editor):
    first = sent_submission(client, body=BODY + " One.")
    second = sent_submission(client, body=BODY + " Two.", contributor_email="b@example.net")
    client.force_login(editor)
    url = reverse("admin:submissions_submission_changelist")
    page = client.post(url, {"action": "reject_selected", "_selected_action": [first.pk, second.pk]})
    assert page.status_code == 200 and "Message to the contributor" in page.content.decode()
    client.post(
        url,
        {
            "action": "reject_selected",
            "_selected_action": [first.pk, second.pk],
            "apply": "1",
            "message": "Not for us, thank you.",
        },
    )
    assert set(Submission.objects.values_list("status", flat=True)) == {"rejected"}
    third = sent_submission(client, body=BODY + " Three.", contributor_email="c@example.net")
    client.post(url, {"action": "mark_spam_selected", "_selected_action": [third.pk]})
    third.refresh_from_db()
    assert third.status == "spam" and third.events.last().kind == "spam"


def test_queue_filters_by_state_and_age_and_shows_counts_on_the_dashboard(client, editor):
    fresh = sent_submission(client, headline="Fresh story from the quay")
    old = sent_submission(
        client, headline="Old story from the hills", body=BODY + " Old.", contributor_email="o@example.net"
    )
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(editor)
    url = reverse("admin:submissions_submission_changelist")
    month = client.get(url, {"age": "month"}).content.decode()
    assert "Old story from the hills" in month and "Fresh story from the quay" not in month
    day = client.get(url, {"age": "day", "status__exact": "new"}).content.decode()
    assert "Fresh story from the quay" in day and "Old story from the hills" not in day
    services.reject(fresh, editor=editor, reason="No.")
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert "Submissions awaiting review" in dashboard
    assert "<td>1</td>" in dashboard.split("Submissions awaiting review")[1][:200]


def test_writers_cannot_review_submissions(client, writer):
    submission = sent_submission(client)
    client.force_login(writer)
    assert client.get(reverse("admin:submissions_submission_changelist")).status_code == 403
    assert decide(client, submission, "accept").status_code == 403
    assert not Article.objects.exists()


def test_editors_change_the_guidelines_shown_on_the_form(client, editor):
    client.force_login(editor)
    listing = client.get(reverse("admin:submissions_guidelines_changelist"))
    assert listing.status_code == 302
    response = client.post(listing["Location"], {"text": "We want **harbour** stories only."})
    assert response.status_code == 302
    assert Guidelines.objects.count() == 1
    assert "<strong>harbour</strong> stories only" in client.get("/publish/").content.decode()


def test_accepting_twice_makes_one_article(client, editor):
    submission = sent_submission(client)
    services.accept(submission, editor=editor)
    with pytest.raises(services.DecisionError):
        services.accept(submission, editor=editor)
    assert Article.objects.count() == 1


def test_nothing_a_stranger_sends_reaches_the_public_site(client):
    sent_submission(client, headline="Unreviewed claim about the ferry")
    for url in ("/", "/sitemap.xml"):
        assert "Unreviewed claim" not in client.get(url).content.decode()


def test_history_lists_every_step(client, editor):
    submission = sent_submission(client)
    services.request_changes(submission, editor=editor, message="Shorter, please.")
    client.force_login(editor)
    page = client.get(reverse("admin:submissions_submission_change", args=[submission.pk])).content.decode()
    assert "Sent" in page and "Changes requested" in page and "Shorter, please." in page


def test_resend_is_checked_like_a_new_submission(client, editor):
    submission = sent_submission(client)
    services.request_changes(submission, editor=editor, message="More detail.")
    data = form_data(body="Too short.", section=submission.section)
    response = client.post(reverse("submissions:edit", args=[submission.token]), data)
    assert response.status_code == 200 and "send at least 30" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "changes"


def test_sending_works_without_the_optional_fields(client):
    data = form_data(summary="", tags="", image_caption="", image_credit="", contributor_bio="")
    assert client.post("/publish/", data).status_code == 302
    assert send(client).status_code == 200  # the same text again: refused as a duplicate
