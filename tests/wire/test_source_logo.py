"""A source's logo: uploaded in the back office into the media library (verified and re-encoded
like every upload) and shown small, with its size, beside the outlet's name."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.media.models import Picture
from broadsheet.media.services import add_picture
from broadsheet.newsroom.models import Source
from tests.conftest import make_article, picture_bytes

pytestmark = pytest.mark.django_db


def source_form(source, **changes):
    data = {
        "name": source.name,
        "slug": source.slug,
        "homepage": source.homepage,
        "country": source.country,
        "language": source.language,
        "logo": source.logo_id or "",
    }
    data.update(changes)
    return data


def test_an_uploaded_logo_goes_into_the_library_clean_and_shows_beside_the_source(admin_client):
    source = Source.objects.create(name="Meridian Wire", homepage="https://meridian.example/")
    story = make_article("Ferry timetable changes", source=source, source_url="https://meridian.example/ferry")
    upload = SimpleUploadedFile("meridian.jpg", picture_bytes(size=(300, 100), exif=True), "image/jpeg")

    response = admin_client.post(
        f"/admin/newsroom/source/{source.pk}/change/", source_form(source, logo_upload=upload)
    )

    assert response.status_code == 302
    source.refresh_from_db()
    picture = Picture.objects.get()
    assert source.logo == picture and picture.width == 300 and picture.height == 100
    assert b"SecretCameraMaker" not in picture.file.read()  # re-encoded, no metadata kept

    logo = re.escape(picture.file.url)
    source_page = admin_client.get(source.get_absolute_url()).content.decode()
    assert re.search(rf'<h1><img class="source-logo" src="{logo}" alt="" width="72" height="24"', source_page)
    story_page = admin_client.get(story.get_absolute_url()).content.decode()
    line = re.search(r'<p class="source-line">(.*?)</p>', story_page, re.S).group(1)
    assert re.search(rf'<img class="source-logo" src="{logo}" alt="" width="72" height="24"[^>]*> Source:', line)
    assert picture.file.url.startswith("/")  # served from our own host


def test_a_file_that_is_not_a_picture_is_refused_beside_the_field_and_nothing_is_stored(admin_client):
    source = Source.objects.create(name="Harbour Herald")
    fake = SimpleUploadedFile("logo.png", b"<svg onload='alert(1)'></svg>", "image/png")

    response = admin_client.post(
        f"/admin/newsroom/source/{source.pk}/change/",
        source_form(source, name="Harbour Herald Daily", logo_upload=fake),
    )

    page = response.content.decode()
    assert response.status_code == 200 and "not a picture we can read" in page
    assert 'value="Harbour Herald Daily"' in page  # what the editor typed is kept
    source.refresh_from_db()
    assert source.name == "Harbour Herald" and source.logo is None
    assert not Picture.objects.exists()


def test_a_library_picture_can_be_chosen_as_the_logo_and_is_never_shown_larger_than_it_is(admin_client):
    picture = add_picture(SimpleUploadedFile("tiny.png", picture_bytes("PNG", size=(16, 12)), "image/png"))
    source = Source.objects.create(name="Valley Courier")
    response = admin_client.post(
        f"/admin/newsroom/source/{source.pk}/change/", source_form(source, logo=picture.pk)
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.logo == picture and source.logo_size() == (16, 12)
    page = admin_client.get(f"/admin/newsroom/source/{source.pk}/change/").content.decode()
    assert f'src="{picture.file.url}" alt="" width="16" height="12"' in page


def test_without_a_logo_the_source_line_is_text_only(client):
    source = Source.objects.create(name="Copper Post")
    story = make_article("Copper prices", source=source)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Source:" in page and "source-logo" not in page
