"""A guest contributor's email is for editors: a Writer can read author records, not the email."""

import pytest
from django.urls import reverse

from broadsheet.newsroom.models import Author

pytestmark = pytest.mark.django_db
EMAIL = "guest.writer@private.example"


@pytest.fixture
def guest():
    return Author.objects.create(name="Guest Writer", is_guest=True, contact_email=EMAIL)


def test_writer_reads_the_author_record_without_the_email(client, writer, guest):
    client.force_login(writer)
    page = client.get(reverse("admin:newsroom_author_change", args=[guest.pk]))
    assert page.status_code == 200 and "Guest Writer" in page.content.decode()
    assert EMAIL not in page.content.decode()


def test_writer_cannot_find_an_author_by_email(client, writer, guest):
    client.force_login(writer)
    page = client.get(reverse("admin:newsroom_author_changelist"), {"q": "private.example"})
    assert "Guest Writer" not in page.content.decode()


def test_editor_sees_and_searches_the_email(client, editor, guest):
    client.force_login(editor)
    assert EMAIL in client.get(reverse("admin:newsroom_author_change", args=[guest.pk])).content.decode()
    page = client.get(reverse("admin:newsroom_author_changelist"), {"q": "private.example"})
    assert "Guest Writer" in page.content.decode()
