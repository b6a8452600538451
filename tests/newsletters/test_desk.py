"""Editors compose a newsletter in the back office, preview it, send a test, then send it."""

import pytest

from broadsheet.newsletters.models import Newsletter
from tests.conftest import make_article, make_user

from .helpers import confirmed

pytestmark = pytest.mark.django_db


def test_an_editor_composes_previews_tests_and_sends_a_newsletter(client, smtp, django_capture_on_commit_callbacks):
    editor = make_user("editor", superuser=True)
    editor.email = "editor@example.org"
    editor.save()
    client.force_login(editor)
    confirmed("reader@example.org")
    late, early = make_article("Council votes tonight"), make_article("Bridge closes for repairs")
    response = client.post(
        "/admin/newsletters/newsletter/add/",
        {
            "subject": "Evening edition",
            "intro": "Two things to know.",
            "audience": "daily",
            "section": "",
            "send_at": "",
            "stories-TOTAL_FORMS": "2",
            "stories-INITIAL_FORMS": "0",
            "stories-MIN_NUM_FORMS": "0",
            "stories-MAX_NUM_FORMS": "1000",
            "stories-0-position": "2",
            "stories-0-article": str(late.pk),
            "stories-1-position": "1",
            "stories-1-article": str(early.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Newsletter.objects.get()
    preview = client.get(f"/admin/newsletters/newsletter/{letter.pk}/preview/").content.decode()
    assert preview.index("Two things to know.") < preview.index("Bridge closes") < preview.index("Council votes")
    client.post(f"/admin/newsletters/newsletter/{letter.pk}/send/", {"test": "1", "test_to": ""})
    assert [m["To"] for m in smtp.messages] == ["editor@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/newsletters/newsletter/{letter.pk}/send/", {"send_now": "1"})
        client.post(f"/admin/newsletters/newsletter/{letter.pk}/send/", {"send_now": "1"})
    assert [m["To"] for m in smtp.messages] == ["editor@example.org", "reader@example.org"]
    page = client.get(f"/admin/newsletters/newsletter/{letter.pk}/change/").content.decode()
    assert "1 recipients · 1 sent" in page
