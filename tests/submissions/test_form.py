"""The public form: sending, errors with text kept, preview, pictures, and the abuse defences."""

import io
import re
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from broadsheet.core.antispam import make_stamp
from broadsheet.submissions.models import Guidelines, Submission

from .helpers import BODY, form_data, picture, send

pytestmark = pytest.mark.django_db


def test_form_page_shows_guidelines_required_marks_and_privacy_promise(client):
    Guidelines.objects.create(text="Send **original** work about the islands.")
    page = client.get("/publish/").content.decode()
    assert "<strong>original</strong> work about the islands" in page
    assert "Your email address is never published" in page
    assert 'name="contributor_email"' in page and "(required)" in page
    assert 'name="preview"' in page and 'name="website_url_confirm"' in page
    assert 'style="' not in page
    # No inline script: only files (publish.js fills in the form's stamp, see test_shared_page).
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_sending_an_article_thanks_the_contributor_and_mails_both_sides(
    client, settings, django_capture_on_commit_callbacks
):
    settings.BROADSHEET_EDITOR_EMAILS = ["desk@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client)
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == submission.get_thanks_url()
    thanks = client.get(response["Location"])
    page = thanks.content.decode()
    assert "awaits review" in page and submission.get_status_url() in page
    assert thanks["X-Robots-Tag"] == "noindex, nofollow"
    assert submission.status == Submission.Status.NEW and submission.rights_confirmed
    assert [m.to for m in mail.outbox] == [["mara.quill@example.net"], ["desk@example.org"]]
    assert submission.get_status_url() in mail.outbox[0].body
    assert "/admin/submissions/submission/" in mail.outbox[1].body
    assert submission.token not in mail.outbox[1].body


def test_missing_and_short_fields_are_explained_and_everything_typed_is_kept(client):
    response = send(client, contributor_email="", body="Too short to print.", rights_confirmed=None)
    page = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "This field is required." in page
    assert "The article is 4 words long; send at least 30." in page
    assert "Please confirm that you wrote the article" in page
    assert "Kestrel Island waits for its ferry" in page and "Mara writes about island life." in page
    assert "Too short to print." in page


def test_hostile_input_is_refused_or_kept_as_text_never_a_500(client):
    cases = [
        {"headline": "x" * 5000},
        {"body": "word " * 20000},
        {"headline": "Nul\x00byte"},
        {"section": "not-a-number"},
        {"section": "999999"},
        {"contributor_email": "not an email"},
        {"original_url": "javascript:alert(1)"},
        {"tags": ",".join(f"tag{i}" for i in range(20))},
        {"headline": "<script>alert('x')</script> Ferry"},
    ]
    for i, overrides in enumerate(cases):
        response = send(client, form_key=f"hostile-case-{i:04d}-xxxxxx", **overrides)
        assert response.status_code in (200, 302), overrides
        if response.status_code == 200:
            assert "<script>alert" not in response.content.decode()
    stored = Submission.objects.filter(headline__contains="Ferry").first()
    if stored:
        page = client.get(stored.get_status_url()).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_broken_utf8_bytes_are_kept_as_replacement_characters(client):
    data = form_data()
    data["headline"] = "Ferry %FF%FE news"
    from urllib.parse import urlencode

    body = urlencode({k: v for k, v in data.items() if k != "headline"}) + "&headline=Ferry+%FF%FE+news"
    response = client.generic("POST", "/publish/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Submission.objects.get().headline.startswith("Ferry ")


def test_script_in_body_is_sanitised_in_the_preview(client):
    body = BODY + "\n\n<script>alert(1)</script>\n\nA **bold** [a](javascript:alert(2)) claim."
    response = client.post("/publish/", form_data(body=body, preview="1", send=None))
    page = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page and 'href="javascript' not in page
    assert "Kestrel Island waits for its ferry" in page  # the form is shown again, filled in


def test_picture_attached_before_a_preview_is_sent_with_the_article(client):
    data = form_data(preview="1", send=None)
    data["picture"] = picture()
    page = client.post("/publish/", data).content.decode()
    assert "A picture is attached" in page
    held = page.split('name="held_picture" value="')[1].split('"')[0]
    response = send(client, held_picture=held)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.image.name.startswith("submissions/")
    with Image.open(submission.image.open("rb")) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_a_forged_held_picture_reference_is_ignored(client):
    response = send(client, held_picture="submissions/held/../../secret_key")
    assert response.status_code == 302
    assert not Submission.objects.get().image


def test_files_that_are_not_pictures_are_refused_with_the_text_kept(client):
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")
    uploads = [
        SimpleUploadedFile("notes.jpg", b"this is not a picture", content_type="image/jpeg"),
        SimpleUploadedFile("bomb.png", bomb.getvalue(), content_type="image/png"),
        SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
    ]
    for upload in uploads:
        data = form_data()
        data["picture"] = upload
        response = client.post("/publish/", data)
        page = response.content.decode()
        assert response.status_code == 200, upload.name
        assert "picture" in page.lower() and "Kestrel Island waits for its ferry" in page
    assert not Submission.objects.exists()


def test_double_click_on_send_makes_one_submission(client):
    data = form_data()
    first = client.post("/publish/", data)
    second = client.post("/publish/", data)
    assert Submission.objects.count() == 1
    assert first["Location"] == second["Location"] == Submission.objects.get().get_thanks_url()


def test_exact_duplicate_is_refused_with_an_explanation(client):
    send(client)
    response = send(client, headline="Another headline", body=BODY.upper().replace(".", " ."))
    page = response.content.decode()
    assert response.status_code == 200 and Submission.objects.count() == 1
    assert "exactly this text" in page and "Another headline" in page


def test_honeypot_and_too_fast_forms_are_refused_and_keep_the_text(client):
    response = send(client, website_url_confirm="http://spam.example")
    assert "looks automated" in response.content.decode()
    response = send(client, form_stamp=make_stamp(time.time()))
    page = response.content.decode()
    assert "faster than a person" in page and "Kestrel Island waits for its ferry" in page
    assert not Submission.objects.exists()


def test_stale_or_forged_form_stamp_asks_to_send_again(client):
    page = send(client, form_stamp="garbage:from:an:old:server").content.decode()
    assert "could not be checked" in page and "Mara writes about island life." in page
    # The form shown again carries a stamp of its own time, never one dated back (that would
    # let a script skip the wait): sent at once it is too fast, sent later it works.
    stamp = page.split('name="form_stamp" value="')[1].split('"')[0]
    assert "faster than a person" in send(client, form_stamp=stamp).content.decode()


def test_too_many_links_are_refused(client):
    body = BODY + " " + " ".join(f"https://example.org/{i}" for i in range(11))
    page = send(client, body=body).content.decode()
    assert "we accept at most 10" in page and not Submission.objects.exists()
    assert "Links are not allowed here." in send(client, headline="Visit www.example.org").content.decode()


def test_rate_limits_per_address_and_per_email(client, settings):
    for i in range(3):
        assert (
            send(client, body=f"{BODY} Update {i}.", form_key=f"rate-email-{i}-xxxxxxxxxx").status_code == 302
        )
    response = send(client, body=f"{BODY} Update 9.", form_key="rate-email-9-xxxxxxxxxx")
    assert response.status_code == 429 and "from this email address" in response.content.decode()
    assert "Update 9." in response.content.decode()
    for i in range(2):
        send(
            client,
            body=f"{BODY} Other {i}.",
            contributor_email=f"o{i}@example.net",
            form_key=f"rate-ip-{i}-xxxxxxxx",
        )
    response = send(
        client, body=f"{BODY} Last.", contributor_email="last@example.net", form_key="rate-ip-x-xxxxxxxx"
    )
    assert response.status_code == 429 and "from your connection" in response.content.decode()
    assert Submission.objects.count() == 4


def test_a_mail_failure_does_not_lose_the_submission(client, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("broadsheet.submissions.notifications.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.events.filter(kind="mail_failed").count() == 2
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_duplicate_check_never_reveals_an_unpublished_draft(client, status):
    import datetime

    from django.utils import timezone

    from broadsheet.submissions import duplicates
    from tests.conftest import make_article

    later = timezone.now() + datetime.timedelta(days=1) if status == "scheduled" else None
    draft = make_article(body=BODY, status="published" if later else "draft", publish_at=later)
    duplicates.fingerprint_articles([draft.pk])
    response = send(client)
    assert response.status_code == 302 and "exactly this text" not in response.content.decode()
    assert Submission.objects.count() == 1


def test_duplicate_check_refuses_a_published_story_but_not_anothers_submission(client):
    from broadsheet.submissions import duplicates
    from tests.conftest import make_article

    send(client, contributor_email="someone.else@example.org")
    assert send(client).status_code == 302  # another contributor's text is not named
    assert Submission.objects.count() == 2
    story = make_article(body=BODY + " Published.")
    duplicates.fingerprint_articles([story.pk])
    response = send(client, body=BODY + " Published.", headline="A third try")
    assert response.status_code == 200 and "exactly this text" in response.content.decode()


def test_a_headline_or_name_of_control_characters_only_is_required_not_stored_empty(client):
    """Django's required check sees "\\x01\\x02"; our cleaning then removes every character. Found
    by the public-forms fuzz test on one run."""
    for i, overrides in enumerate(({"headline": "\x01\x02"}, {"contributor_name": "\x07 \x08"})):
        response = send(client, form_key=f"control-only-{i:04d}-xxxxxxxx", **overrides)
        assert response.status_code == 200, overrides
        assert "This field is required." in response.content.decode()
    assert not Submission.objects.exists()
