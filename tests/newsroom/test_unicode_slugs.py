"""A story's slug may be written in its own language's letters, in the back office and at the desk."""

import pytest
from django.urls import reverse

from broadsheet.newsroom.models import Article
from tests.conftest import make_article
from tests.desk.conftest import save
from tests.newsroom.test_back_office import article_form

pytestmark = pytest.mark.django_db


def change_form(client, article, **overrides):
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    data = article_form(
        article.section, client, url, headline=article.headline, slug=article.slug, status="published",
        publish_at_0=article.publish_at.strftime("%Y-%m-%d"), publish_at_1=article.publish_at.strftime("%H:%M:%S"),
    )  # fmt: skip
    data.update(overrides)
    return client.post(url, data)


def test_back_office_takes_a_turkish_slug(client, editor):
    article = make_article("Şehir meclisi köprü için oy kullandı", slug="sehir-meclisi")
    client.force_login(editor)
    page = client.get(reverse("admin:newsroom_article_change", args=[article.pk])).content.decode()
    assert "&quot;allowUnicode&quot;: true" in page  # the slug suggested from the headline keeps its letters
    response = change_form(client, article, slug="şehir-meclisi-köprü-oyu")
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.slug == "şehir-meclisi-köprü-oyu"
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/story/%C5%9Fehir-meclisi-k%C3%B6pr%C3%BC-oyu/").status_code == 200


def test_back_office_refuses_a_slug_with_spaces_and_keeps_what_was_typed(client, editor):
    article = make_article("Köprü açıldı", slug="kopru-acildi")
    client.force_login(editor)
    response = change_form(client, article, slug="köprü açıldı!")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid “slug”" in html and 'value="köprü açıldı!"' in html
    assert Article.objects.get(pk=article.pk).slug == "kopru-acildi"


def test_desk_keeps_a_unicode_slug_and_edits_it(client, editor):
    article = make_article("Σχέδιο για το λιμάνι", slug="σχέδιο-λιμάνι")
    client.force_login(editor)
    response = save(client, article, headline="Σχέδιο για το λιμάνι εγκρίθηκε")  # the slug as it is
    assert response.status_code == 200 and response.json()["story"]["slug"] == "σχέδιο-λιμάνι"
    article.refresh_from_db()
    response = save(client, article, slug="Şehir Limanı Planı")
    assert response.status_code == 200, response.content
    assert response.json()["story"]["slug"] == "şehir-limanı-planı"
    article.refresh_from_db()
    assert article.slug == "şehir-limanı-planı"
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/story/σχέδιο-λιμάνι/").status_code == 301  # the published story's old address


def test_desk_refuses_a_unicode_slug_another_story_has(client, editor):
    make_article("Birinci", slug="köprü-haberi")
    article = make_article("İkinci", slug="ikinci")
    client.force_login(editor)
    response = save(client, article, slug="köprü-haberi")
    assert response.status_code == 400
    assert "already uses this address" in response.json()["errors"]["slug"][0]
