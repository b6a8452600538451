"""Our own export carries pictures: export (with --media) -> import into an empty site -> export
gives the same lines, and the pictures are in the new library with their words."""

import io
import json
import shutil

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from broadsheet.media.models import Picture
from broadsheet.media.services import add_picture, set_lead_picture
from broadsheet.newsroom.models import Article, Author, Revision, Section, Source, Tag
from tests.conftest import make_article, picture_bytes

pytestmark = pytest.mark.django_db


def export(tmp_path, name, media=None):
    path = tmp_path / name
    out, err = io.StringIO(), io.StringIO()
    args = ["--media", str(media)] if media else []
    call_command("export-articles", str(path), *args, stdout=out, stderr=err)
    return path.read_text(encoding="utf-8"), out.getvalue() + err.getvalue()


def import_(path, media=None):
    out = io.StringIO()
    args = ["--media", str(media)] if media else []
    call_command("import-articles", str(path), "--no-progress", *args, stdout=out, stderr=out)
    return out.getvalue()


def empty_the_site():
    Article.objects.all().delete()
    Revision.objects.all().delete()
    Picture.objects.all().delete()
    for model in (Section, Source, Tag, Author):
        model.objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def story_with_pictures():
    lead = add_picture(
        SimpleUploadedFile("quay.jpg", picture_bytes(size=(80, 60))),
        alt_text="The quay at dawn", caption="Boats leave early.", credit="Lena Ortiz", title="Quay",
    )  # fmt: skip
    inline = add_picture(
        SimpleUploadedFile("gulls.png", picture_bytes("PNG", size=(40, 30))),
        alt_text="Gulls over the pier", caption="Gulls wait for the catch.", credit="Sam Reyes",
        origin="wordpress:attachment:77",
    )  # fmt: skip
    body = (
        "<p>The harbour opened at six.</p>"
        f'<figure class="picture"><img src="{inline.file.url}" alt="Gulls over the pier" width="40" height="30" '
        f'data-picture-id="{inline.pk}"><figcaption>Gulls wait for the catch. <small class="credit">Sam Reyes'
        "</small></figcaption></figure><p>Then the rain came.</p>"
    )
    article = make_article("Harbour opens at dawn", body=body, tags=["harbour"], authors=["Lena Ortiz"])
    set_lead_picture(article, lead)
    make_article("A story without pictures")
    return article


def test_export_carries_pictures_and_writes_their_files(tmp_path, story_with_pictures):
    media = tmp_path / "media-out"
    text, said = export(tmp_path, "out.jsonl", media)
    records = {json.loads(line)["title"]: json.loads(line) for line in text.splitlines()}
    record = records["Harbour opens at dawn"]
    assert record["lead_picture"]["alt"] == "The quay at dawn" and record["lead_picture"]["credit"] == "Lena Ortiz"
    by_key = {p["key"]: p for p in record["pictures"]}
    assert set(by_key) == {record["lead_picture"]["key"], "wordpress:attachment:77"}
    gulls = by_key["wordpress:attachment:77"]
    assert (gulls["alt"], gulls["caption"], gulls["credit"]) == ("Gulls over the pier", "Gulls wait for the catch.", "Sam Reyes")
    assert 'data-picture-key="wordpress:attachment:77"' in record["body"] and "data-picture-id" not in record["body"]
    for entry in record["pictures"]:
        with Image.open(media / entry["file"]) as image:
            assert image.size == (entry["width"], entry["height"])
    assert records["A story without pictures"]["pictures"] == [] and records["A story without pictures"]["lead_picture"] is None
    assert "2 pictures written" in said


def test_round_trip_into_an_empty_site_gives_the_same_export_with_pictures(tmp_path, story_with_pictures, client):
    media = tmp_path / "media-out"
    first, _ = export(tmp_path, "first.jsonl", media)
    empty_the_site()
    said = import_(tmp_path / "first.jsonl", media)
    assert "Imported 2 new" in said and "imported;" not in said
    article = Article.objects.get(headline="Harbour opens at dawn")
    gulls = Picture.objects.get(origin="wordpress:attachment:77")
    assert (gulls.alt_text, gulls.credit, gulls.width, gulls.height) == ("Gulls over the pier", "Sam Reyes", 40, 30)
    assert f'data-picture-id="{gulls.pk}"' in article.body and gulls.file.url in article.body
    lead = Picture.objects.get(file=article.image.name)
    assert (article.image_alt, article.image_credit, lead.caption) == ("The quay at dawn", "Lena Ortiz", "Boats leave early.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert gulls.file.url in page and article.image.url in page
    second, _ = export(tmp_path, "second.jsonl", tmp_path / "media-again")
    assert second == first
    for entry in json.loads(second.splitlines()[0 if "Harbour" in second.splitlines()[0] else 1])["pictures"]:
        with Image.open(tmp_path / "media-again" / entry["file"]) as image:
            assert image.size == (entry["width"], entry["height"])
    import_(tmp_path / "first.jsonl", media)  # again: nothing doubles
    assert Picture.objects.count() == 2 and Article.objects.count() == 2


def test_import_into_the_same_site_reuses_its_pictures(tmp_path, story_with_pictures):
    media = tmp_path / "media-out"
    export(tmp_path, "out.jsonl", media)
    Article.objects.all().delete()
    import_(tmp_path / "out.jsonl", media)
    assert Picture.objects.count() == 2  # found by origin or by the very same file


def test_a_missing_media_folder_or_file_is_reported_and_the_story_still_imports(tmp_path, story_with_pictures):
    media = tmp_path / "media-out"
    export(tmp_path, "out.jsonl", media)
    empty_the_site()
    said = import_(tmp_path / "out.jsonl")  # no --media
    assert "give the export's media folder" in said
    article = Article.objects.get(headline="Harbour opens at dawn")
    assert "Then the rain came." in article.body and "data-picture" not in article.body and not article.image
    for entry in (media / "pictures").iterdir():
        entry.write_bytes(b"not a picture at all")
    said = import_(tmp_path / "out.jsonl", media)
    assert "is not a picture we accept" in said and Picture.objects.count() == 0


def test_media_paths_cannot_leave_the_folder(tmp_path):
    line = {
        "external_id": "x-1", "title": "Escape", "body": '<p>Hi</p><img data-picture-key="k" src="../../secret.jpg">',
        "section": "News", "published": "2025-01-01T08:00:00+00:00", "lead_picture": {"key": "k"},
        "pictures": [{"key": "k", "file": "../../secret.jpg"}],
    }  # fmt: skip
    (tmp_path / "secret.jpg").write_bytes(picture_bytes())
    (tmp_path / "media").mkdir()
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n")
    said = import_(path, tmp_path / "media")
    assert "is not in the media folder" in said and Picture.objects.count() == 0
    assert Article.objects.get(external_id="x-1").body == "<p>Hi</p>"
