"""Finding the redirect for an address that matched nothing, and adding redirects in bulk."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from .models import Redirect

_SIZE_VARIANT = re.compile(r"-(?:\d+x\d+|scaled)(\.\w+)$")


def _candidates(path, query):
    """Exact keys to try for one request, best first."""
    keys = []
    if query:
        keys.append(f"{path}?{query}")
    keys.append(path)
    if not path.endswith("/"):
        keys.append(path + "/")
    elif len(path) > 1:
        keys.append(path.rstrip("/"))
    variant = _SIZE_VARIANT.sub(r"\1", path)  # a WordPress thumbnail of a picture we hold
    if variant != path:
        keys.append(variant)
    return keys


def _prefixes(path):
    parts = path.split("/")
    return ["/".join(parts[:n]) + "/" for n in range(len(parts) - 1, 0, -1)]


def find(path: str, query: str = "") -> Redirect | None:
    """The redirect for an address (two indexed queries at most), or None."""
    if "\x00" in path or "\x00" in query or len(path) > 500:  # nothing stored can match (PostgreSQL refuses NUL)
        return None
    keys = _candidates(path, query)
    found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=keys, match=Redirect.Match.EXACT)}
    for key in keys:
        if key in found:
            return found[key]
    prefixes = _prefixes(path)
    found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=prefixes, match=Redirect.Match.PREFIX)}
    for prefix in prefixes:  # the longest prefix wins
        if prefix in found:
            return found[prefix]
    return None


def record_hit(redirect: Redirect) -> None:
    Redirect.objects.filter(pk=redirect.pk).update(hits=F("hits") + 1, last_hit_at=timezone.now())


def normalise_old_path(value: str) -> str:
    from urllib.parse import unquote, urlsplit

    value = (value or "").strip()
    parts = urlsplit(value)
    path = unquote(parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    return f"{path}?{parts.query}" if parts.query else path


def add_many(rules, *, origin: str = "", replace_others: bool = False) -> int:
    """Add or update (old_path, new_url, match) rules in one pass. Rules an editor made by hand
    (another origin) are kept unless replace_others; a rule that would point at itself is left out."""
    wanted = {}
    for old_path, new_url, match in rules:
        old_path = normalise_old_path(old_path)
        if old_path and new_url and old_path != new_url:
            wanted[old_path] = (new_url, match or Redirect.Match.EXACT)
    if not wanted:
        return 0
    if not replace_others:
        for taken in (
            Redirect.objects.filter(old_path__in=list(wanted)).exclude(origin=origin).values_list("old_path", flat=True)
        ):
            wanted.pop(taken, None)
    Redirect.objects.bulk_create(
        [Redirect(old_path=p, new_url=u, match=m, origin=origin) for p, (u, m) in wanted.items()],
        update_conflicts=True,
        unique_fields=["old_path"],
        update_fields=["new_url", "match", "origin"],
        batch_size=500,
    )
    return len(wanted)


@dataclass
class CsvReport:
    added: int = 0
    errors: list = field(default_factory=list)  # (line number, message)


def import_csv(data: bytes) -> CsvReport:
    """Rows of old_path,new_url[,exact|prefix]; a header row is allowed; bad rows are reported."""
    report = CsvReport()
    rules = []
    text = data.decode("utf-8-sig", "replace")
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() in ("old_path", "old", "from"):
            continue
        if len(row) < 2:
            report.errors.append((number, "needs at least two columns: old path, new address"))
            continue
        old, new = row[0].strip(), row[1].strip()
        match = (row[2].strip().lower() if len(row) > 2 else "") or Redirect.Match.EXACT
        if match not in Redirect.Match.values:
            report.errors.append((number, f"third column must be exact or prefix, not {match!r}"))
            continue
        if not old.startswith("/") or len(old) > 500:
            report.errors.append((number, "the old path must start with / (at most 500 characters)"))
            continue
        if not (new.startswith("/") or new.startswith(("http://", "https://"))) or len(new) > 1000:
            report.errors.append((number, "the new address must start with /, http:// or https://"))
            continue
        rules.append((old, new, match))
    report.added = add_many(rules, origin="csv", replace_others=True)
    return report
