"""Helpers for comment tests: a valid form, a posting helper that runs after-commit work, factories."""

import time

import pytest

from broadsheet.core.antispam import make_stamp


def form_data(**overrides):
    data = {
        "comment": "A thoughtful remark about the harbour plan.",
        "author": "Mira Kovač",
        "email": "mira@example.net",
        "url": "",
        "parent": "",
        "form_stamp": make_stamp(time.time() - 10),
        "website_url_confirm": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_comment(article, *, status="approved", parent=None, **kw):
    from broadsheet.comments.models import Comment

    defaults = {
        "author_name": "Reader",
        "author_email": f"reader{Comment.objects.count() + 1}@example.org",
        "body": f"Comment number {Comment.objects.count() + 1} on this story.",
    }
    defaults.update(kw)
    return Comment.objects.create(
        article=article,
        parent=parent,
        thread_id=(parent.thread_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 1,
        status=status,
        **defaults,
    )


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """post(article, **fields) -> response; runs the after-commit work (emails, signals)."""

    def send(article, *, client=client, follow=False, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/comments/post/{article.pk}/", form_data(**fields), follow=follow)

    return send


@pytest.fixture
def rules(db):
    from broadsheet.comments.models import ModerationSettings

    return ModerationSettings.load()


def save_rules(**changes):
    from broadsheet.comments.models import ModerationSettings

    rules = ModerationSettings.load()
    for name, value in changes.items():
        setattr(rules, name, value)
    rules.save()
    return rules


@pytest.fixture(autouse=True)
def _no_flood_by_default(settings):
    """Most tests post several comments in a row; the flood tests switch the rule back on."""
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
