"""Subscribing, confirming, changing preferences and unsubscribing, each with its consent line."""

import hashlib
import hmac
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from broadsheet.core import antispam

from . import conf, tokens
from .models import Consent, Subscriber

logger = logging.getLogger(__name__)

CONSENT_WORDING = (
    "Send me the newsletters I ticked. I can change them or unsubscribe in one click from any "
    "email. My address is kept for these newsletters only."
)


class TooManyRequests(Exception):
    """Too many sign-ups for one address or from one place in the last hour."""


def client_hash(request):
    """A keyed, truncated hash of the reader's network address: never the address itself."""
    if request is None:
        return ""
    address = antispam.client_ip(request)
    return hmac.new(conf.secret_key().encode(), address.encode(), hashlib.sha256).hexdigest()[:16]


def record(subscriber, action, *, request=None, source="", wording=""):
    return Consent.objects.create(
        subscriber=subscriber,
        action=action,
        source=(source or (request.path if request is not None else ""))[:200],
        client_hash=client_hash(request),
        wording=wording,
        lists=subscriber.chosen()[:500],
    )


def _choose(subscriber, *, daily, weekly, breaking, sections):
    subscriber.daily, subscriber.weekly, subscriber.breaking = bool(daily), bool(weekly), bool(breaking)
    subscriber.save()
    subscriber.sections.set(sections)


def check_rate(email, request):
    """Raise TooManyRequests when this address or this client signed up too often this hour."""
    if antispam.hit_rate_limit("newsletter-address", email, limit=conf.address_limit(), window=3600):
        raise TooManyRequests("This address was signed up several times in the last hour. Please check your inbox.")
    if request is not None and antispam.hit_rate_limit(
        "newsletter-client", antispam.client_ip(request), limit=conf.client_limit(), window=3600
    ):
        raise TooManyRequests("Too many sign-ups from your network in the last hour. Please try again later.")


@transaction.atomic
def subscribe(*, email, daily=False, weekly=False, breaking=False, sections=(), request=None):
    """Start a subscription (or refresh a pending one) and send the confirmation email.

    An address that is already confirmed gets an email with its preferences link instead, so
    the form never tells a stranger whether someone is subscribed.
    """
    email = email.strip().lower()
    check_rate(email, request)
    subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email)
    if subscriber.is_active:
        transaction.on_commit(lambda: queue(send_already_subscribed, subscriber.pk))
        return subscriber
    if subscriber.status != Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.PENDING
    _choose(subscriber, daily=daily, weekly=weekly, breaking=breaking, sections=sections)
    record(subscriber, Consent.Action.SUBSCRIBED, request=request, wording=CONSENT_WORDING)
    transaction.on_commit(lambda: queue(send_confirmation, subscriber.pk))
    return subscriber


@transaction.atomic
def confirm(subscriber, *, request=None):
    """Double opt-in: the reader clicked the link we emailed. Confirming twice changes nothing."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.is_active:
        return subscriber
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    record(subscriber, Consent.Action.CONFIRMED, request=request, wording=CONSENT_WORDING)
    return subscriber


@transaction.atomic
def change_preferences(subscriber, *, daily, weekly, breaking, sections, request=None):
    _choose(subscriber, daily=daily, weekly=weekly, breaking=breaking, sections=sections)
    record(subscriber, Consent.Action.CHANGED, request=request, wording=CONSENT_WORDING)
    return subscriber


@transaction.atomic
def unsubscribe(subscriber, *, request=None, source=""):
    """Stop every newsletter to this reader. Returns False when they were already unsubscribed."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return False
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.link_version += 1
    subscriber.save(update_fields=["status", "unsubscribed_at", "link_version"])
    record(subscriber, Consent.Action.UNSUBSCRIBED, request=request, source=source)
    return True


def queue(task_function, *args):
    """Queue an email task; log and carry on if the queue cannot take it."""
    try:
        task_function.enqueue(*args)
    except Exception:
        logger.exception("could not queue %s", task_function)


@task()
def send_confirmation(subscriber_id):
    from . import emails

    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.PENDING).first()
    if subscriber is not None:
        emails.confirmation(subscriber).send(fail_silently=False)


@task()
def send_already_subscribed(subscriber_id):
    from . import emails

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.is_active:
        emails.already_subscribed(subscriber).send(fail_silently=False)


def preferences_url(subscriber):
    return tokens.url(subscriber, tokens.PREFERENCES)
