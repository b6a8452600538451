"""Optional two-factor sign-in (TOTP) for staff: enrolment, the code step, recovery codes."""

import base64
import re
import time

import pytest
from django.urls import reverse

from broadsheet.accounts import conf, totp
from broadsheet.accounts.models import LoginAttempt, TwoFactorDevice
from broadsheet.accounts.site import PENDING_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def sign_in_password(client, username="editor"):
    return client.post("/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"})


def enrol(client, user):
    """Turn two-factor sign-in on for `user` through the pages; return (secret, recovery codes)."""
    client.force_login(user)
    client.get(reverse("accounts:enrol"))
    secret = TwoFactorDevice.objects.get(user=user).secret
    response = client.post(reverse("accounts:enrol"), {"code": totp.totp(secret)}, follow=True)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())
    client.logout()
    return secret, codes


def fresh_code(secret):
    """A valid code of a later time step than any used so far (codes are single use)."""
    return totp.totp(secret, time.time() + totp.STEP_SECONDS)


def test_totp_matches_the_rfc_6238_test_vectors():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.totp(secret, at=59) == "287082"
    assert totp.totp(secret, at=1111111109) == "081804"
    assert totp.totp(secret, at=1234567890) == "005924"


def test_enrolment_page_shows_the_key_the_address_and_a_local_qr_code(client, editor):
    client.force_login(editor)
    response = client.get(reverse("accounts:enrol"))
    text = response.content.decode()
    secret = TwoFactorDevice.objects.get(user=editor).secret
    assert response.status_code == 200
    assert secret[:4] in text
    assert "otpauth://totp/" in text and f"secret={secret}" in text
    assert "<svg" in text and "http://" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]
    # Reloading keeps the same key, so a half-finished scan still works.
    client.get(reverse("accounts:enrol"))
    assert TwoFactorDevice.objects.get(user=editor).secret == secret


def test_wrong_code_at_enrolment_is_refused_and_it_stays_off(client, editor):
    client.force_login(editor)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "12345x"})
    assert "That code does not match" in response.content.decode()
    assert 'value="12345x"' in response.content.decode()
    assert not TwoFactorDevice.objects.get(user=editor).is_confirmed


def test_enrolment_shows_recovery_codes_once(client, editor):
    secret, codes = enrol(client, editor)
    assert len(codes) == conf.recovery_code_count()
    client.force_login(editor)
    # Signed in again without the second step, the back office wants the code first.
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302


def test_enrolled_editor_gives_a_code_after_the_password(client, editor):
    secret, _ = enrol(client, editor)
    response = sign_in_password(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")
    assert client.get("/admin/").status_code == 302  # not signed in yet
    page = client.get(reverse("accounts:verify"))
    assert "Signing in as <strong>editor</strong>" in page.content.decode()
    response = client.post(reverse("accounts:verify"), {"code": fresh_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_works_only_once(client, editor):
    secret, _ = enrol(client, editor)
    code = fresh_code(secret)
    sign_in_password(client)
    client.post(reverse("accounts:verify"), {"code": code})
    client.logout()
    sign_in_password(client)
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert "That code is not right" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_recovery_code_signs_in_once(client, editor):
    _, codes = enrol(client, editor)
    sign_in_password(client)
    response = client.post(reverse("accounts:verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    client.logout()
    sign_in_password(client)
    response = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert "That code is not right" in response.content.decode()


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, editor):
    secret, _ = enrol(client, editor)
    sign_in_password(client)
    for _ in range(conf.username_failure_limit()):
        response = client.post(reverse("accounts:verify"), {"code": "000000"})
    assert "Too many failed sign-ins for this account" in response.content.decode()
    assert LoginAttempt.objects.filter(step="code", succeeded=False).count() == conf.username_failure_limit()
    # The right password no longer restarts the count: the account is locked.
    assert "Too many failed sign-ins" in sign_in_password(client).content.decode()


def test_code_step_that_took_too_long_starts_again(client, editor):
    secret, _ = enrol(client, editor)
    sign_in_password(client)
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": time.time() - conf.second_step_max_age() - 5}
    session.save()
    response = client.post(reverse("accounts:verify"), {"code": fresh_code(secret)}, follow=True)
    assert "Please sign in again" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_code_step_without_a_password_first_goes_back_to_sign_in(client, db):
    response = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("admin:login")


def test_staff_without_two_factor_sign_in_with_password_alone(client, editor):
    assert sign_in_password(client)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert "set up yours" in client.get("/admin/").content.decode()


def test_turning_two_factor_off_needs_a_code(client, editor):
    secret, codes = enrol(client, editor)
    sign_in_password(client)
    client.post(reverse("accounts:verify"), {"code": fresh_code(secret)})
    response = client.post(reverse("accounts:turn_off"), {"code": "999999"}, follow=True)
    assert "stays on" in response.content.decode()
    # The app's codes were all spent just now, so a recovery code it is.
    response = client.post(reverse("accounts:turn_off"), {"code": codes[0]}, follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TwoFactorDevice.objects.filter(user=editor).exists()


def test_new_recovery_codes_replace_the_old_ones(client, editor):
    secret, old_codes = enrol(client, editor)
    sign_in_password(client)
    client.post(reverse("accounts:verify"), {"code": fresh_code(secret)})
    response = client.post(reverse("accounts:new_recovery_codes"), {"code": old_codes[0]}, follow=True)
    new_codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())
    assert len(new_codes) == conf.recovery_code_count() and not set(new_codes) & set(old_codes)


@pytest.mark.parametrize("code", ["", " ", "\x00" * 6, "9" * 500, "<b>1</b>", "１２３４５６"])
def test_hostile_codes_are_refused_without_a_server_error(client, editor, code):
    enrol(client, editor)
    sign_in_password(client)
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 200
    assert "<b>1</b>" not in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_pages_for_two_factor_need_a_staff_sign_in(client, db):
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
