"""Sign-in throttling on the back office: per username, per network address, unlocking."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts import conf
from broadsheet.accounts.models import Lockout, LoginAttempt
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-test-password"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def fail_times(client, username, n, **extra):
    response = None
    for _ in range(n):
        response = sign_in(client, username, "wrong-password-here", **extra)
    return response


def test_right_password_signs_in(client, editor):
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_fifth_wrong_password_locks_the_account_with_a_clear_message(client, editor):
    response = fail_times(client, "editor", conf.username_failure_limit() - 1)
    assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, "editor", "wrong-password-here")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed sign-ins for this account" in text
    assert "signing in is paused until" in text
    assert "ask an editor to unlock it" in text


def test_locked_account_is_refused_even_with_the_right_password(client, editor):
    fail_times(client, "editor", conf.username_failure_limit())
    response = sign_in(client, "editor", PASSWORD)
    assert "Too many failed sign-ins" in response.content.decode()
    assert not is_signed_in(client)


def test_lock_counts_the_username_whatever_its_case(client, editor):
    fail_times(client, "EDITOR", conf.username_failure_limit())
    response = sign_in(client, "editor", PASSWORD)
    assert "Too many failed sign-ins" in response.content.decode()


def test_account_signs_in_again_when_the_lock_has_run_out(client, editor):
    fail_times(client, "editor", conf.username_failure_limit())
    Lockout.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_an_ended_lock_starts_a_fresh_count(client, editor):
    fail_times(client, "editor", conf.username_failure_limit())
    Lockout.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    response = sign_in(client, "editor", "wrong-password-here")
    assert "Too many failed sign-ins" not in response.content.decode()


def test_successful_sign_in_clears_earlier_failures_of_that_username(client, editor):
    fail_times(client, "editor", conf.username_failure_limit() - 1)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    response = fail_times(client, "editor", conf.username_failure_limit() - 1)
    assert "Too many failed sign-ins" not in response.content.decode()


def test_failures_spread_over_many_usernames_lock_the_address(client, editor, settings):
    settings.BROADSHEET_LOGIN_IP_LIMIT = 6
    for n in range(6):
        response = sign_in(client, f"guess{n}", "wrong-password-here")
    assert "Too many failed sign-ins for your network address" in response.content.decode()
    # The editor at the same address is refused too; from another address they get in.
    assert "Too many failed sign-ins" in sign_in(client, "editor", PASSWORD).content.decode()
    assert sign_in(client, "editor", PASSWORD, REMOTE_ADDR="10.9.8.7").status_code == 302


def test_forwarded_for_is_ignored_when_not_behind_a_proxy(client, editor, settings):
    settings.BEHIND_PROXY = False
    for n in range(conf.username_failure_limit()):
        sign_in(client, "editor", "wrong-password-here", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    # A forged header does not spread the attempts over many addresses.
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    assert "Too many failed sign-ins" in sign_in(client, "editor", PASSWORD).content.decode()


def test_forwarded_for_names_the_address_behind_a_trusted_proxy(client, editor, settings):
    settings.BEHIND_PROXY = True
    settings.BROADSHEET_LOGIN_IP_LIMIT = 3
    for n in range(3):
        sign_in(client, f"guess{n}", "nope-nope-nope", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert Lockout.objects.active().get(scope="ip").key == "198.51.100.7"
    # Another reader behind the same proxy is not locked out.
    response = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert response.status_code == 302


def test_editor_unlocks_a_locked_account_from_the_admin(client, editor):
    locked = make_user("reporter", role="Writer")
    other = client_class_instance()
    fail_times(other, "reporter", conf.username_failure_limit())
    lockout = Lockout.objects.active().get(key="reporter")
    client.force_login(editor)
    changelist = reverse("admin:accounts_lockout_changelist")
    page = client.get(changelist + "?active=yes")
    assert "reporter" in page.content.decode()
    response = client.post(
        changelist, {"action": "unlock_selected", "_selected_action": [lockout.pk]}, follow=True
    )
    assert "1 lockout lifted" in response.content.decode()
    assert sign_in(other, locked.username, PASSWORD).status_code == 302


def client_class_instance():
    from django.test import Client

    return Client()


def test_writer_cannot_unlock(client, writer):
    fail_times(client_class_instance(), "someone", conf.username_failure_limit())
    client.force_login(writer)
    assert client.get(reverse("admin:accounts_lockout_changelist")).status_code == 403
    assert Lockout.objects.active().count() == 1


def test_unlock_user_command_lifts_the_lock(client, editor, capsys):
    fail_times(client, "editor", conf.username_failure_limit())
    call_command("unlock-user", "editor")
    assert "Unlocked" in capsys.readouterr().out
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_unlock_user_command_says_when_there_is_nothing_to_unlock(db, capsys):
    call_command("unlock-user", "nobody")
    assert "Nothing to unlock" in capsys.readouterr().out


@pytest.mark.parametrize(
    "username",
    ["", "x" * 5000, "ed\x00itor", "<script>alert(1)</script>", "ébène 名前"],
)
def test_hostile_usernames_get_a_form_error_never_a_server_error(client, db, username):
    response = sign_in(client, username, "whatever-it-is")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not is_signed_in(client)


def test_broken_utf8_in_the_login_form_is_refused_calmly(client, db):
    body = "username=%FF%FE%ED%A0%80&password=%00%FF"
    response = client.post(LOGIN, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 400}
    assert not is_signed_in(client)


def test_login_form_with_missing_fields_is_refused(client, db):
    response = client.post(LOGIN, {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_old_sign_in_attempts_are_dropped_after_the_retention_period(client, editor):
    fail_times(client, "editor", 2)
    LoginAttempt.objects.update(at=timezone.now() - conf.attempt_retention() - datetime.timedelta(days=1))
    sign_in(client, "editor", PASSWORD)
    assert list(LoginAttempt.objects.values_list("succeeded", flat=True)) == [True]
