"""/favicon.ico answers with an icon (browsers and bots ask for it whatever the page links)."""

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "public" in response["Cache-Control"]
    with Image.open(io.BytesIO(response.content)) as icon:
        assert icon.format == "ICO"
