"""`broadsheet seed`: original demo content, deterministic for a seed."""

import pytest
from django.core.management import call_command

from broadsheet.newsroom.models import Article, Section, Source

pytestmark = pytest.mark.django_db


def headlines():
    return list(Article.objects.order_by("external_id").values_list("headline", "section__name"))


def test_seed_makes_a_site_with_sections_sources_and_pictures(client):
    call_command("seed", "--articles", "120", "--no-progress")
    assert Article.objects.count() == 120
    assert Section.objects.count() == 8
    assert Source.objects.count() == 40
    republished = Article.objects.exclude(source=None).count()
    assert 20 < republished < 70
    assert Article.objects.exclude(image="").exists()
    assert Article.objects.published().count() < 120  # a few drafts and stories in review
    home = client.get("/")
    assert home.status_code == 200
    first = Article.objects.published().exclude(source=None).first()
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Source:" in page


def test_seed_is_deterministic_for_a_seed():
    call_command("seed", "--articles", "40", "--seed", "7", "--no-progress")
    first = headlines()
    Article.objects.all().delete()
    call_command("seed", "--articles", "40", "--seed", "7", "--no-progress")
    assert headlines() == first


def test_seed_if_empty_does_nothing_on_a_full_database():
    call_command("seed", "--articles", "10", "--no-progress")
    call_command("seed", "--articles", "50", "--if-empty", "--no-progress")
    assert Article.objects.count() == 10
