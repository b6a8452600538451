"""Small builders for submission tests."""

import time

from django.core.files.uploadedfile import SimpleUploadedFile

from broadsheet.core.antispam import make_stamp
from tests.conftest import make_section, picture_bytes

BODY = (
    "The ferry to Kestrel Island stopped running in March, and the island's forty families have "
    "since relied on a single fishing boat for groceries, post and the weekly doctor's visit. "
    "Residents say the council promised a replacement vessel by summer, but no contract has been signed."
)


def form_data(section=None, **overrides):
    section = section if section is not None else make_section("News")
    data = {
        "headline": "Kestrel Island waits for its ferry",
        "summary": "Forty families depend on one fishing boat.",
        "body": BODY,
        "section": str(getattr(section, "pk", section)),
        "tags": "ferries, islands",
        "image_caption": "The empty quay",
        "image_credit": "Mara Quill",
        "original_source": "",
        "original_url": "",
        "contributor_name": "Mara Quill",
        "contributor_email": "mara.quill@example.net",
        "contributor_bio": "Mara writes about island life.",
        "rights_confirmed": "on",
        "form_stamp": make_stamp(time.time() - 10),
        "form_key": f"key-{time.time_ns()}-abcdefghij",
        "send": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def picture(name="quay.jpg", fmt="JPEG", **kw):
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, picture_bytes(fmt, **kw), content_type=content_type)


def send(client, **overrides):
    return client.post("/publish/", form_data(**overrides))
