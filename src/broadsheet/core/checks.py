"""System checks for what a deployment must not get wrong: where the secret key lives, how
strong it is, and BROADSHEET_* variables no setting reads (a typo is otherwise silently
ignored). Run by every management command (`broadsheet check`, `serve`, `migrate`)."""

import difflib
import os
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.checks.security.base import SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_UNIQUE_CHARACTERS

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_MARKERS = ("pyproject.toml", ".git", "setup.py")


def is_in_source_tree(path):
    """True for a file inside the installed package or directly in a source checkout's root
    (where `BROADSHEET_DATA=.` puts it, one `git add .` away from being published)."""
    path = Path(path).resolve()
    if path.is_relative_to(PACKAGE_DIR):
        return True
    return any((path.parent / marker).exists() for marker in CHECKOUT_MARKERS)


@register(Tags.security)
def check_secret_key(app_configs=None, **kwargs):
    errors = []
    key_file = getattr(settings, "SECRET_KEY_FILE", None)
    if key_file and is_in_source_tree(key_file):
        errors.append(
            Error(
                f"The secret key is kept in {key_file}, inside the source tree, where it can be "
                "committed and published.",
                hint="Set SECRET_KEY in the environment, or point BROADSHEET_DATA at a data folder "
                "outside the checkout (the default ./var is ignored by git).",
                id="core.E001",
            )
        )
    key = str(settings.SECRET_KEY or "")
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        errors.append(
            Error(
                f"SECRET_KEY is too weak: Django recommends at least {SECRET_KEY_MIN_LENGTH} characters "
                f"and {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones.",
                hint='Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"',
                id="core.E002",
            )
        )
    return errors


# Read by the test and CI harness, not by the site.
HARNESS_VARIABLES = frozenset(
    {
        "BROADSHEET_DOCS_SCREENSHOTS",
        "BROADSHEET_REQUIRE_BROWSER",
        "BROADSHEET_REQUIRE_VARNISH",
        "BROADSHEET_TEST_PORTS",
    }
)
_NAMED = re.compile(r"BROADSHEET_[A-Z0-9_]*[A-Z0-9]")
# An app's conf.py reads its settings through a helper: f"BROADSHEET_COMMENTS_{name}" + _get("X").
_PREFIXED = re.compile(r'f"BROADSHEET_([A-Z0-9_]*)\{name\}"')
_HELPER_CALL = re.compile(r'_get\(\s*"([A-Z0-9_]+)"')


@cache
def known_settings():
    """Every BROADSHEET_* name the code reads: named in full, or through a conf module's helper."""
    names = set(HARNESS_VARIABLES)
    for path in PACKAGE_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        names.update(_NAMED.findall(text))
        for prefix in _PREFIXED.findall(text):
            names.update(f"BROADSHEET_{prefix}{suffix}" for suffix in _HELPER_CALL.findall(text))
    return frozenset(names)


@register()
def check_unknown_environment(app_configs=None, **kwargs):
    known = known_settings()
    warnings = []
    for name in sorted(os.environ):
        if not name.startswith("BROADSHEET_") or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        hint = f"Did you mean {close[0]}?" if close else "See the settings table in the README."
        warnings.append(
            Warning(f"{name} is set, but no setting has that name: it is ignored.", hint=hint, id="core.W001")
        )
    return warnings
