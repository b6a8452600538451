"""The editors' desk: roles, workflow actions, image checks, revisions in the admin."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from broadsheet.newsroom.models import Article, Section
from tests.conftest import make_article, make_user, picture_bytes

pytestmark = pytest.mark.django_db


def management_forms(client, url):
    """The hidden inline-formset counters of an admin form page, as a browser would send them."""
    import re

    html = client.get(url).content.decode()
    pattern = r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*?value="(\d*)"'
    return dict(re.findall(pattern, html)) or dict(
        (name, value) for value, name in re.findall(r'value="(\d*)"[^>]*?name="([\w-]+_FORMS)"', html)
    )


def article_form(section, client=None, url=None, **overrides):
    data = {
        "headline": "A story from the desk",
        "slug": "",
        "summary": "Summary",
        "body": "Body text",
        "status": "draft",
        "section": section.pk,
        "language": "en",
        "comments_open": "on",
    }
    if client is not None:
        data.update(management_forms(client, url or reverse("admin:newsroom_article_add")))
    data.update(overrides)
    return data


def test_roles_exist_with_the_right_powers(editor, writer):
    assert editor.has_perm("newsroom.publish_article")
    assert not writer.has_perm("newsroom.publish_article")
    assert writer.has_perm("newsroom.add_article")


def test_writer_cannot_publish(client, writer):
    section = Section.objects.create(name="City")
    client.force_login(writer)
    response = client.post(reverse("admin:newsroom_article_add"), article_form(section, client, status="published"))
    assert response.status_code == 200
    assert (
        "Select a valid choice" in response.content.decode()
        or "Only editors can publish" in response.content.decode()
    )
    assert not Article.objects.filter(headline="A story from the desk").exists()
    response = client.post(reverse("admin:newsroom_article_add"), article_form(section, client, status="review"))
    assert response.status_code == 302
    article = Article.objects.get(headline="A story from the desk")
    assert article.status == "review" and article.created_by == writer
    assert article.revisions.count() == 1


def test_writer_sees_only_own_stories(client, writer, editor):
    mine = make_article("Writer's own", status="draft", created_by=writer)
    theirs = make_article("Someone else's", status="draft", created_by=editor)
    client.force_login(writer)
    listing = client.get(reverse("admin:newsroom_article_changelist")).content.decode()
    assert "Writer&#x27;s own" in listing or "Writer's own" in listing
    assert "Someone else" not in listing
    assert client.get(reverse("admin:newsroom_article_change", args=[theirs.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:newsroom_article_change", args=[mine.pk])).status_code == 200


def test_editor_publishes_with_an_action(client, editor):
    article = make_article("Awaiting publication", status="review")
    client.force_login(editor)
    response = client.post(
        reverse("admin:newsroom_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_schedules_with_an_action(client, editor):
    article = make_article("For tomorrow", status="draft")
    client.force_login(editor)
    url = reverse("admin:newsroom_article_changelist")
    page = client.post(url, {"action": "schedule_selected", "_selected_action": [article.pk]})
    assert page.status_code == 200 and "Schedule" in page.content.decode()
    past = client.post(
        url,
        {
            "action": "schedule_selected",
            "_selected_action": [article.pk],
            "apply": "1",
            "publish_at": "2001-01-01 10:00",
        },
    )
    assert "Choose a time in the future" in past.content.decode()
    when = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    client.post(
        url,
        {"action": "schedule_selected", "_selected_action": [article.pk], "apply": "1", "publish_at": when},
    )
    article.refresh_from_db()
    assert article.is_scheduled()


def test_admin_filters_and_search_work(client, editor):
    make_article("Findable headline about ferries", status="review")
    client.force_login(editor)
    url = reverse("admin:newsroom_article_changelist")
    assert "Findable headline" in client.get(url, {"q": "ferries"}).content.decode()
    assert "Findable headline" in client.get(url, {"status__exact": "review"}).content.decode()
    assert "Findable headline" not in client.get(url, {"status__exact": "published"}).content.decode()
    assert "Stories in review" in client.get(reverse("admin:index")).content.decode()


def test_uploaded_picture_is_reencoded_without_metadata(client, editor):
    section = Section.objects.create(name="Photos")
    client.force_login(editor)
    upload = SimpleUploadedFile("p.jpg", picture_bytes(exif=True), content_type="image/jpeg")
    response = client.post(reverse("admin:newsroom_article_add"), {**article_form(section, client), "image": upload})
    assert response.status_code == 302
    article = Article.objects.get(headline="A story from the desk")
    with Image.open(article.image.path) as image:
        assert not image.getexif()
    assert b"SecretCameraMaker" not in open(article.image.path, "rb").read()


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"this is not a picture at all", "not a picture"),
        (b"GIF89a" + b"\x00" * 20, "not a picture"),
    ],
)
def test_bad_pictures_are_refused_with_a_message(client, editor, payload, message):
    section = Section.objects.create(name="Photos")
    client.force_login(editor)
    upload = SimpleUploadedFile("p.jpg", payload, content_type="image/jpeg")
    response = client.post(reverse("admin:newsroom_article_add"), {**article_form(section, client), "image": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_decompression_bomb_is_refused(client, editor):
    section = Section.objects.create(name="Photos")
    client.force_login(editor)
    bomb = picture_bytes(fmt="PNG", size=(10000, 10000))  # 100 megapixels of one colour, a tiny file
    upload = SimpleUploadedFile("bomb.png", bomb, content_type="image/png")
    response = client.post(reverse("admin:newsroom_article_add"), {**article_form(section, client), "image": upload})
    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()


def test_revisions_can_be_compared_and_restored(client, editor):
    section = Section.objects.create(name="Desk")
    client.force_login(editor)
    client.post(reverse("admin:newsroom_article_add"), article_form(section, client, body="First words"))
    article = Article.objects.get()
    change_url = reverse("admin:newsroom_article_change", args=[article.pk])
    client.post(change_url, article_form(section, client, change_url, slug=article.slug, body="Second words"))
    first, second = article.revisions.order_by("created_at", "id")
    url = reverse("admin:newsroom_article_revisions", args=[article.pk])
    page = client.get(url, {"a": first.pk, "b": second.pk}).content.decode()
    assert "First words" in page and "Second words" in page and "diff-removed" in page
    client.post(reverse("admin:newsroom_article_restore", args=[article.pk, first.pk]))
    article.refresh_from_db()
    assert article.body == "<p>First words</p>"


def test_non_staff_cannot_reach_the_back_office(client, db):
    user = make_user("reader")
    user.is_staff = False
    user.save()
    client.force_login(user)
    assert client.get(reverse("admin:newsroom_article_changelist")).status_code == 302
