"""Pictures held between a refused send and the next one cannot fill the disk: a form refused as
automated keeps none, each client and all clients together are bounded, and the task worker
removes the ones nobody came back for."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from broadsheet.submissions.models import Submission
from tests.core.test_worker_recovery import worker_env
from tests.submissions.helpers import form_data, picture

pytestmark = pytest.mark.django_db


def held_files(settings):
    folder = Path(settings.MEDIA_ROOT) / "submissions" / "held"
    return sorted(folder.iterdir()) if folder.exists() else []


def noise_jpeg(size=(600, 400)):
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "JPEG", quality=95)
    return SimpleUploadedFile("noise.jpg", out.getvalue(), content_type="image/jpeg")


def test_picture_with_nothing_else_keeps_no_file(client, settings):
    for _ in range(4):
        response = client.post("/publish/", {"picture": noise_jpeg()})
        assert response.status_code == 200
    assert held_files(settings) == []


def test_form_caught_by_the_honeypot_keeps_no_file(client, settings):
    client.post("/publish/", {**form_data(website_url_confirm="http://spam.example"), "picture": picture()})
    assert held_files(settings) == [] and not Submission.objects.exists()


def test_form_with_a_mistake_keeps_the_picture_for_the_next_send(
    client, settings, django_capture_on_commit_callbacks
):
    page = client.post("/publish/", {**form_data(headline=""), "picture": picture()}).content.decode()
    assert len(held_files(settings)) == 1
    held = page.split('name="held_picture" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/publish/", form_data(held_picture=held)).status_code == 302
    assert Submission.objects.get().image
    assert held_files(settings) == []  # moved into the submission


def test_one_client_cannot_hold_more_than_its_share(client, settings):
    settings.BROADSHEET_SUBMISSIONS_HELD_PER_CLIENT = [3, 3600]
    for _ in range(6):
        response = client.post("/publish/", {**form_data(headline=""), "picture": noise_jpeg()})
    assert len(held_files(settings)) == 3
    assert "Attach the picture again when you send" in response.content.decode()
    # Another address still gets its picture kept.
    client.post("/publish/", {**form_data(headline=""), "picture": picture()}, REMOTE_ADDR="192.0.2.44")
    assert len(held_files(settings)) == 4


def test_all_held_pictures_together_stay_under_the_total(client, settings):
    settings.BROADSHEET_SUBMISSIONS_HELD_TOTAL_BYTES = 600_000
    for n in range(8):
        client.post(
            "/publish/", {**form_data(headline=""), "picture": noise_jpeg()}, REMOTE_ADDR=f"192.0.2.{n}"
        )
    assert 0 < sum(path.stat().st_size for path in held_files(settings)) <= 600_000


def test_send_refused_by_the_rate_limit_keeps_no_picture(client, settings):
    settings.BROADSHEET_SUBMISSIONS_IP_RATE = [0, 3600]
    response = client.post("/publish/", {**form_data(), "picture": picture()})
    assert response.status_code == 429
    assert held_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_task_worker_removes_held_pictures_nobody_came_back_for(tmp_path):
    media = tmp_path / "media"
    held = media / "submissions" / "held"
    held.mkdir(parents=True)
    stale, fresh = held / "stale.jpg", held / "fresh.jpg"
    stale.write_bytes(b"x" * 10)
    fresh.write_bytes(b"y" * 10)
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    env = {**worker_env(tmp_path), "BROADSHEET_MEDIA": str(media)}
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "worker", "--batch"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and fresh.exists()
