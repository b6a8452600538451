"""Operators configure every app through BROADSHEET_* environment variables."""

import os
import subprocess
import sys


def read_settings(tmp_path, names, **env):
    environment = {
        **os.environ,
        "BROADSHEET_DATA": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        **env,
    }
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(repr(getattr(settings, {name!r}, None)))" for name in names
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return out.stdout.split("\n")[: len(names)]


def test_app_settings_come_from_the_environment(tmp_path):
    values = read_settings(
        tmp_path,
        [
            "BROADSHEET_FEED_FULL_TEXT",
            "BROADSHEET_COMMENTS_FLOOD_SECONDS",
            "BROADSHEET_API_CORS_ORIGINS",
            "BROADSHEET_CANONICAL_REPUBLISHED",
        ],
        BROADSHEET_FEED_FULL_TEXT="true",
        BROADSHEET_COMMENTS_FLOOD_SECONDS="0",
        BROADSHEET_API_CORS_ORIGINS='["https://reader.example"]',
        BROADSHEET_CANONICAL_REPUBLISHED="ours",
    )
    assert values == ["True", "0", "['https://reader.example']", "'ours'"]


def test_core_settings_keep_their_own_parsing(tmp_path):
    assert read_settings(tmp_path, ["BROADSHEET_SITE_NAME"], BROADSHEET_SITE_NAME="123") == ["'123'"]
