"""`broadsheet backup` / `broadsheet restore`: a round trip gives back every row and every file.

The comparison is generic: every row of every model of the project's apps (and the users),
serialised, plus a hash of every media file. These tests need real commits (the backup reads the
database through its own connection), so they run with transaction=True. serialized_rollback is
not used: in a mixed suite it collides with content types that an earlier flush re-created.
"""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from broadsheet.core import backups
from broadsheet.newsroom.models import Article, Correction
from tests.conftest import make_article, make_user, picture_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def project_models():
    for config in apps.get_app_configs():
        if config.name.startswith("broadsheet.") or config.label == "auth":
            yield from config.get_models()


def snapshot():
    """Every row of every project model, comparable with ==, and every media file's hash."""
    rows = {
        model._meta.label: serializers.serialize("python", model._base_manager.order_by("pk"))
        for model in project_models()
    }
    media = Path(settings.MEDIA_ROOT)
    files = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return rows, files


def make_newsroom():
    from django.contrib.auth.models import Group

    for role in ("Editor", "Writer"):  # an earlier transactional test's flush may have removed them
        Group.objects.get_or_create(name=role)
    call_command("seed", articles=12, seed=7, no_progress=True, stdout=io.StringIO())
    lead = make_article("Night buses return to the valley route", tags=["transport"], authors=["Ana Ruiz"])
    lead.image.save("lead.jpg", ContentFile(picture_bytes()), save=True)
    Correction.objects.create(article=lead, text="An earlier version gave the wrong route number.")
    make_user("deskchief")
    from broadsheet.accounts.services import begin_attempt, finish_attempt
    from broadsheet.comments.services import approve, post_comment
    from broadsheet.submissions.services import create_submission

    finish_attempt(begin_attempt(username="deskchief", ip_address="192.0.2.4")[0], succeeded=False)
    first = post_comment(
        article=lead, body="The new timetable suits night-shift workers.", name="Mo", email="mo@example.org"
    )
    approve(first)
    post_comment(
        article=lead, body="Agreed, at last.", name="Lee", email="lee@example.org", parent_id=first.pk
    )
    create_submission(
        data={
            "headline": "Allotment society marks its centenary",
            "summary": "A hundred years of shared plots.",
            "section": lead.section,
            "body": "Members gathered on Saturday to plant a commemorative pear tree.",
            "contributor_name": "Sam Okafor",
            "contributor_email": "sam@example.org",
        }
    )
    return lead


def test_backup_then_restore_gives_back_every_row_and_file(tmp_path):
    lead = make_newsroom()
    before = snapshot()
    for label in ["newsroom.Article", "comments.Comment", "submissions.Submission", "accounts.LoginAttempt"]:
        assert before[0][label], f"the fixture should have {label} rows"
    assert before[1], "the fixture should have media files"

    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    archive = next(tmp_path.glob("broadsheet-backup-*.tar.gz"))
    assert "Backup written" in out.getvalue()

    # Lose and change things after the backup.
    Article.objects.filter(pk__in=list(Article.objects.values_list("pk", flat=True)[:5])).delete()
    Article.objects.filter(pk=lead.pk).update(headline="Changed after the backup")
    apps.get_model("submissions", "Submission").objects.all().delete()
    make_article("A story written after the backup")
    Path(lead.image.path).unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")
    assert snapshot() != before

    call_command("restore", str(archive), interactive=False, safety_backup=False, stdout=io.StringIO())

    after = snapshot()
    for label in before[0]:
        assert after[0][label] == before[0][label], label
    assert after[1] == before[1]
    assert Article.objects.get(pk=lead.pk).headline == "Night buses return to the valley route"


def test_backup_goes_to_the_data_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.setattr(backups, "default_folder", lambda: tmp_path / "backups")
    make_article("Market hall reopens")
    call_command("backup", stdout=io.StringIO())
    [archive] = backups.list_backups(tmp_path / "backups")
    manifest = backups.read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert "newsroom.0001_initial" in manifest["migrations"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert backups.MANIFEST in names and manifest["database"]["file"] in names


def test_restore_keeps_a_backup_of_the_current_state_first(monkeypatch, tmp_path):
    monkeypatch.setattr(backups, "default_folder", lambda: tmp_path / "safety")
    make_article("Bridge repairs finish early")
    archive = backups.create_backup(tmp_path / "chosen.tar.gz")
    make_article("Written after the backup")
    out = io.StringIO()
    call_command("restore", str(archive), interactive=False, stdout=out)
    assert "Current state kept first" in out.getvalue()
    [safety] = backups.list_backups(tmp_path / "safety")
    assert safety.exists()
    assert not Article.objects.filter(headline="Written after the backup").exists()


def test_restore_asks_first_and_changes_nothing_when_told_no(monkeypatch, tmp_path):
    archive = backups.create_backup(tmp_path)
    make_article("Still here after a cancelled restore")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), safety_backup=False, stdout=io.StringIO())
    assert Article.objects.filter(headline="Still here after a cancelled restore").exists()


@pytest.mark.parametrize("content", [b"", b"not a tar at all", b"\x1f\x8b\x08\x00broken gzip"])
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, content):
    make_article("Untouched by a bad restore")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match="not a Broadsheet backup"):
        call_command("restore", str(bad), interactive=False, safety_backup=False)
    assert Article.objects.filter(headline="Untouched by a bad restore").exists()


def test_restore_refuses_an_archive_that_writes_outside_its_folder(tmp_path):
    good = backups.create_backup(tmp_path / "good.tar.gz")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(good) as source, tarfile.open(evil, "w:gz") as target:
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member) if member.isfile() else None)
        payload = b"owned"
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = len(payload)
        target.addfile(info, io.BytesIO(payload))
    make_article("Untouched by an evil archive")
    with pytest.raises(CommandError, match="could not be unpacked safely"):
        call_command("restore", str(evil), interactive=False, safety_backup=False)
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert Article.objects.filter(headline="Untouched by an evil archive").exists()
