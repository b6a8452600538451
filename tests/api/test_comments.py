"""Comments through the API: approved ones only, oldest first, never an email or address."""

import json

import pytest

from broadsheet.comments.models import Comment

pytestmark = pytest.mark.django_db


def comment(article, body, *, status="approved", email="reader@example.org", **kw):
    return Comment.objects.create(
        article=article,
        author_name=kw.pop("name", "A Reader"),
        author_email=email,
        body=body,
        status=status,
        ip_address="203.0.113.9",
        user_agent="SecretBrowser/1.0",
        **kw,
    )


def test_only_approved_comments_are_listed_oldest_first(client, newsroom):
    article = newsroom["flood"]
    first = comment(article, "First, and approved.", email="first.private@example.org")
    comment(article, "Waiting for a moderator.", status="pending")
    comment(article, "Buy cheap things", status="spam")
    reply = comment(article, "A reply to the first.", parent=first, thread=first, depth=2)
    comment(newsroom["final"], "On another story.")
    response = client.get(f"/api/articles/{article.pk}/comments")
    data = json.loads(response.content)
    assert response.status_code == 200
    assert [c["id"] for c in data["results"]] == [first.pk, reply.pk]
    assert data["results"][1]["parent_id"] == first.pk
    assert data["results"][0]["body_html"].startswith("<p>First, and approved.")
    body = response.content.decode()
    for private in (
        "first.private@example.org",
        "reader@example.org",
        "203.0.113.9",
        "SecretBrowser",
        "email",
    ):
        assert private not in body


def test_comments_come_in_pages(client, newsroom):
    article = newsroom["flood"]
    for n in range(3):
        comment(article, f"Comment number {n}", email=f"r{n}@example.org")
    data = json.loads(client.get(f"/api/articles/{article.pk}/comments", {"page_size": 2}).content)
    assert len(data["results"]) == 2 and data["next"].endswith("page=2")
    rest = json.loads(client.get(f"/api/articles/{article.pk}/comments", {"page_size": 2, "page": 2}).content)
    assert len(rest["results"]) == 1 and rest["next"] is None


def test_comments_of_an_unpublished_story_are_not_found(client, newsroom):
    draft = newsroom["draft"]
    comment(draft, "Should never be seen.")
    response = client.get(f"/api/articles/{draft.pk}/comments")
    assert response.status_code == 404
    assert "Should never be seen" not in response.content.decode()
