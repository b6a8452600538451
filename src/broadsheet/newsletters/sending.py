"""Sending a newsletter: scheduling, queueing one delivery row per reader, and the worker's
batches.

Each reader gets a newsletter once, whatever happens:
- "send" moves the newsletter out of draft with one conditional UPDATE, so a double click
  queues it once;
- one Delivery row per (newsletter, subscriber), created with the unique pair, so queueing
  again adds nobody twice;
- a worker claims a batch of rows atomically (SKIP LOCKED on PostgreSQL, serialised
  transactions on SQLite) and marks each row "sending" before handing it to SMTP and "sent"
  right after, so a worker killed half-way leaves at most the one message it was handing
  over in doubt: that row is marked "unknown" and never sent again, the rest of its batch
  goes back to the queue once its claim is older than CLAIM_SECONDS.
"""

import datetime
import functools
import logging
import smtplib
import threading

from django.core.mail import get_connection
from django.db import connection, transaction
from django.db import connections as db_connections
from django.db.models import Count, F, Q
from django.utils import timezone
from django_tasks import task

from broadsheet.core import workers
from broadsheet.newsroom.models import Article

from . import conf, emails
from .models import Bounce, Delivery, Newsletter, NewsletterStory, Subscriber

logger = logging.getLogger(__name__)
QUEUE_CHUNK = 5000


class NotSendable(Exception):
    """The newsletter cannot be sent or scheduled in its current state."""


def set_stories(newsletter, articles):
    """The newsletter's stories, in this order (replacing any before)."""
    with transaction.atomic():
        newsletter.stories.all().delete()
        NewsletterStory.objects.bulk_create(
            NewsletterStory(newsletter=newsletter, article=a, position=i) for i, a in enumerate(articles)
        )


def _check_ready(newsletter):
    if not newsletter.stories.exists() and not newsletter.intro.strip():
        raise NotSendable("Add at least one story or an introduction first.")
    if newsletter.audience == Newsletter.Audience.SECTION and newsletter.section_id is None:
        raise NotSendable("Choose the section whose subscribers get this newsletter.")


def send_now(newsletter, *, by=None):
    """Queue the newsletter for the worker. True if this call queued it (a second click: False)."""
    _check_ready(newsletter)
    changed = Newsletter.objects.filter(
        pk=newsletter.pk, status__in=[Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED]
    ).update(status=Newsletter.Status.QUEUED, send_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: send_newsletter.enqueue(newsletter.pk))
    return bool(changed)


def schedule(newsletter, *, at, by=None):
    """Send at `at` (the worker picks it up then). Only a draft or scheduled newsletter moves."""
    _check_ready(newsletter)
    if at <= timezone.now():
        raise NotSendable("Choose a time in the future, or send it now.")
    changed = Newsletter.objects.filter(
        pk=newsletter.pk, status__in=[Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED]
    ).update(status=Newsletter.Status.SCHEDULED, send_at=at)
    if not changed:
        raise NotSendable("This newsletter is already being sent.")
    # `broadsheet newsletters send-due` (from cron) also starts it, should the queue lose it.
    transaction.on_commit(lambda: workers.enqueue_at(send_newsletter, at, newsletter.pk))


def send_due(now=None):
    """Start every scheduled newsletter whose time has come; returns how many were sent."""
    sent = 0
    for pk in Newsletter.objects.filter(status=Newsletter.Status.SCHEDULED, send_at__lte=now or timezone.now()).values_list("pk", flat=True):
        newsletter = start(pk, now)
        if newsletter is not None:
            deliver_all(newsletter)
            sent += 1
    return sent


def send_test(newsletter, *, to):
    """One copy to an editor, exactly as readers get it (links that work for a test subscriber)."""
    reader = Subscriber(pk=0, email=to, link_version=0)
    return emails.Rendered(newsletter).for_reader(reader).send(fail_silently=False)


# --- the worker ---------------------------------------------------------------------------


@task()
def send_newsletter(newsletter_id):
    """The worker's task: queue the recipients, then send batch after batch until done."""
    newsletter = start(newsletter_id)
    if newsletter is None:
        return 0
    return deliver_all(newsletter)


def start(newsletter_id, now=None):
    """Move a due newsletter to "sending" and queue its recipients (again, harmlessly, after a
    crash). None when there is nothing to do (a draft, not due yet, or already sent)."""
    now = now or timezone.now()
    due = Q(status=Newsletter.Status.QUEUED) | Q(status=Newsletter.Status.SCHEDULED, send_at__lte=now)
    Newsletter.objects.filter(due, pk=newsletter_id).update(status=Newsletter.Status.SENDING, started_at=now)
    newsletter = Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).first()
    if newsletter is not None and not newsletter.recipients_queued:
        queue_recipients(newsletter)
    return newsletter


def queue_recipients(newsletter):
    """One Delivery row per reader of the audience; rows already there are left as they are."""
    people = Subscriber.objects.receiving(newsletter.audience, newsletter.section).order_by("pk")
    last = 0
    while True:
        ids = list(people.filter(pk__gt=last).values_list("pk", flat=True)[:QUEUE_CHUNK])
        if not ids:
            break
        Delivery.objects.bulk_create(
            [Delivery(newsletter_id=newsletter.pk, subscriber_id=i) for i in ids], ignore_conflicts=True
        )
        last = ids[-1]
    Newsletter.objects.filter(pk=newsletter.pk).update(recipients_queued=True)
    newsletter.recipients_queued = True


