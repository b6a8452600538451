"""Trust is proved, never claimed: a typed email does not skip the queue; the browser that
posted an approved comment, or a signed-in editor, does."""

import pytest
from django.test import Client

from broadsheet.comments import conf, services
from broadsheet.comments.models import Comment
from tests.conftest import make_article

from .conftest import form_data

pytestmark = pytest.mark.django_db


def send(client, article, **fields):
    return client.post(f"/comments/post/{article.pk}/", form_data(**fields))


def regular(email="mira@example.net"):
    """A browser whose earlier comment, under `email`, an editor approved."""
    browser = Client()
    send(browser, make_article(), comment="My first comment here.", email=email)
    services.approve(Comment.objects.get(body="My first comment here."))
    return browser


def status_of(body):
    return Comment.objects.get(body=body).status


def test_the_browser_of_an_approved_commenter_is_approved_at_once():
    browser = regular()
    send(browser, make_article(), comment="A second thought.", email="Mira@Example.net")
    assert status_of("A second thought.") == "approved"


def test_typing_a_regulars_email_elsewhere_does_not_skip_the_queue():
    regular("mira@example.net")
    send(Client(), make_article(), comment="Buy here https://spam.example", email="mira@example.net")
    comment = Comment.objects.get(body__startswith="Buy here")
    assert comment.status == "pending" and "known commenter" in comment.held_reason


def test_the_address_staff_replies_are_stored_under_grants_nothing(editor):
    article = make_article()
    send(Client(), article, comment="A reader asks.", email="asker@example.org")
    reply = services.reply_as_editor(Comment.objects.get(), body="An editor answers.", by=editor)
    assert reply.author_email == "editor@editors.invalid" and reply.status == "approved"
    send(Client(), article, comment="Pretending to be staff https://x.example", email=reply.author_email)
    assert status_of("Pretending to be staff https://x.example") == "pending"


def test_a_browsers_proof_holds_only_for_the_email_it_was_earned_under():
    browser = regular("mira@example.net")
    send(browser, make_article(), comment="Now as someone else.", email="other@example.org")
    assert status_of("Now as someone else.") == "pending"


@pytest.mark.parametrize("cookie", ["garbage", "WzEsMiwzXQ:forged:signature"])
def test_a_forged_proof_cookie_is_ignored(cookie):
    regular("mira@example.net")
    browser = Client()
    browser.cookies[conf.proof_cookie()] = cookie
    send(browser, make_article(), comment="Forged cookie.", email="mira@example.net")
    assert status_of("Forged cookie.") == "pending"


def test_a_proof_cookie_copied_from_another_site_salt_is_ignored():
    from django.core import signing

    first = Comment.objects.create(
        article=make_article(),
        author_name="M",
        author_email="mira@example.net",
        body="Approved.",
        status="approved",
    )
    browser = Client()
    browser.cookies[conf.proof_cookie()] = signing.dumps([first.pk], salt="another.purpose")
    send(browser, make_article(), comment="Wrong salt.", email="mira@example.net")
    assert status_of("Wrong salt.") == "pending"


def test_a_signed_in_editor_is_approved_at_once(editor):
    browser = Client()
    browser.force_login(editor)
    send(browser, make_article(), comment="Staff note https://a.example", email="desk@example.org")
    assert status_of("Staff note https://a.example") == "approved"


def test_the_proof_cookie_is_sent_only_to_the_comment_views_so_pages_stay_cacheable():
    response = send(Client(), make_article(), comment="Where does the cookie go?")
    cookie = response.cookies[conf.proof_cookie()]
    assert cookie["path"] == "/comments/" and cookie["httponly"] and cookie["samesite"] == "Lax"
