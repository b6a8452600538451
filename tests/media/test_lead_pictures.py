"""A story's lead picture and listing thumbnails are shown from the library: renditions in
srcset/sizes, the picture's own width and height, so pages never jump."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from broadsheet.media import services
from broadsheet.media.models import Picture
from broadsheet.media.services import add_picture, set_lead_picture
from tests.conftest import make_article, make_section

from .test_library_desk import big_picture

pytestmark = pytest.mark.django_db


def lead_story(capture, headline="Cranes over the quay", size=(1600, 900), **kw):
    with capture(execute=True):
        picture = add_picture(
            SimpleUploadedFile("quay.jpg", big_picture(size)), alt_text="Two cranes & a ferry", **kw
        )
    picture.refresh_from_db()
    article = make_article(headline, section=make_section("Harbour"))
    with capture(execute=True):
        set_lead_picture(article, picture)
    return article, picture


def lead_figure(html):
    return re.search(r'<figure class="lead-image">(.*?)</figure>', html, re.S).group(1)


def test_the_story_page_shows_the_lead_picture_with_srcset_sizes_and_its_size(
    client, django_capture_on_commit_callbacks
):
    article, picture = lead_story(django_capture_on_commit_callbacks)
    figure = lead_figure(client.get(article.get_absolute_url()).content.decode())
    assert '<source type="image/webp" srcset="' in figure
    for width in (320, 640, 960, 1280):
        assert f"/renditions/{picture.pk}/{width}.webp {width}w" in figure
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in figure
    assert f'width="{picture.width}" height="{picture.height}"' in figure and 'width="1200"' not in figure
    assert 'alt="Two cranes &amp; a ferry"' in figure and 'loading="eager"' in figure
    assert f'src="{picture.file.url}"' in figure


def test_listings_show_thumbnails_with_srcset_and_no_alt_text(client, django_capture_on_commit_callbacks):
    article, picture = lead_story(django_capture_on_commit_callbacks)
    make_article("A later story without a picture", publish_at=timezone.now())  # the home page's lead
    html = client.get("/").content.decode()
    teasers = re.findall(r'<article class="teaser[^"]*">(.*?)</article>', html, re.S)
    (teaser,) = [t for t in teasers if "Cranes over the quay" in t]
    assert f"/renditions/{picture.pk}/640.webp 640w" in teaser
    assert 'sizes="(min-width: 48rem) 22rem, 100vw"' in teaser and 'loading="lazy"' in teaser
    assert f'width="{picture.width}" height="{picture.height}" ' in teaser
    assert 'alt=""' in teaser and 'width="640" height="360"' not in teaser


def test_a_lead_picture_before_its_renditions_are_made_is_shown_at_its_own_size_then_with_them(
    client, django_capture_on_commit_callbacks
):
    article, picture = lead_story(django_capture_on_commit_callbacks)
    Picture.objects.filter(pk=picture.pk).update(renditions=[])
    client.get("/")  # cached pages and fragments...
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    figure = lead_figure(client.get(article.get_absolute_url()).content.decode())
    assert "srcset" not in figure and f'width="{picture.width}"' in figure
    picture.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.make_renditions(picture)  # ...are purged when the worker has made them
    assert "srcset" in lead_figure(client.get(article.get_absolute_url()).content.decode())


def test_a_lead_picture_outside_the_library_keeps_the_plain_picture(client):
    from tests.conftest import picture_bytes

    article = make_article("Old picture")
    article.image.save("old.jpg", SimpleUploadedFile("old.jpg", picture_bytes()), save=True)
    figure = lead_figure(client.get(article.get_absolute_url()).content.decode())
    assert f'src="{article.image.url}"' in figure and "srcset" not in figure
