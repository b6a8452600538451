"""The emails: confirmation, "already subscribed", and newsletters (HTML and plain text).

A newsletter is rendered once, and built once as a whole MIME message with stand-ins for what
differs per reader (address, signed links, Message-ID, delivery number); each reader's copy is
that message's bytes with the stand-ins filled in, so 100,000 copies cost one template render
and one MIME build, not 100,000.
"""

import re

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import DNS_NAME, sanitize_address
from django.template.loader import render_to_string
from django.utils.crypto import get_random_string
from django.utils.html import escape

from broadsheet.newsroom.models import Article

from . import conf, tokens

PREFERENCES_MARK = "@@PREFERENCES_URL@@"
UNSUBSCRIBE_MARK = "@@UNSUBSCRIBE_URL@@"
# Stand-ins in the prepared message (an address and a Message-ID that parse as such).
ADDRESS_MARK = "reader-address-mark@broadsheet.invalid"
MESSAGE_ID_MARK = "message-id-mark"
DELIVERY_MARK = "@@DELIVERY@@"
SAFE_URL = re.compile(r"[A-Za-z0-9:/?#@!$'()*+,;=._~%-]+\Z")  # nothing HTML escaping would change


def branding():
    from broadsheet.sitesettings.services import current

    site = current()
    return {
        "site_name": site.name,
        "site_url": conf.site_url(),
        "accent": site.accent_colour,
        "accent_text": site.accent_text_colour,
        "logo_url": site.logo_url(absolute=True),
    }


def _message(subject, text, html, to, headers=None):
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " ")[:200], body=text, from_email=conf.from_email(), to=[to], headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def confirmation(subscriber):
    context = {**branding(), "confirm_url": tokens.url(subscriber, tokens.CONFIRM), "chosen": subscriber.chosen()}
    return _message(
        f"Confirm your subscription to {context['site_name']}",
        render_to_string("newsletters/email/confirm.txt", context),
        render_to_string("newsletters/email/confirm.html", context),
        subscriber.email,
    )


def already_subscribed(subscriber):
    context = {**branding(), "preferences_url": tokens.url(subscriber, tokens.PREFERENCES)}
    return _message(
        f"You already get {context['site_name']} newsletters",
        render_to_string("newsletters/email/already.txt", context),
        None,
        subscriber.email,
    )


class Rendered:
    """A newsletter rendered once, ready to be addressed to each reader."""

    def __init__(self, newsletter):
        stories = list(
            Article.objects.filter(pk__in=[s.article_id for s in newsletter.stories.all()])
            .select_related("section")
            .defer("body", "body_html")
        )
        order = {s.article_id: (s.position, s.id) for s in newsletter.stories.all()}
        stories.sort(key=lambda a: order[a.pk])
        context = {
            **branding(),
            "newsletter": newsletter,
            "intro_paragraphs": [p.strip() for p in newsletter.intro.split("\n\n") if p.strip()],
            "stories": stories,
            "preferences_url": PREFERENCES_MARK,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
        }
        self.newsletter = newsletter
        self.subject = newsletter.subject
        self.html = render_to_string("newsletters/email/newsletter.html", context)
        self.text = render_to_string("newsletters/email/newsletter.txt", context)
        self.from_address = sanitize_address(conf.from_email(), "utf-8")
        # Message-IDs are <delivery.newsletter.this@host>: unique without a random draw each.
        self.message_id_part = f"{newsletter.pk}.{get_random_string(12)}"
        self.list_id = f"<{newsletter.audience}.newsletters.{conf.site_url().split('://')[-1].split('/')[0]}>"

    def for_reader(self, subscriber, *, delivery_id=None):
        preferences = tokens.url(subscriber, tokens.PREFERENCES)
        unsubscribe = tokens.url(subscriber, tokens.UNSUBSCRIBE)
        html = self.html.replace(PREFERENCES_MARK, escape(preferences)).replace(UNSUBSCRIBE_MARK, escape(unsubscribe))
        text = self.text.replace(PREFERENCES_MARK, preferences).replace(UNSUBSCRIBE_MARK, unsubscribe)
        headers = {
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
            "X-Broadsheet-Newsletter": str(self.newsletter.pk),
        }
        if delivery_id is not None:
            headers["X-Broadsheet-Delivery"] = str(delivery_id)
        return _message(self.subject, text, html, subscriber.email, headers)

    def prepared(self):
        """The message's bytes cut at the stand-ins, built once (None when a part of it was
        not sent as plain 7 or 8 bit text, so the stand-ins are not there as written)."""
        if not hasattr(self, "_prepared"):
            self._prepared = self._prepare()
        return self._prepared

    def _prepare(self):
        message = _message(
            self.subject,
            self.text,
            self.html,
            ADDRESS_MARK,
            {
                "List-Unsubscribe": f"<{UNSUBSCRIBE_MARK}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": self.list_id,
                "X-Broadsheet-Newsletter": str(self.newsletter.pk),
                "X-Broadsheet-Delivery": DELIVERY_MARK,
                "Message-ID": f"<{MESSAGE_ID_MARK}@{DNS_NAME}>",
            },
        )
        raw = message.message().as_bytes(linesep="\r\n")
        marks = [ADDRESS_MARK, PREFERENCES_MARK, UNSUBSCRIBE_MARK, MESSAGE_ID_MARK, DELIVERY_MARK]
        pattern = re.compile("|".join(re.escape(m) for m in marks).encode())
        expected = 2 + self.html.count(PREFERENCES_MARK) + self.text.count(PREFERENCES_MARK)
        expected += 1 + self.html.count(UNSUBSCRIBE_MARK) + self.text.count(UNSUBSCRIBE_MARK) + 1
        pieces, slots, at = [], [], 0
        for found in pattern.finditer(raw):
            pieces.append(raw[at : found.start()])
            slots.append(marks.index(found.group().decode()))
            at = found.end()
        pieces.append(raw[at:])
        if len(slots) != expected:
            return None
        return pieces, slots

    def for_reader_bytes(self, subscriber, *, delivery_id, preferences=None, unsubscribe=None):
        """(address, the whole message as bytes) for one reader, from the prepared message;
        None when this reader's copy must be built the slow way (an address that is not plain
        ASCII, a link HTML escaping would change)."""
        prepared = self.prepared()
        address = subscriber.email
        if prepared is None or not address.isascii() or "\n" in address or "\r" in address:
            return None
        preferences = preferences or tokens.url(subscriber, tokens.PREFERENCES)
        unsubscribe = unsubscribe or tokens.url(subscriber, tokens.UNSUBSCRIBE)
        if not (SAFE_URL.match(preferences) and SAFE_URL.match(unsubscribe)):
            return None
        values = [
            address.encode(),
            preferences.encode(),
            unsubscribe.encode(),
            f"{delivery_id}.{self.message_id_part}".encode(),
            str(delivery_id).encode(),
        ]
        pieces, slots = prepared
        out = [pieces[0]]
        for slot, piece in zip(slots, pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return address, b"".join(out)

    def preview_html(self):
        """The HTML as a reader gets it, with links that do nothing (for the editors' preview)."""
        return self.html.replace(PREFERENCES_MARK, "#preferences").replace(UNSUBSCRIBE_MARK, "#unsubscribe")
