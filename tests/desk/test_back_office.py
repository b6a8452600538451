"""The rest of the desk: each person's dashboard, the branded back office, colours under our CSP."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.newsroom import services
from tests.conftest import make_article, make_user

pytestmark = pytest.mark.django_db


def test_dashboard_lists_what_is_mine_to_do(client):
    editor = make_user("ed", role="Editor")
    writer = make_user("wri", role="Writer")
    mine = make_article("My unfinished draft", status="draft", created_by=writer)
    returned = make_article("Returned to me", status="draft", created_by=writer)
    services.send_to_review(returned, by=writer)
    services.unpublish(returned, by=editor)
    make_article("Waiting for an editor", status="review", created_by=writer)
    make_article("Someone else's draft", status="draft", created_by=editor)
    client.force_login(writer)
    page = client.get(reverse("desk:dashboard")).content.decode()
    drafts = page.split('id="list-drafts"')[1].split("</section>")[0]
    sent_back = page.split('id="list-sent-back"')[1].split("</section>")[0]
    assert mine.headline in drafts and "Returned to me" not in drafts
    assert "Returned to me" in sent_back
    assert "Someone else&#x27;s draft" not in page and "Waiting for my review" not in page


def test_writer_sees_no_lockout_or_spam_counts(client):
    client.force_login(make_user("wri", role="Writer"))
    page = client.get(reverse("desk:dashboard")).content.decode()
    assert "Locked sign-ins" not in page and "Comments marked as spam" not in page
    client.force_login(make_user("ed", role="Editor"))
    page = client.get(reverse("desk:dashboard")).content.decode()
    assert "Locked sign-ins" in page and "Comments marked as spam" in page
    index = client.get(reverse("admin:index")).content.decode()
    assert "Locked sign-ins" in index


def test_editor_sees_stories_scheduled_for_later_today(client):
    now = timezone.now()
    later = now + datetime.timedelta(minutes=1)
    if timezone.localtime(later).date() != timezone.localtime(now).date():
        pytest.skip("a minute before midnight nothing more is scheduled today")
    make_article("Goes out tonight", status="published", publish_at=later)
    client.force_login(make_user("ed", role="Editor"))
    page = client.get(reverse("desk:dashboard")).content.decode()
    today = page.split('id="list-today"')[1].split("</section>")[0]
    assert "Goes out tonight" in today


def test_back_office_carries_the_site_name(client, settings):
    client.force_login(make_user("ed", role="Editor"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Django administration" not in page
    assert f"{settings.BROADSHEET_SITE_NAME} · desk" in page


def test_revision_compare_has_colours_without_inline_styles(client):
    client.force_login(make_user("ed", role="Editor"))
    article = make_article("Headline", status="draft", body="<p>One</p>")
    services.save_article(article)
    article.body = "<p>Two</p>"
    services.save_article(article)
    first, second = list(article.revisions.order_by("created_at", "id"))[-2:]
    url = reverse("admin:newsroom_article_revisions", args=[article.pk])
    page = client.get(url, {"a": first.pk, "b": second.pk}).content.decode()
    assert "diff-added" in page and "<style" not in page and not re.search(r"\sstyle=", page)
    css = open(
        __import__("broadsheet.desk", fromlist=["x"]).__path__[0] + "/static/desk/admin.css", encoding="utf-8"
    ).read()
    assert ".diff-added" in css and "admin.css" in page


def test_messages_count_stories_in_good_english(client):
    client.force_login(make_user("ed", role="Editor"))
    article = make_article("Only one", status="draft")
    response = client.post(
        reverse("admin:newsroom_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "Published 1 story." in response.content.decode()
