"""Password rules: the admin refuses weak passwords and keeps the old one."""

import pytest
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("98127364501928", "This password is entirely numeric"),
        ("editor-2026", "The password is too similar to the username"),
    ],
)
def test_weak_password_is_refused_when_changing_your_own(client, editor, weak, message):
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_strong_password_is_accepted(client, editor):
    client.force_login(editor)
    new = "tidal harbour lantern 47"
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)


def test_weak_password_is_refused_when_an_administrator_sets_one(client, db):
    admin_user = make_user("chief", superuser=True)
    reporter = make_user("reporter")
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[reporter.pk])
    response = client.post(url, {"password1": "12345", "password2": "12345", "usable_password": "true"})
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password(PASSWORD)
