"""Newsletters go out through a real SMTP server, once per reader, whatever happens."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.newsletters import sending
from broadsheet.newsletters.models import Delivery, Newsletter, Subscriber
from tests.conftest import make_article, make_section

from .helpers import confirmed

pytestmark = pytest.mark.django_db


def newsletter_with(*articles, **fields):
    letter = Newsletter.objects.create(subject=fields.pop("subject", "Morning briefing"), **fields)
    sending.set_stories(letter, articles)
    return letter


def test_a_reader_receives_the_digest_in_html_and_text_with_one_click_unsubscribe(smtp, django_capture_on_commit_callbacks):
    confirmed("ana@example.org")
    Subscriber.objects.create(email="pending@example.org", daily=True)  # never confirmed
    make_article("Harbour reopens after the storm", summary="Ships are back.")
    with django_capture_on_commit_callbacks(execute=True):
        letter = sending.build_digest("daily")
    assert letter is not None
    assert [m["To"] for m in smtp.messages] == ["ana@example.org"]
    message = smtp.messages[0]
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Harbour reopens after the storm" in html and "Harbour reopens after the storm" in text
    assert "<table" in html and 'style="' in html and "prefers-color-scheme: dark" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http") and "/subscribe/unsubscribe/" in message["List-Unsubscribe"]
    assert "/subscribe/preferences/" in text
    letter.refresh_from_db()
    assert letter.status == "sent"
    assert sending.counts(letter)["sent"] == 1
    assert sending.build_digest("daily") is None, "one daily digest per day"


def test_stories_go_out_in_the_order_the_editor_chose_after_the_intro(smtp):
    first, second = make_article("Second on the page"), make_article("First on the page")
    letter = newsletter_with(second, first, intro="Good morning.\n\nHere is what matters.")
    sending.send_test(letter, to="editor@example.org")
    html = smtp.messages[0].get_body(preferencelist=("html",)).get_content()
    assert html.index("Good morning.") < html.index("First on the page") < html.index("Second on the page")
    assert smtp.messages[0]["Subject"] == "Morning briefing"
    letter.refresh_from_db()
    assert letter.status == "draft" and not Delivery.objects.exists(), "a test sends to nobody else"


def test_a_double_click_on_send_queues_the_newsletter_once(smtp, django_capture_on_commit_callbacks):
    confirmed("bo@example.org")
    letter = newsletter_with(make_article())
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.send_now(letter) is True
        assert sending.send_now(letter) is False
    assert len(smtp.to("bo@example.org")) == 1


def test_a_worker_killed_half_way_resumes_without_sending_anyone_twice(smtp, settings):
    people = [confirmed(f"reader{n}@example.org") for n in range(12)]
    settings.BROADSHEET_NEWSLETTERS_BATCH = 5
    letter = newsletter_with(make_article())
    sending.send_now(letter)
    letter = sending.start(letter.pk)
    assert sending.deliver_all(letter, stop_after=7) == 7  # the worker "dies" with rows claimed
    assert Delivery.objects.filter(status="claimed").exists()
    # Its rows go back to the queue only once its claim is old; a live worker's rows are left alone.
    assert sending.recover_abandoned(letter) == (0, 0)
    settings.BROADSHEET_NEWSLETTERS_CLAIM_SECONDS = 0
    sending.deliver_all(sending.start(letter.pk))
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(p.email for p in people)
    letter.refresh_from_db()
    assert letter.status == "sent" and sending.counts(letter)["sent"] == 12


def test_a_message_in_flight_when_the_worker_died_is_never_sent_again(smtp, settings):
    confirmed("cy@example.org")
    letter = newsletter_with(make_article())
    sending.send_now(letter)
    letter = sending.start(letter.pk)
    Delivery.objects.update(status="sending", claimed_by="dead", claimed_at=timezone.now() - datetime.timedelta(hours=1))
    sending.deliver_all(letter)
    assert smtp.messages == []
    assert sending.counts(letter)["unknown"] == 1


def test_a_refused_address_fails_and_the_rest_still_get_it(smtp):
    confirmed("ok@example.org")
    confirmed("gone@example.org")
    smtp.refuse["gone@example.org"] = "550 5.1.1 No such user"
    letter = newsletter_with(make_article())
    sending.send_now(letter)
    sending.deliver_all(sending.start(letter.pk))
    assert [m["To"] for m in smtp.messages] == ["ok@example.org"]
    failed = Delivery.objects.get(subscriber__email="gone@example.org")
    assert failed.status == "failed" and "550" in failed.error
    assert sending.counts(letter)["failed"] == 1


def test_a_temporary_refusal_is_retried_then_given_up(smtp, settings):
    settings.BROADSHEET_NEWSLETTERS_MAX_ATTEMPTS = 2
    confirmed("busy@example.org")
    smtp.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    letter = newsletter_with(make_article())
    sending.send_now(letter)
    sending.deliver_all(sending.start(letter.pk))
    row = Delivery.objects.get()
    assert row.status == "failed" and row.attempts == 2


def test_a_section_newsletter_goes_to_that_sections_readers_only(smtp):
    sport = make_section("Sport")
    fan = confirmed("fan@example.org")
    fan.sections.add(sport)
    confirmed("other@example.org")
    letter = newsletter_with(make_article(section=sport), audience="section", section=sport)
    sending.send_now(letter)
    sending.deliver_all(sending.start(letter.pk))
    assert [m["To"] for m in smtp.messages] == ["fan@example.org"]


def test_a_scheduled_newsletter_waits_for_its_time(smtp):
    confirmed("dee@example.org")
    letter = newsletter_with(make_article())
    with pytest.raises(sending.NotSendable):
        sending.schedule(letter, at=timezone.now() - datetime.timedelta(minutes=1))
    sending.schedule(letter, at=timezone.now() + datetime.timedelta(hours=1))
    assert sending.send_due() == 0 and smtp.messages == []
    Newsletter.objects.filter(pk=letter.pk).update(send_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("newsletters", "send-due")
    assert [m["To"] for m in smtp.messages] == ["dee@example.org"]


def test_an_empty_newsletter_cannot_be_sent():
    letter = Newsletter.objects.create(subject="Nothing")
    with pytest.raises(sending.NotSendable, match="at least one story"):
        sending.send_now(letter)


@pytest.mark.django_db(transaction=True)
def test_several_connections_side_by_side_send_each_reader_one_copy(smtp, settings):
    settings.BROADSHEET_NEWSLETTERS_CONNECTIONS = 3
    settings.BROADSHEET_NEWSLETTERS_BATCH = 4
    people = [confirmed(f"side{n}@example.org") for n in range(25)]
    letter = newsletter_with(make_article())
    sending.send_now(letter)  # committed at once here, so the (immediate) task sends it now
    assert sorted(m["To"] for m in smtp.messages) == sorted(p.email for p in people)
    letter.refresh_from_db()
    assert letter.status == "sent"


def test_each_reader_gets_a_copy_of_their_own_from_the_one_prepared_message(smtp, django_capture_on_commit_callbacks):
    ana, bo = confirmed("ana@example.org"), confirmed("bo@example.org")
    confirmed("cy@bücher.example")  # an address that is not plain ASCII: built the slow way
    letter = newsletter_with(make_article("Night buses return"))
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_now(letter)
    assert sorted(m["To"] for m in smtp.messages) == ["ana@example.org", "bo@example.org", "cy@xn--bcher-kva.example"]
    ids = {m["Message-ID"] for m in smtp.messages}
    assert len(ids) == 3, "a Message-ID of its own each"
    for person in (ana, bo):
        message = smtp.to(person.email)[0]
        delivery = Delivery.objects.get(newsletter=letter, subscriber=person)
        assert message["X-Broadsheet-Delivery"] == str(delivery.pk) and delivery.status == "sent" and delivery.sent_at
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Night buses return" in html and "@@" not in html and "mark" not in message.as_string()
    unsubscribe = {m["To"]: m["List-Unsubscribe"].strip("<> ") for m in smtp.messages}
    assert len(set(unsubscribe.values())) == 3
    path = unsubscribe["bo@example.org"].split("://", 1)[1].split("/", 1)[1]
    from django.test import Client

    assert Client().post("/" + path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    bo.refresh_from_db()
    ana.refresh_from_db()
    assert bo.status == "unsubscribed" and ana.status == "active", "each link acts for its own reader"
