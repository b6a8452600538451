"""Subscribers in and out as CSV, with their consent, so an outlet can bring its list from
Mailchimp, Substack or Ghost (their export columns are understood) and take it away again.

Export columns: email, status, daily, weekly, breaking, sections, subscribed_at, confirmed_at,
consent_source, consent_wording. Import reads those, or a provider's own names for them.
"""

import csv
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from broadsheet.newsroom.models import Section

from .models import Consent, Subscriber

COLUMNS = [
    "email", "status", "daily", "weekly", "breaking", "sections",
    "subscribed_at", "confirmed_at", "consent_source", "consent_wording",
]
# Provider column names -> ours (Mailchimp, Substack, Ghost exports).
ALIASES = {
    "email address": "email", "e-mail": "email",
    "optin_time": "subscribed_at", "created_at": "subscribed_at", "subscribed": "subscribed_at",
    "confirm_time": "confirmed_at",
}
STOPPED = {"unsubscribed": Subscriber.Status.UNSUBSCRIBED, "cleaned": Subscriber.Status.BOUNCED,
           "bounced": Subscriber.Status.BOUNCED, "complained": Subscriber.Status.COMPLAINED}
TRUE = {"1", "true", "yes", "y", "on"}


def export(out, people=None):
    """Write subscribers (all by default) with their first consent line; returns the number written."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    people = (people if people is not None else Subscriber.objects.all()).order_by("pk").prefetch_related(
        "sections", "consents"
    )
    for person in people.iterator(chunk_size=2000):
        consents = list(person.consents.all())
        first = consents[0] if consents else None
        writer.writerow([
            person.email, person.status, int(person.daily), int(person.weekly), int(person.breaking),
            "|".join(s.name for s in person.sections.all()),
            person.created_at.isoformat(), person.confirmed_at.isoformat() if person.confirmed_at else "",
            first.source if first else "", first.wording if first else "",
        ])
        count += 1
    return count


def _moment(value):
    value = (value or "").strip()
    if not value:
        return None
    found = parse_datetime(value.replace(" ", "T", 1) if "T" not in value else value)
    if found is not None and timezone.is_naive(found):
        found = timezone.make_aware(found, datetime.UTC)
    return found


def import_rows(handle, *, source):
    """Add or update subscribers from a CSV; returns {"added", "updated", "errors": [(line, msg)]}.

    Readers already in the list keep their confirmation; a row marked unsubscribed or cleaned
    is imported as stopped, so it is never mailed. Imported readers count as confirmed (they
    opted in with the previous provider) and the consent line says where they came from.
    """
    reader = csv.DictReader(handle)
    if reader.fieldnames is None:
        return {"added": 0, "updated": 0, "errors": [(1, "The file is empty.")]}
    names = {f: ALIASES.get(f.strip().lower(), f.strip().lower()) for f in reader.fieldnames}
    if "email" not in names.values():
        return {"added": 0, "updated": 0, "errors": [(1, "No email column (expected \"email\" or \"Email Address\").")]}
    sections = {s.name.lower(): s for s in Section.objects.all()}
    report = {"added": 0, "updated": 0, "errors": []}
    for line, raw in enumerate(reader, start=2):
        row = {names[k]: (v or "") for k, v in raw.items() if k is not None}
        address = row.get("email", "").strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            report["errors"].append((line, f"{address or '(empty)'} is not an email address."))
            continue
        with transaction.atomic():
            person, created = Subscriber.objects.get_or_create(email=address)
            status = STOPPED.get(row.get("status", "").strip().lower(), Subscriber.Status.ACTIVE)
            if created or status != Subscriber.Status.ACTIVE:
                person.status = status
            lists = [row.get(k, "").strip().lower() in TRUE for k in ("daily", "weekly", "breaking")]
            person.daily, person.weekly, person.breaking = lists if any(lists) or not created else (True, False, False)
            person.created_at = _moment(row.get("subscribed_at")) or person.created_at
            if person.status == Subscriber.Status.ACTIVE and not person.confirmed_at:
                person.confirmed_at = _moment(row.get("confirmed_at")) or person.created_at
            person.save()
            chosen = [sections[n.strip().lower()] for n in row.get("sections", "").split("|") if n.strip().lower() in sections]
            if chosen:
                person.sections.set(chosen)
            Consent.objects.create(
                subscriber=person,
                action=Consent.Action.IMPORTED,
                at=timezone.now(),
                source=(row.get("consent_source") or f"import: {source}")[:200],
                wording=row.get("consent_wording", ""),
                lists=person.chosen()[:500],
            )
        report["added" if created else "updated"] += 1
    return report
