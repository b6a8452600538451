"""Sections, sources and tags are found or created by one race-safe rule: writers that meet the
same new name at the same moment share one row, and none of them fails."""

import json
import threading

import pytest
from django.db import connection

from broadsheet.newsroom.importing import import_record, parse_record
from broadsheet.newsroom.models import Section, Source, Tag

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 8


def run_at_once(work):
    """Run work(i) in WRITERS threads released together; return the errors they raised."""
    start, errors = threading.Barrier(WRITERS), []

    def run(i):
        try:
            start.wait()
            work(i)
        except Exception as error:  # collected for the assertion, with its type
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_importers_meeting_the_same_new_names_share_one_row_each():
    def work(i):
        line = {
            "external_id": f"race-{i}",
            "title": f"Ferry story {i}",
            "body": "Body.",
            "section": "Harbour News",
            "published": "2026-01-02T10:00:00+00:00",
            "source": "Island Gazette",
            "tags": ["ferries", "Weather  Watch"],
        }
        import_record(parse_record(json.dumps(line)))

    assert run_at_once(work) == []
    assert Section.objects.filter(name__iexact="Harbour News").count() == 1
    assert Source.objects.filter(name__iexact="Island Gazette").count() == 1
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Weather Watch", "ferries"]


def test_find_or_create_matches_any_case_and_collapses_spaces():
    first = Tag.objects.find_or_create("  Harbour   Works ")
    assert first.name == "Harbour Works"
    assert Tag.objects.find_or_create("harbour works") == first
    assert Tag.objects.find_or_create("   ") is None


def test_writers_racing_on_one_new_tag_all_get_the_same_row():
    found = {}
    assert run_at_once(lambda i: found.setdefault(i, Tag.objects.find_or_create("Breaking").pk)) == []
    assert len(set(found.values())) == 1 and Tag.objects.count() == 1
