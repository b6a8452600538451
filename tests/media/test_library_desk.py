"""The media library on the desk: uploads, renditions, search and filters, editing, srcset in bodies."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from broadsheet.media.models import Picture
from broadsheet.media.services import add_picture
from tests.conftest import make_article, make_user, picture_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_user("ed", role="Editor"))
    return client


def big_picture(size=(2000, 1200), comment=b"SECRET-COMMENT"):
    image = Image.new("RGB", size, (30, 90, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, comment=comment)
    return out.getvalue()


def upload(client, data, name="harbour.jpg"):
    return client.post(reverse("desk:media:upload"), {"file": SimpleUploadedFile(name, data, "image/jpeg")})


def test_upload_keeps_a_clean_original_and_makes_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    data = big_picture()
    assert b"SECRET-COMMENT" in data
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor_client, data)
    assert response.status_code == 201, response.content
    picture = Picture.objects.get()
    original = picture.file.read()
    assert b"SECRET-COMMENT" not in original  # JPEG comment segments go too
    formats = {r["format"] for r in picture.renditions}
    widths = sorted({r["width"] for r in picture.renditions})
    assert "webp" in formats and widths == [320, 640, 960, 1280, 1920]
    with Image.open(
        picture.file.path.rsplit("/pictures/", 1)[0] + "/" + picture.renditions[0]["name"]
    ) as small:
        assert small.format in {"WEBP", "AVIF"}


def test_not_a_picture_and_decompression_bombs_are_refused(editor_client):
    response = upload(editor_client, b"%PDF-1.4 not a picture", name="doc.jpg")
    assert response.status_code == 400 and "not a picture" in response.json()["error"]
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")
    response = upload(editor_client, bomb.getvalue(), name="bomb.png")
    assert response.status_code == 400 and "pixels" in response.json()["error"]
    assert not Picture.objects.exists()


def test_library_lists_newest_first_with_search_and_filters(editor_client):
    ana = make_user("ana")
    add_picture(SimpleUploadedFile("a.jpg", picture_bytes()), caption="Harbour at dusk", uploaded_by=ana)
    add_picture(SimpleUploadedFile("b.jpg", picture_bytes()), caption="Council meeting")
    url = reverse("desk:media:pictures")
    everything = editor_client.get(url).json()
    assert [p["caption"] for p in everything["results"]] == ["Council meeting", "Harbour at dusk"]
    assert [p["caption"] for p in editor_client.get(url, {"q": "harb"}).json()["results"]] == [
        "Harbour at dusk"
    ]
    assert len(editor_client.get(url, {"uploader": ana.pk}).json()["results"]) == 1
    assert editor_client.get(url, {"month": "1999-01"}).json()["results"] == []
    assert editor_client.get(url, {"page": "x"}).status_code == 400


def test_library_page_is_for_staff(client, editor_client):
    assert editor_client.get(reverse("desk:media:library")).status_code == 200
    client.logout()
    assert client.get(reverse("desk:media:library")).status_code == 302


def test_editing_details_and_a_focal_point_inside_the_picture(editor_client):
    picture = add_picture(SimpleUploadedFile("a.jpg", picture_bytes()))
    url = reverse("desk:media:edit", args=[picture.pk])
    good = {
        "alt": "Cranes on the quay",
        "caption": "Back to work",
        "credit": "Ana",
        "focal_x": 0.25,
        "focal_y": 1,
    }
    assert editor_client.post(url, json.dumps(good), content_type="application/json").status_code == 200
    picture.refresh_from_db()
    assert (picture.alt_text, picture.focal_x, picture.focal_y) == ("Cranes on the quay", 0.25, 1.0)
    bad = {**good, "focal_x": 1.5, "focal_y": "left"}
    response = editor_client.post(url, json.dumps(bad), content_type="application/json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"focal_x", "focal_y"}
    picture.refresh_from_db()
    assert picture.focal_x == 0.25


def test_pictures_in_a_body_are_shown_with_srcset_and_size(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        picture = add_picture(SimpleUploadedFile("a.jpg", big_picture((1400, 800))), alt_text="Quay")
    picture.refresh_from_db()
    body = (
        f'<figure class="picture"><img src="/old/path.jpg" alt="Quay" data-picture-id="{picture.pk}">'
        '<figcaption>The quay <small class="credit">Ana</small></figcaption></figure>'
    )
    article = make_article("Pictured", body=body)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'type="image/webp"' in page and "320w" in page and "sizes=" in page
    assert f'width="{picture.width}" height="{picture.height}"' in page
    assert picture.file.url in page and "/old/path.jpg" not in page


def test_renditions_made_later_reach_the_stories_showing_the_picture():
    from broadsheet.media import services

    picture = add_picture(SimpleUploadedFile("a.jpg", big_picture((900, 600))))
    Picture.objects.filter(pk=picture.pk).update(renditions=[])
    article = make_article(
        "Pictured",
        body=f'<figure class="picture"><img src="/x.jpg" alt="" data-picture-id="{picture.pk}"></figure>',
    )
    article.refresh_from_db()
    assert "srcset" not in article.body_html
    picture.refresh_from_db()
    services.make_renditions(picture)
    article.refresh_from_db()
    assert "640w" in article.body_html
