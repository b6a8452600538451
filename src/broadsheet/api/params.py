"""Reading query parameters: each bad value becomes a 400 naming the parameter, never a 500."""

import base64
import datetime
import json
import re
from typing import Any

from django.http import HttpRequest

from broadsheet.core.text import clean_text

from . import conf
from .http import BadParameter

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,140}$")
MAX_ID = 2**63 - 1
MAX_TEXT = 10_000


def _one(request: HttpRequest, name: str) -> str | None:
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, f"Give `{name}` once.")
    return values[0] if values else None


def slug(request: HttpRequest, name: str) -> str | None:
    value = _one(request, name)
    if value is None or value == "":
        return None
    if not SLUG.match(value):
        raise BadParameter(name, f"`{name}` must be a slug: letters, digits, '-' or '_', at most 140.")
    return value


def search_text(request: HttpRequest, name: str, *, max_length: int = MAX_TEXT) -> str | None:
    """Words to search for: any text is taken (NUL bytes and broken Unicode are dropped)."""
    value = _one(request, name)
    if value is None:
        return None
    if len(value) > max_length:
        raise BadParameter(name, f"`{name}` may be at most {max_length} characters long.")
    return clean_text(value)


def text(request: HttpRequest, name: str, *, max_length: int = MAX_TEXT) -> str | None:
    value = _one(request, name)
    if value is None:
        return None
    if len(value) > max_length:
        raise BadParameter(name, f"`{name}` may be at most {max_length} characters long.")
    cleaned = clean_text(value)
    if cleaned != value or any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise BadParameter(name, f"`{name}` contains control characters or broken Unicode.")
    return value


def date(request: HttpRequest, name: str) -> datetime.date | None:
    value = _one(request, name)
    if value is None or value == "":
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BadParameter(name, f"`{name}` must be a date as YYYY-MM-DD.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, f"`{name}` is not a real date.") from None


def integer(request: HttpRequest, name: str, *, default: int, minimum: int, maximum: int) -> int:
    value = _one(request, name)
    if value is None or value == "":
        return default
    if not re.fullmatch(r"\d{1,9}", value):
        raise BadParameter(name, f"`{name}` must be a whole number from {minimum} to {maximum}.")
    number = int(value)
    if not minimum <= number <= maximum:
        raise BadParameter(name, f"`{name}` must be a whole number from {minimum} to {maximum}.")
    return number


def page_size(request: HttpRequest) -> int:
    return integer(request, "page_size", default=conf.page_size(), minimum=1, maximum=conf.max_page_size())


def page(request: HttpRequest) -> int:
    return integer(request, "page", default=1, minimum=1, maximum=100_000)


def object_id(value: str | None) -> int | None:
    """A path id as an int, or None when it cannot name any row."""
    if value is None or not re.fullmatch(r"\d{1,19}", value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


# --- opaque cursors -------------------------------------------------------------------------


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor(request: HttpRequest) -> tuple[dict[str, Any], BadParameter] | None:
    value = _one(request, "cursor")
    if value is None or value == "":
        return None
    bad = BadParameter("cursor", "`cursor` is not valid: use the `next` link exactly as given.")
    if len(value) > 500 or not re.fullmatch(r"[-A-Za-z0-9_]+", value):
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except ValueError:
        raise bad from None
    if not isinstance(data, dict):
        raise bad
    return data, bad
