"""Editors moderate from the back office: queue, counts, one-click and bulk decisions, edit, reply,
a commenter's history, and the moderation settings."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from broadsheet.comments.models import Comment, ModerationSettings
from tests.conftest import make_article

from .conftest import make_comment

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/comment/"


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_dashboard_shows_moderation_counts(desk):
    article = make_article()
    for _ in range(3):
        make_comment(article, status="pending")
    make_comment(article, status="spam")
    html = desk.get("/admin/").content.decode()
    assert "Comments awaiting moderation" in html and "Comments marked as spam" in html
    assert f'href="{QUEUE}?status__exact=pending">Comments awaiting moderation</a></th><td>3</td>' in html


def test_queue_lists_held_comments_with_one_click_buttons(desk):
    article = make_article("Queue story")
    held = make_comment(
        article, status="pending", body="Please look at this one.", author_email="held@example.org"
    )
    html = desk.get(QUEUE + "?status__exact=pending").content.decode()
    assert "Please look at this one." in html and "held@example.org" in html
    assert f'name="decision" value="approve:{held.pk}"' in html
    assert 'form id="comment-decide"' in html


@pytest.mark.parametrize(
    ("start", "decision", "end"),
    [
        ("pending", "approve", "approved"),
        ("approved", "unapprove", "pending"),
        ("pending", "spam", "spam"),
        ("spam", "not_spam", "pending"),
        ("pending", "trash", "trash"),
    ],
)
def test_one_click_decisions(desk, start, decision, end):
    comment = make_comment(make_article(), status=start)
    response = desk.post(
        reverse("admin:comments_comment_decide"),
        {"decision": f"{decision}:{comment.pk}", "next": QUEUE + "?status__exact=pending"},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE + "?status__exact=pending"
    comment.refresh_from_db()
    assert comment.status == end


def test_decide_rejects_nonsense_and_foreign_redirects(desk):
    comment = make_comment(make_article(), status="pending")
    for value in ("explode:1", "approve:abc", "approve:999999", ""):
        assert desk.post(reverse("admin:comments_comment_decide"), {"decision": value}).status_code == 302
    response = desk.post(
        reverse("admin:comments_comment_decide"),
        {"decision": f"approve:{comment.pk}", "next": "https://evil.example/"},
    )
    assert response["Location"] == QUEUE
    assert desk.get(reverse("admin:comments_comment_decide")).status_code == 302


@pytest.mark.parametrize(
    ("action", "end"),
    [
        ("approve_selected", "approved"),
        ("spam_selected", "spam"),
        ("trash_selected", "trash"),
        ("unapprove_selected", "pending"),
    ],
)
def test_bulk_actions(desk, action, end):
    article = make_article()
    comments = [make_comment(article, status="pending") for _ in range(3)]
    response = desk.post(QUEUE, {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments[:2]]})
    assert response.status_code == 302
    assert sorted(Comment.objects.values_list("status", flat=True)) == sorted([end, end, "pending"])


def test_editor_edits_a_comment_and_the_page_shows_the_new_words(desk):
    article = make_article()
    comment = make_comment(article, body="Tpyo in here.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    assert desk.get(url).status_code == 200
    response = desk.post(
        url,
        {
            "body": "Typo fixed <b>here</b>.",
            "author_name": "Reader",
            "author_email": comment.author_email,
            "author_url": "",
        },
    )
    assert response.status_code == 302
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Typo fixed &lt;b&gt;here&lt;/b&gt;." in html
    response = desk.post(url, {"body": "  ", "author_name": "Reader", "author_email": comment.author_email})
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.body == "Typo fixed <b>here</b>."


def test_editor_replies_from_the_queue(desk, editor):
    editor.first_name, editor.last_name, editor.email = "Nadia", "Osei", "nadia@newsroom.example"
    editor.save()
    article = make_article()
    held = make_comment(article, status="pending", body="Is this right?")
    url = reverse("admin:comments_comment_reply", args=[held.pk])
    assert "Is this right?" in desk.get(url).content.decode()
    assert desk.post(url, {"body": "   "}).status_code == 200
    response = desk.post(url, {"body": "Yes, we checked it with the harbour office."})
    assert response.status_code == 302
    held.refresh_from_db()
    reply = Comment.objects.get(parent=held)
    assert held.status == "approved" and reply.status == "approved" and reply.user == editor
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Nadia Osei" in html and "Editor</span>" in html and "checked it with the harbour" in html
    assert "nadia@newsroom.example" not in html


def test_commenter_history_by_email_is_for_editors_only(desk, writer):
    article = make_article("History story")
    make_comment(article, author_email="regular@example.org", status="approved", body="One")
    make_comment(article, author_email="regular@example.org", status="spam", body="Two")
    make_comment(article, author_email="other@example.org", body="Three")
    url = reverse("admin:comments_comment_history") + "?email=REGULAR@example.org"
    html = desk.get(url).content.decode()
    assert "History story" in html and "Three" not in html
    assert '<th scope="row">Approved</th><td>1</td>' in html and '<th scope="row">Spam</th><td>1</td>' in html
    writer_client = Client()
    writer_client.force_login(writer)
    assert writer_client.get(url).status_code == 403
    assert writer_client.get(QUEUE).status_code == 403
    assert Client().get(url).status_code == 302


def test_moderation_settings_are_one_editable_row_with_the_issue_defaults(desk):
    rules = ModerationSettings.load()
    assert (rules.manual_approval, rules.auto_approve_known, rules.hold_link_count) == (False, True, 2)
    assert (rules.flood_seconds, rules.close_after_days, rules.max_depth) == (15, 0, 5)
    response = desk.get("/admin/comments/moderationsettings/")
    assert response.status_code == 302 and response["Location"].endswith("/moderationsettings/1/change/")
    data = {
        "manual_approval": "on",
        "auto_approve_known": "on",
        "hold_link_count": "3",
        "moderation_words": "lottery",
        "disallowed_words": "",
        "flood_seconds": "0",
        "close_after_days": "30",
        "max_depth": "4",
        "per_page": "20",
        "notify_editors": "on",
    }
    response = desk.post("/admin/comments/moderationsettings/1/change/", data)
    assert response.status_code == 302
    rules = ModerationSettings.load()
    assert rules.manual_approval and rules.flood_seconds == 0 and rules.max_depth == 4
    assert rules.moderation_words == "lottery" and not rules.notify_authors
    assert ModerationSettings.objects.count() == 1
    assert desk.get("/admin/comments/moderationsettings/add/").status_code == 403


def test_deleting_comments_in_the_admin_updates_the_listing_count(desk):
    from broadsheet.comments.services import annotate_comment_counts

    article = make_article()
    comments = [make_comment(article) for _ in range(3)]
    response = desk.post(
        QUEUE,
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [comments[0].pk, comments[1].pk]},
    )
    assert response.status_code == 302
    assert annotate_comment_counts([article])[0].comment_count == 1
