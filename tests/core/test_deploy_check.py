"""`broadsheet check --deploy` is clean with production settings (and does speak up otherwise)."""

import os
import secrets
import subprocess
import sys


def deploy_check(tmp_path, **overrides):
    # The browser tests' harness variable is not part of a deployment's environment.
    harness = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in harness}
    env.update(BROADSHEET_DATA=str(tmp_path), **overrides)
    return subprocess.run(
        [sys.executable, "-m", "broadsheet", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = deploy_check(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), DEBUG="0", BROADSHEET_HTTPS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # The only silenced check is HSTS preloading, an operator's one-way choice (see settings.py).
    assert "(1 silenced)" in result.stdout


def test_deploy_check_warns_about_debug_and_plain_http(tmp_path):
    result = deploy_check(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), DEBUG="1", BROADSHEET_HTTPS="0")
    assert result.returncode != 0
    for check in ["security.W018", "security.W004", "security.W012", "security.W016"]:
        assert check in result.stderr, check
