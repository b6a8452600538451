"""A contributor's email appears in no public answer; the contributor can have everything deleted."""

import pytest
from django.core import mail
from django.urls import reverse

from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Author
from broadsheet.submissions import services
from broadsheet.submissions.models import Fingerprint, Submission, SubmissionEvent

from .helpers import form_data, picture

pytestmark = pytest.mark.django_db

EMAIL = "secret.writer@example.net"

# Public addresses to check. Apps built later add theirs here; an address that does not exist
# yet answers 404, which cannot leak anything either, so the list may name them in advance.
PUBLIC_URLS = [
    "/",
    "/feed/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/robots.txt",
    "/search/?q=Kestrel",
    "/api/",
    "/api/openapi.json",
    "/api/articles/",
    "/api/authors/",
    "/publish/",
]


def accepted_and_published(client, editor, django_capture_on_commit_callbacks):
    data = form_data(contributor_email=EMAIL)
    data["picture"] = picture()
    client.post("/publish/", data)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        article = services.accept(submission, editor=editor)
        newsroom.publish(article, by=editor)
    return submission, article


def test_contributor_email_is_in_no_public_answer(client, editor, django_capture_on_commit_callbacks):
    submission, article = accepted_and_published(client, editor, django_capture_on_commit_callbacks)
    author = article.authors.get()
    urls = PUBLIC_URLS + [
        article.get_absolute_url(),
        author.get_absolute_url(),
        article.section.get_absolute_url(),
        f"/api/articles/{article.pk}/",
        f"/api/articles/{article.slug}/",
        submission.get_status_url(),
        submission.get_thanks_url(),
        reverse("submissions:delete", args=[submission.token]),
    ]
    checked = 0
    for url in urls:
        response = client.get(url, HTTP_ACCEPT="application/json, text/html")
        body = response.content.decode("utf-8", "replace").lower()
        assert EMAIL not in body, url
        assert "secret.writer" not in body, url
        checked += response.status_code == 200
    assert checked >= 8
    assert "Mara Quill" in client.get(article.get_absolute_url()).content.decode()


def test_status_page_shows_only_a_masked_email(client):
    client.post("/publish/", form_data(contributor_email=EMAIL))
    page = client.get(Submission.objects.get().get_status_url()).content.decode()
    assert "s•••@e•••" in page and "example.net" not in page


def test_unknown_status_token_is_a_plain_404(client):
    assert client.get("/publish/status/not-a-real-token/").status_code == 404
    assert client.get("/publish/status/" + "x" * 500 + "/").status_code == 404


def test_contributor_deletes_submission_and_personal_data(client, editor, django_capture_on_commit_callbacks):
    submission, article = accepted_and_published(client, editor, django_capture_on_commit_callbacks)
    picture_name = submission.image.name
    from django.core.files.storage import default_storage

    assert default_storage.exists(picture_name)
    delete_url = reverse("submissions:delete", args=[submission.token])
    confirm = client.get(delete_url)
    assert confirm.status_code == 200 and "Yes, delete it" in confirm.content.decode()
    assert Submission.objects.exists()  # asking is not deleting
    client.post(delete_url, {})  # no confirmation: nothing happens
    assert Submission.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("submissions:deleted")
    assert not Submission.objects.exists() and not SubmissionEvent.objects.exists()
    assert not Fingerprint.objects.filter(submission__isnull=False).exists()
    assert not default_storage.exists(picture_name)
    assert not Author.objects.filter(contact_email=EMAIL).exists()
    assert client.get(submission.get_status_url()).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 200  # the newsroom's article stays


def test_mail_queued_for_a_deleted_submission_is_dropped(client, django_capture_on_commit_callbacks):
    client.post("/publish/", form_data())
    submission = Submission.objects.get()
    services.delete_for_contributor(submission)
    from broadsheet.submissions.notifications import send

    mail.outbox.clear()
    send(submission.pk, "sent")
    assert mail.outbox == []
