"""Bounces and complaints reported back by mail servers: a delivery status notification
(RFC 3464), an abuse feedback report (RFC 5965), or a provider's JSON webhook.

A hard bounce (a permanent 5.x.x failure) or a complaint stops all sending to that address;
a soft bounce is only recorded. Anything else is refused with the reason, so a message that
merely looks like one changes nothing.
"""

import email
import email.policy
import json
import re

from django.db import transaction

from .models import Bounce, Consent, Delivery, Newsletter, Subscriber


class NotABounce(ValueError):
    """The message is not a bounce or complaint report we can act on."""


def parse(raw: bytes, content_type: str = "") -> list[tuple[str, str, str, int | None]]:
    """[(email, kind, detail, newsletter_id)] reported by `raw` (JSON or an RFC 822 message)."""
    if content_type.startswith("application/json") or raw.lstrip()[:1] in (b"{", b"["):
        return _parse_json(raw)
    return _parse_report(raw)


def _parse_json(raw):
    try:
        data = json.loads(raw)
    except ValueError:
        raise NotABounce("The body is not valid JSON.") from None
    items = data if isinstance(data, list) else [data]
    found = []
    for item in items:
        if not isinstance(item, dict):
            raise NotABounce("Each event must be an object with \"type\" and \"email\".")
        kind = str(item.get("type", "")).lower()
        address = str(item.get("email", "")).strip().lower()
        if kind == "bounce":
            kind = Bounce.Kind.SOFT if str(item.get("bounce_type", "hard")).lower() in ("soft", "transient") else Bounce.Kind.HARD
        elif kind != "complaint":
            raise NotABounce(f"Unknown event type {kind!r}: expected \"bounce\" or \"complaint\".")
        if "@" not in address:
            raise NotABounce("The event has no recipient address (\"email\").")
        newsletter = item.get("newsletter")
        found.append((address, kind, str(item.get("detail", ""))[:300], int(newsletter) if str(newsletter).isdigit() else None))
    return found


def _parse_report(raw):
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        raise NotABounce("This is not a bounce: a delivery report is a multipart/report message.")
    report_type = (message.get_param("report-type") or "").lower()
    newsletter_id = _original_newsletter(message)
    if report_type == "feedback-report":
        address = _complainant(message)
        return [(address, Bounce.Kind.COMPLAINT, "Abuse report from the reader's provider", newsletter_id)]
    if report_type != "delivery-status":
        raise NotABounce(f"This report is of type {report_type!r}, not a delivery status or feedback report.")
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for fields in _status_groups(part):
            recipient = fields.get("final-recipient") or fields.get("original-recipient") or ""
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            action = fields.get("action", "").lower()
            status = fields.get("status", "")
            if "@" not in address or action not in ("failed", "delayed"):
                continue
            kind = Bounce.Kind.HARD if action == "failed" and status.startswith("5") else Bounce.Kind.SOFT
            found.append((address, kind, f"{action} {status} {fields.get('diagnostic-code', '')}".strip()[:300], newsletter_id))
    if not found:
        raise NotABounce("The delivery report names no failed recipient.")
    return found


def _status_groups(part):
    """The per-recipient field groups of a message/delivery-status part, as dicts."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package already split the groups
        blocks = [dict((k.lower(), str(v)) for k, v in p.items()) for p in payload]
    else:
        blocks = []
        for chunk in re.split(r"\r?\n\r?\n", payload):
            fields = {}
            for line in chunk.splitlines():
                if ":" in line:
                    name, value = line.split(":", 1)
                    fields[name.strip().lower()] = value.strip()
            blocks.append(fields)
    return [b for b in blocks if b.get("final-recipient") or b.get("original-recipient")]


def _original_newsletter(message):
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            text = part.as_string()
            found = re.search(r"^X-Broadsheet-Newsletter:\s*(\d+)", text, re.MULTILINE | re.IGNORECASE)
            if found:
                return int(found.group(1))
    return None


def _complainant(message):
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            text = part.as_string()
            found = re.search(r"^Original-Rcpt-To:\s*<?([^>\s]+@[^>\s]+)>?", text, re.MULTILINE | re.IGNORECASE)
            if found:
                return found.group(1).lower()
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            found = re.search(r"^To:\s*.*?<?([^<>\s]+@[^<>\s]+)>?\s*$", part.as_string(), re.MULTILINE | re.IGNORECASE)
            if found:
                return found.group(1).lower()
    raise NotABounce("The feedback report names no recipient.")


@transaction.atomic
def handle(raw: bytes, content_type: str = "") -> list[Bounce]:
    """Record each bounce or complaint in `raw`; hard bounces and complaints stop sending."""
    recorded = []
    for address, kind, detail, newsletter_id in parse(raw, content_type):
        if newsletter_id and not Newsletter.objects.filter(pk=newsletter_id).exists():
            newsletter_id = None
        recorded.append(Bounce.objects.create(email=address, kind=kind, detail=detail, newsletter_id=newsletter_id))
        if kind == Bounce.Kind.SOFT:
            continue
        subscriber = Subscriber.objects.filter(email=address).first()
        if subscriber is None:
            continue
        stopped = Subscriber.Status.BOUNCED if kind == Bounce.Kind.HARD else Subscriber.Status.COMPLAINED
        if subscriber.status != stopped:
            subscriber.status = stopped
            subscriber.save(update_fields=["status"])
            Consent.objects.create(
                subscriber=subscriber,
                action=Consent.Action.BOUNCED if kind == Bounce.Kind.HARD else Consent.Action.COMPLAINED,
                source="bounce report",
                lists=detail,
            )
        # Whatever was still waiting for this reader is not sent.
        Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SKIPPED
        )
    return recorded
