"""A request body larger than the limit is refused with 413 before the server reads it."""

import http.client
import time
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_300_mb_upload_is_refused_before_it_is_read(live_server):
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("POST", "/publish/")
    connection.putheader("Content-Type", "multipart/form-data; boundary=xyz")
    connection.putheader("Content-Length", str(300 * 1024 * 1024))
    connection.endheaders()
    sent = 0
    started = time.monotonic()
    # Send only the first megabyte: the answer must come without the other 299.
    while sent < 1024 * 1024:
        connection.send(b"--xyz\r\n" + b"x" * 65536)
        sent += 65536 + 7
    response = connection.getresponse()
    assert response.status == 413
    assert "too large" in response.read().decode().lower()
    assert time.monotonic() - started < 30
    connection.close()


def test_an_ordinary_form_still_goes_through(client):
    assert client.post("/publish/", {"headline": "x"}).status_code == 200


def test_the_limit_is_a_setting(client, settings):
    settings.BROADSHEET_MAX_REQUEST_BYTES = 1000
    assert client.post("/publish/", {"body": "x" * 2000}).status_code == 413
