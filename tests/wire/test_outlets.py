"""Outlet identity: one Source per outlet whatever it is called, never two outlets merged by the machine."""

import pytest
from django.core.management import call_command

from broadsheet.newsroom.models import Source
from broadsheet.wire import outlets
from broadsheet.wire.models import SourceAlias
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "a,b",
    [
        ("NYT", "The New York Times"),
        ("nytimes.com", "The New York Times"),
        ("New York Times", "The New York Times"),
        ("WSJ", "The Wall Street Journal"),
        ("https://www.bbc.co.uk/", "BBC"),
        ("AFP", "Agence France-Presse"),
        ("aljazeera.com", "Al Jazeera"),
        ("Le Monde", "le monde"),
    ],
)
def test_names_of_one_outlet_are_suggested_as_the_same(a, b):
    assert outlets.may_be_same(a, b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("The Times", "The New York Times"),
        ("Sozcu", "Sozcu Sport"),
        ("The Sun", "The Sunday Times"),
        ("New York Post", "New York Times"),
        ("The Guardian", "Guardian Nigeria"),
        ("Times of India", "The Times"),
    ],
)
def test_different_outlets_with_similar_names_are_never_suggested(a, b):
    assert not outlets.may_be_same(a, b)


def test_adding_a_feed_under_another_spelling_of_a_known_name_reuses_the_source(capsys):
    Source.objects.create(name="The Guardian")
    call_command("wire", "add-feed", "guardian", "https://guardian.example/feed")
    assert Source.objects.count() == 1


def test_the_machine_does_not_merge_an_abbreviation_it_only_suggests_it(client, admin_client):
    Source.objects.create(name="The New York Times")
    outlets.find_or_create_source("NYT")
    assert Source.objects.count() == 2
    page = admin_client.get("/wire/outlets/").content.decode()
    assert "NYT" in page and "The New York Times" in page


def test_joining_two_sources_lists_every_story_under_the_one_source_page(client, admin_client):
    nyt = Source.objects.create(name="The New York Times", homepage="https://www.nytimes.com/")
    short = Source.objects.create(name="NYT")
    story_a = make_article("Harbour talks resume", source=nyt)
    story_b = make_article("Ferry strike ends", source=short)
    admin_client.post("/wire/outlets/", {"keep": nyt.pk, "other": short.pk})
    assert not Source.objects.filter(name="NYT").exists()
    assert outlets.find_source("NYT") == nyt
    page = client.get(nyt.get_absolute_url()).content.decode()
    assert story_a.headline in page and story_b.headline in page


def test_a_homepage_domain_is_suggested_as_an_alias_and_can_be_added(admin_client):
    nyt = Source.objects.create(name="The New York Times", homepage="https://www.nytimes.com/")
    page = admin_client.get("/wire/outlets/").content.decode()
    assert "nytimes.com" in page
    admin_client.post("/wire/outlets/", {"keep": nyt.pk, "alias": "nytimes.com"})
    assert SourceAlias.objects.get(source=nyt).name == "nytimes.com"
    assert outlets.find_or_create_source("nytimes.com") == nyt


def test_outlet_names_page_is_for_staff_only(client):
    assert client.get("/wire/outlets/").status_code == 302


def test_joining_with_a_bad_number_is_a_404_not_an_error(admin_client):
    assert admin_client.post("/wire/outlets/", {"keep": "abc", "other": "1"}).status_code == 404
