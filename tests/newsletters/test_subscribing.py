"""A reader signs up, confirms by email, changes preferences and unsubscribes in one click."""

import pytest

from broadsheet.newsletters.models import Consent, Subscriber

from .helpers import confirmed, form, link

pytestmark = pytest.mark.django_db


def subscribe(client, email, **choices):
    return client.post("/subscribe/", form(email, **choices), HTTP_SEC_FETCH_SITE="same-origin")


def test_reader_subscribes_and_confirms_through_the_emailed_link(client, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "Ana@Example.org", daily="on", breaking="on")
    assert response.status_code == 302 and response["Location"] == "/subscribe/sent/"
    person = Subscriber.objects.get(email="ana@example.org")
    assert person.status == "pending" and person.daily and person.breaking and not person.weekly
    [message] = smtp.to("ana@example.org")
    assert "Confirm your subscription" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None
    confirm = link(message, "confirm")
    page = client.get(confirm)
    assert page.status_code == 200 and "Yes, subscribe me" in page.content.decode()
    person.refresh_from_db()
    assert person.status == "pending", "opening the link (a mail scanner) must not confirm"
    done = client.post(confirm, HTTP_SEC_FETCH_SITE="same-origin")
    assert "You are subscribed" in done.content.decode()
    person.refresh_from_db()
    assert person.status == "active" and person.confirmed_at is not None
    actions = list(person.consents.values_list("action", flat=True))
    assert actions == ["subscribed", "confirmed"]
    consent = person.consents.first()
    assert consent.source == "/subscribe/" and "unsubscribe in one click" in consent.wording
    assert "127.0.0.1" not in consent.client_hash and len(consent.client_hash) == 16
    assert "daily digest" in consent.lists and "breaking news" in consent.lists


def test_signing_up_an_address_already_subscribed_reveals_nothing(client, smtp, django_capture_on_commit_callbacks):
    confirmed("bo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "bo@example.org")
    assert response["Location"] == "/subscribe/sent/"
    [message] = smtp.to("bo@example.org")
    assert "already" in message["Subject"] and "/subscribe/preferences/" in message.get_content()
    assert Subscriber.objects.get(email="bo@example.org").status == "active"


def test_an_address_that_is_not_one_is_refused_beside_the_field_and_kept(client):
    response = subscribe(client, "not-an-address")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address like name@example.com." in page
    assert 'value="not-an-address"' in page
    assert not Subscriber.objects.exists()


def test_nothing_ticked_is_refused_plainly(client):
    response = client.post("/subscribe/", form("cy@example.org", sections=[]) | {"daily": ""})
    assert response.status_code == 400 and "Tick at least one newsletter." in response.content.decode()


def test_a_storm_of_sign_ups_for_one_address_is_stopped(client, settings, smtp, django_capture_on_commit_callbacks):
    settings.BROADSHEET_NEWSLETTERS_ADDRESS_LIMIT = 3
    with django_capture_on_commit_callbacks(execute=True):
        answers = [subscribe(client, "target@example.org").status_code for _ in range(6)]
    assert answers[:3] == [302, 302, 302] and answers[3:] == [400, 400, 400]
    assert len(smtp.to("target@example.org")) == 3
    assert "signed up several times" in subscribe(client, "target@example.org").content.decode()


def test_a_form_posted_from_another_site_is_refused(client):
    response = client.post("/subscribe/", form("dee@example.org"), HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    response = client.post("/subscribe/", form("dee@example.org"), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_the_honeypot_and_the_speed_check_stop_robots(client):
    assert client.post("/subscribe/", form("e@example.org") | {"website_url_confirm": "x"}).status_code == 400
    assert client.post("/subscribe/", form("e@example.org") | {"form_stamp": "forged"}).status_code == 400
    assert not Subscriber.objects.exists()


def test_the_sign_up_page_can_be_cached_it_sets_no_cookie_and_has_no_token(client):
    response = client.get("/subscribe/")
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert 'name="email"' in response.content.decode()


def test_preferences_change_without_an_account(client, smtp):
    from broadsheet.newsletters import tokens

    person = confirmed("fay@example.org")
    url = "/subscribe/preferences/" + tokens.make(person, tokens.PREFERENCES) + "/"
    page = client.get(url)
    assert page.status_code == 200 and "fay@example.org" in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    saved = client.post(url, {"weekly": "on"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert "Your choices are saved." in saved.content.decode()
    person.refresh_from_db()
    assert (person.daily, person.weekly) == (False, True)
    assert person.consents.last().action == Consent.Action.CHANGED


def test_one_click_unsubscribe_acts_on_post_only_and_a_replay_changes_nothing(client):
    from broadsheet.newsletters import tokens

    person = confirmed("gil@example.org")
    url = "/subscribe/unsubscribe/" + tokens.make(person, tokens.UNSUBSCRIBE) + "/"
    page = client.get(url)
    assert page.status_code == 200 and "<form method=\"post\">" in page.content.decode()
    person.refresh_from_db()
    assert person.status == "active", "GET (a link scanner) must not unsubscribe"
    # RFC 8058: the mail client POSTs this body, with no cookie and no Origin.
    done = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    person.refresh_from_db()
    assert person.status == "unsubscribed"
    again = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert "already unsubscribed" in again.content.decode()
    assert person.consents.filter(action="unsubscribed").count() == 1


def test_a_tampered_link_is_refused_and_changes_nothing(client):
    from broadsheet.newsletters import tokens

    person = confirmed("hal@example.org")
    token = tokens.make(person, tokens.UNSUBSCRIBE)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(f"/subscribe/unsubscribe/{tampered}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    wrong_kind = client.post("/subscribe/unsubscribe/" + tokens.make(person, tokens.PREFERENCES) + "/")
    assert wrong_kind.status_code == 400
    person.refresh_from_db()
    assert person.status == "active"


def test_an_old_confirmation_link_does_not_resubscribe_after_unsubscribing(client):
    from broadsheet.newsletters import services, tokens

    person = Subscriber.objects.create(email="ivy@example.org", daily=True)
    old_confirm = "/subscribe/confirm/" + tokens.make(person, tokens.CONFIRM) + "/"
    old_preferences = "/subscribe/preferences/" + tokens.make(person, tokens.PREFERENCES) + "/"
    services.confirm(person)
    services.unsubscribe(person)
    assert client.post(old_confirm).status_code == 400
    assert client.get(old_preferences).status_code == 400
    person.refresh_from_db()
    assert person.status == "unsubscribed"
