"""Settings: a BROADSHEET_* variable no setting reads is named by a system check (a typo used to
be silently ignored), and app settings are read when used, so a change takes effect."""

import os
import subprocess
import sys

import pytest

from tests.submissions.helpers import send


def check(tmp_path, **variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADSHEET_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(BROADSHEET_DATA=str(tmp_path / "var"), **variables)
    return subprocess.run(
        [sys.executable, "-m", "broadsheet", "check"], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_misspelt_variable_is_named_with_the_likely_meaning(tmp_path):
    result = check(tmp_path, BROADSHEET_FEED_FULL_TXET="true")
    assert "core.W001" in result.stderr
    assert "BROADSHEET_FEED_FULL_TXET is set, but no setting has that name" in result.stderr
    assert "Did you mean BROADSHEET_FEED_FULL_TEXT?" in result.stderr


def test_variables_read_through_an_apps_settings_helper_are_known(tmp_path):
    result = check(
        tmp_path,
        BROADSHEET_COMMENTS_FLOOD_SECONDS="0",
        BROADSHEET_SUBMISSIONS_IP_RATE="[5, 3600]",
        BROADSHEET_LOGIN_USERNAME_LIMIT="5",
        BROADSHEET_PAGECACHE="true",
        BROADSHEET_HTTPS="false",
        BROADSHEET_PROXY_COUNT="2",
    )
    assert result.returncode == 0, result.stderr
    assert "core.W001" not in result.stderr


@pytest.mark.django_db
def test_submission_rate_limit_follows_the_setting_when_it_changes(client, settings):
    settings.BROADSHEET_SUBMISSIONS_IP_RATE = [1, 3600]
    assert send(client, contributor_email="a@example.net").status_code == 302
    response = send(client, contributor_email="b@example.net", body="Another story entirely. " * 12)
    assert response.status_code == 429


@pytest.mark.django_db
def test_sign_in_limit_follows_the_setting_when_it_changes(client, editor, settings):
    settings.BROADSHEET_LOGIN_USERNAME_LIMIT = 2
    for _ in range(2):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong-password-here"})
    assert "Too many failed sign-ins" in response.content.decode()
