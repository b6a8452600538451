"""The secret key: never tracked in the repository, never kept inside a checkout, never weak."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def check(tmp_path, data_dir, **overrides):
    harness = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in harness}
    env.update(BROADSHEET_DATA=str(data_dir), **overrides)
    return subprocess.run(
        [sys.executable, "-m", "broadsheet", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )


def test_repository_tracks_no_secret_key():
    tracked = subprocess.run(
        ["git", "ls-files", "--", "secret_key", "*/secret_key"], cwd=REPO, capture_output=True, text=True
    )
    if tracked.returncode != 0:
        return  # an installed copy without git: nothing to check
    assert tracked.stdout.strip() == ""
    ignored = subprocess.run(["git", "check-ignore", "-q", "secret_key"], cwd=REPO)
    assert ignored.returncode == 0, "secret_key at the repository root is not ignored"


def test_check_refuses_a_key_file_in_a_source_checkout(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    result = check(tmp_path, checkout)
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "inside the source tree" in result.stderr


def test_check_accepts_a_generated_key_in_a_data_folder(tmp_path):
    result = check(tmp_path, tmp_path / "var")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_check_refuses_a_short_key(tmp_path):
    result = check(tmp_path, tmp_path / "var", SECRET_KEY="short-key-" + "x" * 20)
    assert result.returncode != 0
    assert "core.E002" in result.stderr


def test_check_accepts_a_long_key_from_the_environment(tmp_path):
    result = check(tmp_path, tmp_path / "var", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
