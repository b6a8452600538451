"""The "Publish Your Article" page is the same for every reader, so a shared cache may keep it:
no CSRF token or cookie, no stamp of its own. Its POST is protected by where the browser says
it comes from (Sec-Fetch-Site / Origin), a single-use stamp and the honeypot."""

import time

import pytest

from broadsheet.core.antispam import make_stamp
from broadsheet.submissions.forms import is_form_key
from broadsheet.submissions.models import Guidelines, Submission

from .helpers import form_data

pytestmark = pytest.mark.django_db


def test_the_form_page_is_public_and_carries_nothing_personal(client):
    first = client.get("/publish/")
    second = client.get("/publish/")
    assert first.status_code == 200
    assert not first.cookies and "Set-Cookie" not in first
    page = first.content.decode()
    assert "csrfmiddlewaretoken" not in page
    control = first["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "private" not in control
    assert "publish" in first["Surrogate-Key"].split()
    # No stamp or key of this reader's own: two readers get the same bytes.
    assert 'name="form_stamp" value="' not in page and 'name="form_key" value="' not in page
    assert first.content == second.content
    assert 'data-state="/publish/state/"' in page and "submissions/publish.js" in page


def test_the_state_endpoint_hands_out_a_fresh_stamp_and_key_never_cached(client):
    answer = client.get("/publish/state/")
    state = answer.json()
    assert state["stamp"] and len(state["form_key"]) >= 16
    assert "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
    assert client.get("/publish/state/").json()["stamp"] != state["stamp"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # a sibling subdomain is another site's page too
        {"HTTP_ORIGIN": "https://elsewhere.example"},
    ],
)
def test_a_post_another_site_made_the_browser_send_is_refused_with_a_clear_message(client, headers):
    response = client.post("/publish/", form_data(), **headers)
    assert response.status_code == 403
    assert (
        "sent from another site" in response.content.decode()
        and "nothing was stored" in response.content.decode()
    )
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},  # no browser header at all (an old browser without Origin on this form, a script)
    ],
)
def test_a_post_from_our_own_page_is_accepted_without_a_token(headers):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as in production: no token is asked for
    response = client.post("/publish/", form_data(), **headers)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Submission.objects.count() == 1


def test_without_javascript_the_first_send_asks_again_with_the_text_kept_and_a_stamp_of_now(client):
    data = form_data(form_stamp=None, form_key=None)
    page = client.post("/publish/", data, HTTP_SEC_FETCH_SITE="same-origin")
    text = page.content.decode()
    assert page.status_code == 200 and "send it again" in text
    assert "Kestrel Island waits for its ferry" in text and not Submission.objects.exists()
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    stamp = text.split('name="form_stamp" value="')[1].split('"')[0]
    key = text.split('name="form_key" value="')[1].split('"')[0]
    # The stamp is of this moment: sent back at once it is refused as too fast, never a bypass.
    again = client.post(
        "/publish/", {**data, "form_stamp": stamp, "form_key": key}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert "faster than a person" in again.content.decode() and not Submission.objects.exists()


def test_a_stamp_works_once(client):
    stamp = make_stamp(time.time() - 10)
    first = client.post("/publish/", form_data(form_stamp=stamp), HTTP_SEC_FETCH_SITE="same-origin")
    assert first.status_code == 302
    other = form_data(form_stamp=stamp, headline="Another story", body=form_data()["body"] + " More words.")
    again = client.post("/publish/", other, HTTP_SEC_FETCH_SITE="same-origin")
    assert again.status_code == 200 and "already sent once" in again.content.decode()
    assert Submission.objects.count() == 1


def test_the_honeypot_still_refuses_a_robot(client):
    response = client.post(
        "/publish/", form_data(website_url_confirm="http://spam.example"), HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert "looks automated" in response.content.decode() and not Submission.objects.exists()


def test_changed_guidelines_purge_the_form_page(django_capture_on_commit_callbacks):
    from broadsheet.core.surrogates import purge_requested

    purged = []

    def listener(sender, keys, **kwargs):
        purged.extend(keys)

    purge_requested.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            Guidelines.objects.create(text="Send original work only.")
    finally:
        purge_requested.disconnect(listener)
    assert "publish" in purged


@pytest.mark.parametrize("key", ["\x00", "a" * 20 + "\x00", "a" * 20 + "\n", "x" * 5000, "ключ-не-наш-1234567"])
def test_a_form_key_of_the_wrong_shape_is_ignored_not_sent_to_the_database(client, key):
    # PostgreSQL refuses NUL in text (a 500 before): a key is only ever looked up in its own shape.
    response = client.post("/publish/", form_data(form_key=key), HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code in (200, 302), response.status_code
    stored = [k for k in Submission.objects.values_list("form_key", flat=True) if k]
    assert all(is_form_key(k) for k in stored), stored
