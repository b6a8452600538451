"""Languages: right-to-left stories render right to left; translations point at each other."""

import re

import pytest

from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ar", "he", "fa", "ur"])
def test_right_to_left_story_renders_with_dir_rtl(client, language):
    article = make_article("Story", language=language, body="نص")
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<article class="story"[^>]*\bdir="rtl"', page)
    assert f'<html lang="{language}"' in page


def test_left_to_right_story_stays_ltr(client):
    article = make_article("Story", language="tr")
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<article class="story"[^>]*\bdir="ltr"', page)


def test_translations_link_to_each_other_with_hreflang(client):
    original = make_article("Talks stall", language="en")
    arabic = make_article("تعثر المحادثات", language="ar", translation_of=original)
    turkish = make_article("Görüşmeler tıkandı", language="tr", translation_of=original)
    draft = make_article("Draft", language="fa", translation_of=original, status="draft")
    for story in (original, arabic, turkish):
        page = client.get(story.get_absolute_url()).content.decode()
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))
        assert set(links) == {"en", "ar", "tr"}
        assert links["ar"].endswith(arabic.get_absolute_url())
    assert draft.language not in links


def test_a_story_without_translations_has_no_hreflang(client):
    page = client.get(make_article("Alone").get_absolute_url()).content.decode()
    assert "hreflang" not in page
