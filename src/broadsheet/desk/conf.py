"""The desk's settings, read in one place."""

from django.conf import settings


def site_name():
    return settings.BROADSHEET_SITE_NAME


def autosave_seconds():
    """How often the editor saves a story while someone types in it."""
    return int(getattr(settings, "BROADSHEET_DESK_AUTOSAVE_SECONDS", 5))


def presence_seconds():
    """How long someone counts as 'also editing' after the editor last said they were there."""
    return int(getattr(settings, "BROADSHEET_DESK_PRESENCE_SECONDS", 30))


# Revisions kept by autosave: one a minute per person at most, besides every workflow step.
REVISION_EVERY_SECONDS = 60
LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("de", "German"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("nl", "Dutch"),
    ("pt", "Portuguese"),
    ("pl", "Polish"),
    ("sv", "Swedish"),
    ("ar", "Arabic"),
]
