"""Editors pin and exclude related stories per article; pins come first."""

import pytest
from django.urls import reverse

from broadsheet.related import services
from broadsheet.related.models import RelatedExclusion, RelatedPin

from .conftest import keys_of

pytestmark = pytest.mark.django_db


def test_pinned_stories_come_first_in_their_order(stories, django_capture_on_commit_callbacks):
    article = stories["ferry-1"]
    with django_capture_on_commit_callbacks(execute=True):
        RelatedPin.objects.create(article=article, pinned=stories["single-3"], position=2)
        RelatedPin.objects.create(article=article, pinned=stories["single-1"], position=1)
    related = keys_of(services.related_for(article, limit=5), stories)
    assert related[:2] == ["single-1", "single-3"]
    assert set(related[2:4]) == {"ferry-2", "ferry-3"}


def test_pin_of_a_story_already_listed_does_not_repeat_it(stories, django_capture_on_commit_callbacks):
    article = stories["ferry-1"]
    with django_capture_on_commit_callbacks(execute=True):
        RelatedPin.objects.create(article=article, pinned=stories["ferry-3"])
    related = keys_of(services.related_for(article, limit=10), stories)
    assert related[0] == "ferry-3"
    assert related.count("ferry-3") == 1


def test_excluded_story_never_shows_and_the_list_stays_full(stories, django_capture_on_commit_callbacks):
    article = stories["ferry-1"]
    assert len(services.related_for(article, limit=5)) == 5
    with django_capture_on_commit_callbacks(execute=True):
        RelatedExclusion.objects.create(article=article, excluded=stories["ferry-2"])
    related = keys_of(services.related_for(article, limit=5), stories)
    assert "ferry-2" not in related
    assert len(related) == 5


def test_choices_survive_a_rebuild_and_removing_a_pin_restores_the_list(
    stories, django_capture_on_commit_callbacks
):
    article = stories["ferry-1"]
    with django_capture_on_commit_callbacks(execute=True):
        pin = RelatedPin.objects.create(article=article, pinned=stories["single-2"])
        RelatedExclusion.objects.create(article=article, excluded=stories["ferry-3"])
    services.rebuild_related()
    related = keys_of(services.related_for(article, limit=5), stories)
    assert related[0] == "single-2"
    assert "ferry-3" not in related
    with django_capture_on_commit_callbacks(execute=True):
        pin.delete()
    assert "single-2" not in keys_of(services.related_for(article, limit=2), stories)


def test_pinned_story_that_is_unpublished_is_not_shown(stories, django_capture_on_commit_callbacks):
    from broadsheet.newsroom import services as newsroom

    article = stories["ferry-1"]
    with django_capture_on_commit_callbacks(execute=True):
        RelatedPin.objects.create(article=article, pinned=stories["single-2"])
        newsroom.unpublish(stories["single-2"])
    assert stories["single-2"] not in services.related_for(article, limit=10)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(stories["single-2"])
    assert keys_of(services.related_for(article, limit=1), stories) == ["single-2"]


def post_article_form(client, article, pinned):
    """Post the article's admin form unchanged, with one pinned related story."""
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "headline": article.headline,
            "slug": article.slug,
            "summary": article.summary,
            "body": article.body,
            "status": article.status,
            "publish_at_0": article.publish_at.strftime("%Y-%m-%d"),
            "publish_at_1": article.publish_at.strftime("%H:%M:%S"),
            "section": article.section_id,
            "language": "en",
            "comments_open": "on",
            "external_id": article.external_id,
            "tags": [t.pk for t in article.tags.all()],
            "image_caption": "",
            "image_credit": "",
            "image_alt": "",
            "source_url": "",
            "image": "",
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    pin_prefix = next(
        f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is RelatedPin
    )
    data.update(
        {
            f"{pin_prefix}-TOTAL_FORMS": "1",
            f"{pin_prefix}-0-pinned": pinned.pk,
            f"{pin_prefix}-0-position": "0",
        }
    )
    return client.post(url, data)


def test_editor_pins_a_story_from_the_article_form(
    client, editor, stories, django_capture_on_commit_callbacks
):
    article = stories["ferry-1"]
    client.force_login(editor)
    page = client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert b"Related posts: pinned stories" in page.content
    assert b"Related posts: stories never to show" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = post_article_form(client, article, stories["single-1"])
    assert response.status_code == 302
    assert keys_of(services.related_for(article, limit=1), stories) == ["single-1"]


def test_pinning_a_story_under_itself_is_refused_with_a_message(client, editor, stories):
    article = stories["ferry-1"]
    client.force_login(editor)
    response = post_article_form(client, article, article)
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not RelatedPin.objects.exists()


def test_writer_does_not_see_the_pins(client, writer, stories):
    article = stories["ferry-1"]
    article.created_by = writer
    article.save()
    client.force_login(writer)
    page = client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert b"Related posts: pinned stories" not in page.content


def test_a_story_cannot_be_pinned_under_itself(stories):
    from django.db import IntegrityError, transaction

    article = stories["ferry-1"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedPin.objects.create(article=article, pinned=article)


def test_pins_page_refuses_a_story_under_itself_and_keeps_the_choice(
    client, editor, stories, django_capture_on_commit_callbacks
):
    article = stories["ferry-1"]
    client.force_login(editor)
    url = reverse("admin:related_relatedpin_add")
    response = client.post(url, {"article": article.pk, "pinned": article.pk, "position": "3"})
    assert response.status_code == 200
    assert "this one is the article itself" in response.content.decode()
    assert b'value="3"' in response.content
    assert not RelatedPin.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"article": article.pk, "pinned": stories["single-2"].pk, "position": "0"}
        )
    assert response.status_code == 302
    assert keys_of(services.related_for(article, limit=1), stories) == ["single-2"]
