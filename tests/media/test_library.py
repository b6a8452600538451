"""The media library's way in: pictures verified, re-encoded and updated in place by origin."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.media.models import Picture
from broadsheet.media.services import add_picture, set_lead_picture
from tests.conftest import make_article, picture_bytes

pytestmark = pytest.mark.django_db


def test_picture_is_reencoded_without_metadata():
    upload = SimpleUploadedFile("holiday.jpg", picture_bytes(exif=True), content_type="image/jpeg")
    picture = add_picture(upload, alt_text="A red square", credit="Staff")
    assert picture.width == 64 and picture.height == 48
    data = picture.file.read()
    assert b"SecretCameraMaker" not in data


def test_same_origin_updates_instead_of_adding():
    first = add_picture(SimpleUploadedFile("a.png", picture_bytes("PNG")), origin="wordpress:attachment:7")
    again = add_picture(
        SimpleUploadedFile("a.png", picture_bytes("PNG")), origin="wordpress:attachment:7", caption="New"
    )
    assert first.pk == again.pk and Picture.objects.count() == 1
    assert again.caption == "New"


def test_not_a_picture_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="not a picture"):
        add_picture(SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>"))
    assert not Picture.objects.exists()


def test_lead_picture_carries_caption_and_credit():
    article = make_article()
    picture = add_picture(SimpleUploadedFile("a.jpg", picture_bytes()), caption="Harbour", credit="Ana")
    set_lead_picture(article, picture)
    article.refresh_from_db()
    assert article.image.name == picture.file.name and article.image_credit == "Ana"