def recover_abandoned(newsletter, now=None):
    """Rows a dead worker claimed: unsent ones go back to the queue, the one it was handing to
    SMTP is marked unknown (it may have gone out, so it is never sent again)."""
    stale = (now or timezone.now()) - datetime.timedelta(seconds=conf.claim_seconds())
    mine = Delivery.objects.filter(newsletter=newsletter, claimed_at__lt=stale)
    back = mine.filter(status=Delivery.Status.CLAIMED).update(status=Delivery.Status.QUEUED, claimed_by="")
    doubtful = mine.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.UNKNOWN, error="The worker stopped while handing this message over."
    )
    return back, doubtful


def claim_batch(newsletter, worker, size=None):
    """Atomically take up to `size` queued rows for `worker`; returns their ids."""
    size = size or conf.batch_size()
    with transaction.atomic():
        queued = Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.QUEUED).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        ids = list(queued.values_list("pk", flat=True)[:size])
        if ids:
            Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.CLAIMED, claimed_by=worker, claimed_at=timezone.now()
            )
    return ids


def deliver_all(newsletter, *, worker=None, stop_after=None, connections=None):
    """Send every queued row of `newsletter`; returns the number sent by this call.

    `connections` SMTP connections (BROADSHEET_NEWSLETTERS_CONNECTIONS) work side by side,
    each in its own thread with its own claims, so waiting for one server reply overlaps
    with building and sending the next message. `stop_after` (messages, one connection)
    lets a test stop a worker half-way.
    """
    from django.utils.crypto import get_random_string

    worker = worker or get_random_string(12)
    connections = 1 if stop_after is not None else connections or conf.connections()
    recover_abandoned(newsletter)
    rendered = emails.Rendered(newsletter)
    if connections == 1:
        sent = _deliver_loop(rendered, worker, stop_after=stop_after)
    else:
        results = [0] * connections

        def run(index):
            try:
                results[index] = _deliver_loop(rendered, f"{worker}-{index}")
            finally:
                db_connections.close_all()

        threads = [threading.Thread(target=run, args=(i,), name=f"newsletter-{i}") for i in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent = sum(results)
    if stop_after is not None and sent >= stop_after:
        return sent
    recover_abandoned(newsletter)
    finish(newsletter)
    return sent


def _deliver_loop(rendered, worker, *, stop_after=None):
    """Claim and send batches until the queue is empty (or `stop_after` messages were sent)."""
    sent = 0
    smtp = get_connection(fail_silently=False)
    try:
        while True:
            ids = claim_batch(rendered.newsletter, worker)
            if not ids:
                return sent
            left = None if stop_after is None else stop_after - sent
            sent += _deliver_batch(rendered, ids, worker, smtp, stop_after=left)
            if stop_after is not None and sent >= stop_after:
                return sent
    finally:
        smtp.close()


def _deliver_batch(rendered, ids, worker, smtp, *, stop_after=None):
    """Send a claimed batch on one SMTP connection. One statement per message marks the one
    being handed over "sending" and the one before it "sent", so at any moment at most one row
    of this connection is in doubt, at the cost of one write per message, not two."""
    sent = 0
    rows = (
        Delivery.objects.filter(pk__in=ids, claimed_by=worker, status=Delivery.Status.CLAIMED)
        .select_related("subscriber")
        .only("pk", "attempts", "subscriber__email", "subscriber__status", "subscriber__link_version")
        .order_by("pk")
    )
    previous = None  # handed over, still "sending" until the next statement
    try:
        for delivery in rows:
            if stop_after is not None and sent >= stop_after:
                break
            reader = delivery.subscriber
            if not reader.is_active:
                Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SKIPPED)
                continue
            taken = _hand_over(delivery.pk, previous, worker)
            previous = None
            if not taken:
                continue  # taken back after our claim went stale: someone else has it now
            built = rendered.for_reader_bytes(reader, delivery_id=delivery.pk)
            try:
                # Opened here, not by send_messages: Django's backend closes a connection it
                # opened itself after every call, which costs a connect and EHLO per message.
                smtp.open()
                if built is None:
                    smtp.send_messages([rendered.for_reader(reader, delivery_id=delivery.pk)])
                else:
                    smtp.connection.sendmail(rendered.from_address, [built[0]], built[1])
            except smtplib.SMTPRecipientsRefused as error:
                _failed(delivery, error, permanent=_is_permanent(error))
            except smtplib.SMTPResponseException as error:
                _failed(delivery, error, permanent=500 <= error.smtp_code < 600)
                smtp.close()
            except (smtplib.SMTPException, OSError) as error:
                _failed(delivery, error, permanent=False)
                smtp.close()  # the next send opens a fresh connection
            else:
                previous = delivery.pk
                sent += 1
    finally:
        if previous is not None:
            Delivery.objects.filter(pk=previous, claimed_by=worker, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
    return sent


def _hand_over(pk, previous, worker):
    """Mark `pk` "sending" (if it is still this worker's claim) and `previous` "sent", in one
    statement. True when `pk` is ours to send.

    Written as SQL: it runs once per message, and the ORM's Case/When cost more CPU to build
    than the database takes to run it."""
    if previous is None:
        return bool(
            Delivery.objects.filter(pk=pk, claimed_by=worker, status=Delivery.Status.CLAIMED).update(
                status=Delivery.Status.SENDING, attempts=F("attempts") + 1
            )
        )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_hand_over_sql(), [pk, pk, pk, now, worker, pk, previous])
        changed = cursor.rowcount
    if changed == 2:
        return True
    return Delivery.objects.filter(pk=pk, claimed_by=worker, status=Delivery.Status.SENDING).exists()


