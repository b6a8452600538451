"""Re-encoding drops every byte of metadata a picture arrives with, comments included."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from broadsheet.media.services import add_picture
from tests.submissions.helpers import form_data

pytestmark = pytest.mark.django_db
SECRET = b"call-me-on-0555-1234 from the newsroom laptop"


def jpeg_with_comment():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG", comment=SECRET)
    return out.getvalue()


def gif_with_comment():
    out = io.BytesIO()
    Image.new("P", (40, 30), 3).save(out, "GIF", comment=SECRET)
    return out.getvalue()


def png_with_icc_profile():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 120, 200, 128)).save(out, "PNG", icc_profile=profile)
    return out.getvalue(), profile


@pytest.mark.parametrize("make", [jpeg_with_comment, gif_with_comment], ids=["jpeg", "gif"])
def test_comments_do_not_survive_the_media_library(make):
    data = make()
    assert SECRET in data
    picture = add_picture(SimpleUploadedFile("p.bin", data))
    stored = picture.file.read()
    assert SECRET not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info


def test_icc_profile_does_not_survive():
    data, profile = png_with_icc_profile()
    stored = add_picture(SimpleUploadedFile("p.png", data)).file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert "icc_profile" not in image.info


def test_comments_do_not_survive_publish_your_article(client, settings):
    client.post(
        "/publish/", {**form_data(headline=""), "picture": SimpleUploadedFile("p.jpg", jpeg_with_comment())}
    )
    held = list((settings.MEDIA_ROOT / "submissions" / "held").iterdir())
    assert len(held) == 1 and SECRET not in held[0].read_bytes()
