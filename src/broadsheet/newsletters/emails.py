"""The emails: confirmation, "already subscribed", and newsletters (HTML and plain text).

A newsletter is rendered once; each recipient's copy only differs by its signed links, which
are put in by string replacement, so 100,000 copies cost one template render.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import escape

from broadsheet.newsroom.models import Article

from . import conf, tokens

PREFERENCES_MARK = "@@PREFERENCES_URL@@"
UNSUBSCRIBE_MARK = "@@UNSUBSCRIBE_URL@@"


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

    def preview_html(self):
        """The HTML as a reader gets it, with links that do nothing (for the editors' preview)."""
        return self.html.replace(PREFERENCES_MARK, "#preferences").replace(UNSUBSCRIBE_MARK, "#unsubscribe")
