"""The data folder, the SQLite database (sessions, two-factor keys, commenters' emails) and the
uploads are created readable by their owner only, whatever the umask."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.media.services import add_picture
from tests.conftest import picture_bytes


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_site_creates_its_data_owner_only(tmp_path):
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(BROADSHEET_DATA=str(data))
    code = "from django.db import connection; connection.ensure_connection(); connection.cursor().execute('CREATE TABLE t (x)')"
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    assert mode(data / "media") == 0o700
    database = data / "broadsheet.sqlite3"
    assert database.stat().st_size > 0 and mode(database) == 0o600
    for extra in ("broadsheet.sqlite3-wal", "broadsheet.sqlite3-shm"):
        if (data / extra).exists():
            assert mode(data / extra) == 0o600, extra


@pytest.mark.django_db
def test_uploaded_pictures_are_owner_only(settings):
    picture = add_picture(SimpleUploadedFile("a.jpg", picture_bytes()))
    path = settings.MEDIA_ROOT / picture.file.name
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
