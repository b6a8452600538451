"""Bounce and complaint reports stop sending; a message that is not one is refused; lists
come in from other providers and go out again with their consent."""

import io
import json

import pytest
from django.core.management import call_command

from broadsheet.newsletters import csvio
from broadsheet.newsletters.models import Bounce, Subscriber

from .helpers import confirmed

pytestmark = pytest.mark.django_db
SECRET = "a-long-webhook-secret"

DSN = b"""From: MAILER-DAEMON@mx.example.net
To: newsroom@localhost
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--XX
Content-Type: text/rfc822-headers

To: gone@example.org
X-Broadsheet-Newsletter: 999

--XX--
"""


@pytest.fixture
def webhook(client, settings):
    settings.BROADSHEET_NEWSLETTERS_WEBHOOK_SECRET = SECRET

    def post(body, content_type="message/rfc822", secret=SECRET):
        return client.post("/subscribe/bounces/", body, content_type=content_type, HTTP_X_BROADSHEET_WEBHOOK_SECRET=secret)

    return post


def test_a_hard_bounce_stops_all_sending_to_that_address(webhook):
    person = confirmed("gone@example.org")
    response = webhook(DSN)
    assert response.status_code == 200
    assert response.json() == {"recorded": [{"email": "gone@example.org", "kind": "hard"}]}
    person.refresh_from_db()
    assert person.status == "bounced"
    assert person.consents.last().action == "bounced"
    assert Subscriber.objects.receiving("daily").count() == 0


def test_a_complaint_from_a_provider_webhook_unsubscribes(webhook):
    person = confirmed("angry@example.org")
    response = webhook(json.dumps({"type": "complaint", "email": "angry@example.org"}), "application/json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == "complained"


def test_a_soft_bounce_is_recorded_and_sending_goes_on(webhook):
    person = confirmed("full@example.org")
    webhook(json.dumps({"type": "bounce", "bounce_type": "soft", "email": "full@example.org"}), "application/json")
    person.refresh_from_db()
    assert person.status == "active" and Bounce.objects.get().kind == "soft"


def test_a_message_that_is_not_a_bounce_is_refused_clearly(webhook):
    person = confirmed("kept@example.org")
    plain = b"From: someone@example.net\nTo: newsroom@localhost\nSubject: Re: your newsletter\n\nfinal-recipient: kept@example.org\n"
    response = webhook(plain)
    assert response.status_code == 400 and "not a bounce" in response.json()["error"]
    wrong = webhook(json.dumps({"type": "delivered", "email": "kept@example.org"}), "application/json")
    assert wrong.status_code == 400 and "Unknown event type" in wrong.json()["error"]
    person.refresh_from_db()
    assert person.status == "active" and not Bounce.objects.exists()


def test_the_webhook_needs_its_secret(webhook):
    confirmed("gone@example.org")
    assert webhook(DSN, secret="guess").status_code == 403
    assert Subscriber.objects.get().status == "active"


def test_a_bounce_saved_from_a_mailbox_is_handled_by_the_command(tmp_path, capsys):
    confirmed("gone@example.org")
    path = tmp_path / "bounce.eml"
    path.write_bytes(DSN)
    call_command("newsletters", "bounce", str(path))
    assert "hard: gone@example.org" in capsys.readouterr().out
    assert Subscriber.objects.get().status == "bounced"


def test_a_mailchimp_export_comes_in_with_consent_and_unsubscribed_rows_stay_stopped():
    exported = io.StringIO(
        "Email Address,First Name,OPTIN_TIME,CONFIRM_TIME,status\n"
        "lee@example.org,Lee,2025-01-02 10:00:00,2025-01-02 10:05:00,\n"
        "left@example.org,Left,2024-05-01 09:00:00,,unsubscribed\n"
        "broken-address,Nope,,,\n"
    )
    report = csvio.import_rows(exported, source="mailchimp")
    assert report["added"] == 2 and report["errors"] == [(4, "broken-address is not an email address.")]
    lee = Subscriber.objects.get(email="lee@example.org")
    assert lee.status == "active" and lee.daily and lee.created_at.year == 2025
    assert lee.consents.get().source == "import: mailchimp"
    assert Subscriber.objects.get(email="left@example.org").status == "unsubscribed"
    again = csvio.import_rows(io.StringIO("email,status\nleft@example.org,\n"), source="again")
    assert again["updated"] == 1 and Subscriber.objects.get(email="left@example.org").status == "unsubscribed", (
        "an import never resubscribes someone who left"
    )


def test_export_writes_every_subscriber_with_their_consent(tmp_path):
    confirmed("mo@example.org")
    path = tmp_path / "out.csv"
    call_command("newsletters", "export", str(path))
    lines = path.read_text().splitlines()
    assert lines[0].startswith("email,status,daily,weekly,breaking,sections,subscribed_at")
    assert lines[1].startswith("mo@example.org,active,1,0,0,")
    reimported = csvio.import_rows(io.StringIO(path.read_text()), source="round trip")
    assert reimported == {"added": 0, "updated": 1, "errors": []}
