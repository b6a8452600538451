"""Roles survive a database flush (transactional tests, `flush`) and cover every app's permissions."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_roles_are_restored_after_a_flush():
    call_command("flush", "--no-input", verbosity=0)
    editor = Group.objects.get(name="Editor")
    writer = Group.objects.get(name="Writer")
    labels = set(editor.permissions.values_list("content_type__app_label", flat=True))
    assert {"newsroom", "comments", "submissions"} <= labels
    assert editor.permissions.filter(codename="publish_article").exists()
    assert not writer.permissions.filter(codename="publish_article").exists()
    assert writer.permissions.filter(codename="add_article").exists()
