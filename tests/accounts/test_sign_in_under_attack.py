"""Sign-in throttling against real attacks: tries sent together over real HTTP, addresses behind
a proxy, and a lockout that an attacker elsewhere cannot turn against the account's owner."""

import threading

import pytest
from django.urls import reverse

from broadsheet.accounts import conf, services, totp
from broadsheet.accounts.models import Lockout, LoginAttempt
from tests.conftest import make_user
from tests.liveserver import Session

PASSWORD = "a-long-test-password"
LOGIN = "/admin/login/"


def sign_in_live(session, username, password):
    token = session.form_token(LOGIN)
    return session.post(
        LOGIN, {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    )


def all_at_once(count, action):
    """Run action(n) in `count` threads released together; return their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        barrier.wait()
        results[n] = action(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_wrong_passwords_sent_together_are_checked_no_more_than_the_limit(live_server):
    make_user("editor")
    sessions = [Session(live_server.url) for _ in range(11)]
    for session in sessions:
        session.form_token(LOGIN)  # each has its CSRF cookie before the burst

    def attack(n):
        session = sessions[n]
        token = next(c.value for c in session.cookies if c.name == "csrftoken")
        return session.post(
            LOGIN, {"csrfmiddlewaretoken": token, "username": "editor", "password": f"guess-{n}-wrong"}
        )

    results = all_at_once(11, attack)
    assert all(status == 200 for status, _headers, _body in results)
    checked = LoginAttempt.objects.filter(username="editor").count()
    assert checked <= conf.username_failure_limit()
    refused = [body for _s, _h, body in results if "Too many failed sign-ins" in body]
    assert len(refused) >= 11 - conf.username_failure_limit()


@pytest.mark.django_db(transaction=True)
def test_rotating_the_forwarded_for_entry_does_not_escape_the_address_lock(live_server, settings):
    settings.BEHIND_PROXY = True
    settings.BROADSHEET_LOGIN_IP_LIMIT = 3
    make_user("editor")
    # The client writes whatever it likes to the left; our proxy appends the address it saw.
    for n in range(5):
        session = Session(live_server.url, headers={"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.7"})
        status, _headers, body = sign_in_live(session, f"guess{n}", "wrong-password-here")
    assert "Too many failed sign-ins for your network address" in body
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # The editor behind the same proxy but at another address signs in.
    session = Session(live_server.url, headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.8"})
    assert sign_in_live(session, "editor", PASSWORD)[0] == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "proxy_settings,forwarded_for",
    [
        ({"BROADSHEET_PROXY_COUNT": 2}, "203.0.113.{n}, 198.51.100.7, 10.0.0.5"),
        ({"BROADSHEET_TRUSTED_PROXIES": ["127.0.0.0/8", "10.0.0.0/8"]}, "203.0.113.{n}, 198.51.100.7, 10.0.0.5"),
    ],
)
def test_address_is_the_one_the_trusted_proxies_added(live_server, settings, proxy_settings, forwarded_for):
    settings.BEHIND_PROXY = True
    for name, value in proxy_settings.items():
        setattr(settings, name, value)
    for n in range(3):
        session = Session(live_server.url, headers={"X-Forwarded-For": forwarded_for.format(n=n)})
        sign_in_live(session, "nobody", "wrong-password-here")
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.mark.django_db(transaction=True)
def test_forwarded_for_from_an_untrusted_peer_is_ignored(live_server, settings):
    settings.BEHIND_PROXY = True
    settings.BROADSHEET_TRUSTED_PROXIES = ["10.0.0.0/8"]  # the test client, 127.0.0.1, is not one
    session = Session(live_server.url, headers={"X-Forwarded-For": "198.51.100.7"})
    sign_in_live(session, "nobody", "wrong-password-here")
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def post_login(client, username, password, address):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, editor):
    for _ in range(conf.username_failure_limit()):
        response = post_login(client, "editor", "wrong-password-here", "203.0.113.66")
    assert "Too many failed sign-ins for this account from your network address" in response.content.decode()
    assert "Too many" in post_login(client, "editor", PASSWORD, "203.0.113.66").content.decode()
    assert post_login(client, "editor", PASSWORD, "192.0.2.10").status_code == 302
    assert not Lockout.objects.filter(scope=Lockout.Scope.USERNAME).exists()


@pytest.mark.django_db
def test_failures_from_many_addresses_slow_the_account_down_without_locking_it(client, editor, settings):
    settings.BROADSHEET_LOGIN_ACCOUNT_SLOWDOWN_AFTER = 6
    for n in range(6):
        post_login(client, "editor", "wrong-password-here", f"203.0.113.{n}")
    response = post_login(client, "editor", PASSWORD, "192.0.2.10")
    text = response.content.decode()
    assert "tries are spaced out for now" in text and "Wait" in text
    assert not Lockout.objects.exists()
    # Once the wait is over the owner signs in with the right password.
    LoginAttempt.objects.update(at=LoginAttempt.objects.latest("at").at - conf.failure_window() / 2)
    assert post_login(client, "editor", PASSWORD, "192.0.2.10").status_code == 302


@pytest.mark.django_db
def test_staff_with_two_factor_still_get_in_during_an_attack_on_their_account(client, editor, settings):
    settings.BROADSHEET_LOGIN_ACCOUNT_SLOWDOWN_AFTER = 6
    device = services.start_enrolment(editor)
    assert services.confirm_enrolment(device, totp.totp(device.secret))
    for n in range(12):
        post_login(client, "editor", "wrong-password-here", f"203.0.113.{n}")
    response = post_login(client, "editor", PASSWORD, "192.0.2.10")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")
