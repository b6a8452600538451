"""Fuzzing every public form: the article submission form (preview and send), the comment form under
articles and the back-office sign-in. Whatever arrives: never a 5xx, never a half-saved record, and
on a form shown again the reader's valid text is still there."""

import time
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st

from broadsheet.core.antispam import HONEYPOT_NAME, make_stamp
from tests.conftest import make_article, make_section, make_user, picture_bytes

from .conftest import (
    FEW,
    FUZZ,
    OMIT,
    field_value,
    hostile_text,
    is_valid_text,
    maybe_omitted,
    mutated,
    post_form,
    rolled_back,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_limits")]

WORDS = "harbour council ferry island vote budget school river bridge storm night market road".split()
PROSE = st.lists(st.sampled_from(WORDS), min_size=30, max_size=90).map(" ".join)
SHORT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
EMAIL = st.one_of(
    st.sampled_from(["mara.quill@example.net", "Mara@Example.NET", "m+x@example.org"]), st.emails()
)
NAME = st.one_of(SHORT.filter(str.strip), st.text(st.characters(categories=("L",)), min_size=1, max_size=40))


STAMP_AGES = {"good": 10, "too fresh": 0, "a day old": 3 * 86400}


def _stamp(kind):
    if kind == "forged":
        return "1700000000:forged"
    return make_stamp(time.time() - STAMP_AGES[kind])


def stamps():
    """Mostly a stamp from ten seconds ago; sometimes too fresh, too old or forged."""
    return st.sampled_from(["good"] * 8 + ["too fresh", "a day old", "forged"]).map(_stamp)


RAW_TAILS = st.one_of(
    st.just(b""),
    st.just(b""),
    st.binary(max_size=40).map(lambda b: b"headline=" + b),
    st.just(b"body=\xed\xa0\x80\xff\xfe"),
)


# --- "Publish Your Article" ------------------------------------------------------------------


def submission_fields(section_id):
    return mutated(
        {
            "headline": NAME,
            "summary": st.one_of(st.just(""), SHORT),
            "body": PROSE,
            "section": st.just(str(section_id)),
            "tags": st.sampled_from(["", "ferries, islands", ",,,", "a, b, c"]),
            "image_caption": st.one_of(st.just(""), SHORT),
            "image_credit": st.one_of(st.just(""), SHORT),
            "original_source": st.one_of(st.just(""), SHORT),
            "original_url": st.sampled_from(["", "https://example.org/story"]),
            "held_picture": st.sampled_from([OMIT, "", "../../etc/passwd", "held/abc.jpg"]),
            "remove_picture": st.sampled_from([OMIT, "on"]),
            "contributor_name": NAME,
            "contributor_email": EMAIL,
            "contributor_bio": st.one_of(st.just(""), SHORT),
            "rights_confirmed": st.just("on"),
            "form_stamp": stamps(),
            "form_key": st.one_of(
                st.just(OMIT), st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=16, max_size=64)
            ),
            HONEYPOT_NAME: st.sampled_from([OMIT, "", "", "", "http://spam.example"]),
        }
    )


def _submission_counts():
    from broadsheet.submissions.models import Fingerprint, Submission, SubmissionEvent

    return Submission.objects.count(), SubmissionEvent.objects.count(), Fingerprint.objects.count()


def _assert_submission_complete(submission):
    for name in ("headline", "body", "contributor_name", "contributor_email", "body_hash", "token"):
        assert getattr(submission, name).strip(), f"stored submission lacks {name}"
    assert submission.section_id is not None and submission.rights_confirmed
    assert "\x00" not in submission.headline + submission.body + submission.contributor_name
    assert submission.events.count() == 1


@pytest.fixture
def section(db):
    return make_section("News")


@FUZZ
@given(data=st.data(), raw_tail=RAW_TAILS)
def test_submission_form_never_fails_and_never_half_saves(client, section, data, raw_tail):
    from broadsheet.submissions.models import Submission

    fields = data.draw(submission_fields(section.pk))
    button = data.draw(st.sampled_from(["send", "preview"]))
    fields[button] = "1"
    before = _submission_counts()
    with rolled_back():
        response = post_form(client, "/publish/", fields, raw_tail=raw_tail)
        assert response.status_code < 500
        created = Submission.objects.count() - before[0]
        event(f"{button}: status {response.status_code}")
        assert created in (0, 1)
        if button == "preview":
            assert created == 0 and response.status_code == 200
        if created:
            assert response.status_code == 302
            _assert_submission_complete(Submission.objects.order_by("-pk").first())
        else:
            assert _submission_counts() == before
            assert response.status_code in (200, 429)
            headline = fields["headline"]
            if not raw_tail and is_valid_text(headline):
                assert escape(headline) in response.content.decode()


PICTURES = st.one_of(
    st.binary(max_size=300).map(lambda b: ("random.jpg", b, "image/jpeg")),
    st.just(("quay.jpg", picture_bytes("JPEG"), "image/jpeg")),
    st.just(("quay.png", picture_bytes("PNG"), "image/png")),
    st.just(("cut.jpg", picture_bytes("JPEG")[:60], "image/jpeg")),
    st.just(("note.txt", b"<script>alert(1)</script>", "text/plain")),
    st.just(("../../evil.gif", b"GIF89a" + b"\x00" * 20, "image/gif")),
)


