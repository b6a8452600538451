"""A SQLite database that holds stories but was never analysed gets planner statistics at migrate."""

import pytest
from django.apps import apps
from django.db import connection

from broadsheet.core import apps as core_apps
from tests.conftest import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def has_statistics():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return cursor.fetchone() is not None


def test_a_database_never_analysed_is_analysed_after_migrate(monkeypatch):
    monkeypatch.setattr(core_apps, "ANALYZE_MIN_ARTICLES", 2)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    make_article("Ferry fares frozen")
    config = apps.get_app_config("core")
    core_apps.analyze_if_never_analyzed(config)
    assert not has_statistics()  # one story: not worth it
    make_article("Harbour lights repaired")
    core_apps.analyze_if_never_analyzed(config)
    assert has_statistics()
