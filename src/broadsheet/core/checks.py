"""System checks for what a deployment must not get wrong: where the secret key lives, and how
strong it is. Run by every management command (`broadsheet check`, `serve`, `migrate`)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
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
