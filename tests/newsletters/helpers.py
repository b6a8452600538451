"""Small builders for newsletter tests."""

import re
import time

from broadsheet.core.antispam import make_stamp
from broadsheet.newsletters import services
from broadsheet.newsletters.models import Subscriber


def form(email, **choices):
    """What the sign-up form posts, loaded long enough ago to pass the speed check."""
    data = {"email": email, "form_stamp": make_stamp(time.time() - 10)}
    if not choices:
        choices = {"daily": "on"}
    data.update(choices)
    return data


def confirmed(email, **choices):
    person = Subscriber.objects.create(email=email, **{"daily": True, **choices})
    services.confirm(person)
    person.refresh_from_db()
    return person


def link(message, kind):
    """The first link of `kind` (confirm, preferences, unsubscribe) in a message's text."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"https?://\S+/subscribe/{kind}/\S+/", body)
    assert found, body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])
