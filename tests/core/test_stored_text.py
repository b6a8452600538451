"""No stored text holds a control character: every model's text fields are cleaned on save."""

import feedparser
import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

from broadsheet.core.text import as_number, clean_text, text_fields
from tests.comments.conftest import form_data, make_comment
from tests.conftest import make_article

DIRTY = "a\x0bb\x1fc\x01d\x7fe\x85f\ufffeg\x00h\ttab\nline\r\n"
FORBIDDEN = {chr(c) for c in [*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}


def test_clean_text_keeps_line_breaks_only_in_multiline_text():
    assert clean_text(DIRTY) == "abcdefgh\ttab\nline\r\n"
    assert clean_text(DIRTY, multiline=False) == "abcdefgh tab line "
    assert clean_text("\ud800lone") == "?lone"
    assert clean_text(None) == ""


@pytest.mark.parametrize("value", ["²", "٣", "1²", "-1", "", " ", "1" * 19, None])
def test_as_number_refuses_what_int_would_misread(value):
    assert as_number(value) is None


def test_as_number_reads_plain_digits():
    assert as_number(" 42 ") == 42


def test_every_models_text_fields_are_cleaned_before_saving():
    """Walks every installed model (ours, Django's, the task queue's): a model added tomorrow is
    covered without anyone remembering to."""
    checked = 0
    for model in apps.get_models():
        fields = text_fields(model)
        if not fields:
            continue
        instance = model()
        for field in fields:
            setattr(instance, field.attname, DIRTY)
        pre_save.send(sender=model, instance=instance, raw=False, using="default", update_fields=None)
        for field in fields:
            value = getattr(instance, field.attname)
            where = f"{model._meta.label}.{field.name}"
            assert not FORBIDDEN & set(value), where
            if isinstance(field, models.TextField):
                assert value == "abcdefgh\ttab\nline\r\n", where
            else:
                assert value == "abcdefgh tab line ", where
            checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_a_comment_with_control_characters_is_stored_clean_and_feeds_keep_working(client):
    article = make_article("Control characters")
    response = client.post(
        f"/comments/post/{article.pk}/",
        form_data(comment="Tab\there\x0b and\x1f bell\x01 gone.", author="Na\x0bme\x1f"),
    )
    assert response.status_code == 302
    from broadsheet.comments.models import Comment

    comment = Comment.objects.get()
    assert comment.body == "Tab\there and bell gone." and comment.author_name == "Name"
    for url in ("/comments/feed/", f"/comments/feed/{article.pk}/"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert not feedparser.parse(answer.content).bozo


@pytest.mark.django_db
def test_comment_feeds_survive_a_row_written_around_the_model(client):
    """A row stored before the rule (or by raw SQL) still cannot take the feeds down."""
    from broadsheet.comments.models import Comment

    article = make_article("Old rows")
    comment = make_comment(article, body="Fine words.")
    Comment.objects.filter(pk=comment.pk).update(
        author_name="Old\x0bname", body_html="<p>Old\x1f body\x01</p>", body="Old\x1f body\x01"
    )
    for url in ("/comments/feed/", f"/comments/feed/{article.pk}/"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        feed = feedparser.parse(answer.content)
        assert not feed.bozo and "Old body" in feed.entries[0].summary


@pytest.mark.django_db
def test_an_article_saved_with_control_characters_is_stored_clean():
    article = make_article("Head\x0bline\x1f", summary="Sum\x01mary", body="Body\x0c text\n\nMore.")
    article.refresh_from_db()
    assert (article.headline, article.summary) == ("Headline", "Summary")
    assert article.body == "<p>Body text</p>\n<p>More.</p>"