@FEW
@given(data=st.data(), picture=PICTURES, button=st.sampled_from(["send", "preview"]))
def test_submission_form_with_any_picture_never_fails(client, section, data, picture, button):
    from broadsheet.submissions.models import Submission

    fields = {
        "headline": "Kestrel Island waits for its ferry",
        "body": data.draw(PROSE),
        "section": str(section.pk),
        "contributor_name": "Mara Quill",
        "contributor_email": "mara.quill@example.net",
        "rights_confirmed": "on",
        "form_stamp": make_stamp(time.time() - 10),
        button: "1",
        "image_caption": data.draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)),
        # A value sent where a file belongs, and a file where text belongs.
        "tags": data.draw(st.one_of(st.just("ferries"), st.just(SimpleUploadedFile("t.txt", b"x")))),
    }
    name, content, kind = picture
    fields["picture"] = SimpleUploadedFile(name, content, content_type=kind)
    before = _submission_counts()
    with rolled_back():
        response = client.post("/publish/", fields)
        assert response.status_code < 500
        created = Submission.objects.count() - before[0]
        assert created in (0, 1)
        if created:
            submission = Submission.objects.order_by("-pk").first()
            _assert_submission_complete(submission)
            if submission.image:
                assert ".." not in submission.image.name


# --- the comment form under each article -----------------------------------------------------


@pytest.fixture
def story(db):
    from broadsheet.comments.models import Comment

    article = make_article("Harbour council approves the new sea wall")
    approved = Comment.objects.create(
        article=article, author_name="Ada", author_email="ada@example.org", body="First!", status="approved"
    )
    return article, approved


def comment_fields(parent_id):
    return mutated(
        {
            "comment": NAME,
            "author": NAME,
            "email": EMAIL,
            "url": st.sampled_from(["", "https://example.org", "example.org/me"]),
            "parent": st.sampled_from(["", "", str(parent_id), "999999999", "-1", "1e3"]),
            "remember": st.sampled_from([OMIT, "1"]),
            "notify": st.sampled_from([OMIT, "1"]),
            "form_stamp": stamps(),
            HONEYPOT_NAME: st.sampled_from([OMIT, "", "", "", "http://spam.example"]),
        }
    )


def _assert_comment_complete(comment):
    for name in ("author_name", "author_email", "body", "body_html", "fingerprint"):
        assert getattr(comment, name).strip(), f"stored comment lacks {name}"
    assert "\x00" not in comment.body + comment.author_name + comment.author_email
    assert comment.status in {"approved", "pending", "spam"}


@FUZZ
@given(data=st.data(), raw_tail=RAW_TAILS, target=st.sampled_from(["story", "story", "story", "missing"]))
def test_comment_form_never_fails_and_never_half_saves(client, story, data, raw_tail, target):
    from broadsheet.comments.models import Comment

    article, approved = story
    fields = data.draw(comment_fields(approved.pk))
    url = f"/comments/post/{article.pk if target == 'story' else 987654321}/"
    before = Comment.objects.count()
    with rolled_back():
        response = post_form(client, url, fields, raw_tail=raw_tail)
        assert response.status_code < 500
        created = Comment.objects.count() - before
        event(f"comment: status {response.status_code}")
        assert created in (0, 1)
        if target == "missing":
            assert response.status_code == 404 and not created
        elif created:
            assert response.status_code == 302
            _assert_comment_complete(Comment.objects.order_by("-pk").first())
        else:
            assert response.status_code == 200
            comment = fields["comment"]
            if not raw_tail and is_valid_text(comment):
                assert escape(comment) in response.content.decode()


# --- the back-office sign-in -----------------------------------------------------------------

NEXT = st.sampled_from(
    [
        "/admin/",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        "/admin/\x00",
        "",
    ]
)


@FUZZ
@given(
    username=maybe_omitted(field_value(st.sampled_from(["editor", "Editor ", "nobody"]))),
    password=maybe_omitted(field_value(st.just("a-long-test-password"))),
    next_url=st.one_of(st.just(OMIT), NEXT, hostile_text(40)),
    raw_tail=RAW_TAILS,
)
def test_sign_in_form_never_fails_and_never_redirects_off_site(
    client, username, password, next_url, raw_tail
):
    from broadsheet.accounts.models import LoginAttempt

    make_user_once()
    before = LoginAttempt.objects.count()
    with rolled_back():
        fields = {"username": username, "password": password, "next": next_url}
        response = post_form(client, "/admin/login/", fields, raw_tail=raw_tail)
        assert response.status_code < 500
        attempts = list(LoginAttempt.objects.order_by("-pk")[: LoginAttempt.objects.count() - before])
        event(f"sign-in: status {response.status_code}")
        assert len(attempts) <= 1
        for attempt in attempts:
            assert attempt.ip_address and "\x00" not in attempt.username
        if response.status_code == 302:
            target = urlparse(response["Location"])
            assert target.scheme in ("", "http", "https") and target.netloc in ("", "testserver")
            assert not response["Location"].startswith(("//", "/\\"))
        elif response.status_code == 200 and not raw_tail and is_valid_text(username):
            assert escape(username) in response.content.decode()
        client.logout()


def make_user_once():
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username="editor").exists():
        make_user("editor", role="Editor")