@functools.cache
def _hand_over_sql():
    table = connection.ops.quote_name(Delivery._meta.db_table)
    return (
        f"UPDATE {table} SET "
        "status = CASE WHEN id = %s THEN 'sending' ELSE 'sent' END, "
        "attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END, "
        "sent_at = CASE WHEN id = %s THEN sent_at ELSE %s END "
        "WHERE claimed_by = %s AND ((id = %s AND status = 'claimed') OR (id = %s AND status = 'sending'))"
    )


def _is_permanent(error):
    codes = [code for code, _ in error.recipients.values()]
    return bool(codes) and all(500 <= code < 600 for code in codes)


def _failed(delivery, error, *, permanent):
    """A permanent refusal ends this reader's delivery; a temporary one goes back to the queue
    until MAX_ATTEMPTS tries were made."""
    give_up = permanent or delivery.attempts + 1 >= conf.max_attempts()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED if give_up else Delivery.Status.QUEUED,
        claimed_by="",
        error=f"{type(error).__name__}: {error}"[:300],
    )
    logger.warning("newsletter delivery %s failed (%s): %s", delivery.pk, "final" if give_up else "will retry", error)


def finish(newsletter):
    """Mark the newsletter sent once no row is waiting or in flight."""
    waiting = Delivery.objects.filter(
        newsletter=newsletter,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.CLAIMED, Delivery.Status.SENDING],
    ).exists()
    if not waiting:
        Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, finished_at=timezone.now()
        )


def counts(newsletter):
    """{"recipients", "sent", "failed", "skipped", "unknown", "waiting", "bounced", "complaints"}."""
    by_status = dict(
        Delivery.objects.filter(newsletter=newsletter).values_list("status").annotate(n=Count("pk")).order_by()
    )
    waiting = sum(by_status.get(s, 0) for s in ("queued", "claimed", "sending"))
    bounces = dict(Bounce.objects.filter(newsletter=newsletter).values_list("kind").annotate(n=Count("pk")).order_by())
    return {
        "recipients": sum(by_status.values()),
        "sent": by_status.get("sent", 0),
        "failed": by_status.get("failed", 0),
        "skipped": by_status.get("skipped", 0),
        "unknown": by_status.get("unknown", 0),
        "waiting": waiting,
        "bounced": bounces.get("hard", 0) + bounces.get("soft", 0),
        "complaints": bounces.get("complaint", 0),
    }


# --- automatic digests --------------------------------------------------------------------


def build_digest(kind, *, now=None, limit=None):
    """The day's (or week's) digest from the stories published since the last one (at most a
    day or a week back), queued to send. None, creating nothing, when there is no new story, no
    reader of that list, or this day's digest was already built (by another worker, or before a
    restart): the unique `automatic` label makes it once per day whatever runs it."""
    now = now or timezone.now()
    days = 7 if kind == Newsletter.Audience.WEEKLY else 1
    since = now - datetime.timedelta(days=days)
    previous = (
        Newsletter.objects.filter(automatic__startswith=f"{kind}:", created_at__lte=now)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if previous is not None and previous > since:
        since = previous
    stories = list(
        Article.objects.published(now)
        .filter(publish_at__gt=since)
        .latest_first()
        .only("pk")[: limit or conf.digest_stories()]
    )
    if not stories or not Subscriber.objects.receiving(kind).exists():
        return None
    day = timezone.localdate(now)
    with transaction.atomic():
        newsletter, created = Newsletter.objects.get_or_create(
            automatic=f"{kind}:{day.isoformat()}",
            defaults={
                "subject": f"Your {'weekly' if days == 7 else 'daily'} digest, {day:%-d %B %Y}",
                "audience": kind,
                "created_at": now,
            },
        )
        if not created:
            return None
        set_stories(newsletter, stories)
        send_now(newsletter)
    return newsletter


def send_daily_digest():
    """The "newsletters-digest-daily" periodic job (at BROADSHEET_NEWSLETTERS_DIGEST_HOUR)."""
    return build_digest(Newsletter.Audience.DAILY)


def send_weekly_digest():
    """The "newsletters-digest-weekly" periodic job (on BROADSHEET_NEWSLETTERS_WEEKLY_DAY)."""
    return build_digest(Newsletter.Audience.WEEKLY)
