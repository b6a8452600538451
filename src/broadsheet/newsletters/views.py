"""Readers' newsletter pages: sign up, confirm, preferences, unsubscribe; the bounce webhook.

The sign-up page is the same for every reader, so the page cache may keep it: it carries no
CSRF token and sets no cookie. Its POST is protected instead by the browser's own statement of
where the form came from (Sec-Fetch-Site / Origin), the honeypot, the signed load stamp and a
rate limit per address. The other pages open from signed links and are never cached.
"""

import hmac

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import bounces, conf, services, tokens
from .forms import ChoicesForm, SubscribeForm


def from_this_site(request):
    """False when the browser says the form was sent from another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # an old browser or a script: the stamp, honeypot and rate limit still apply
    return origin == f"{request.scheme}://{request.get_host()}"


def _refused(request):
    return HttpResponseForbidden(
        render(request, "newsletters/message.html", {
            "title": "This form was sent from another site",
            "text": "For your safety, sign up from our own subscription page.",
        }).content
    )


@csrf_exempt
def subscribe(request):
    if request.method == "POST":
        if not from_this_site(request):
            return _refused(request)
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.subscribe(
                    email=data["email"], daily=data["daily"], weekly=data["weekly"],
                    breaking=data["breaking"], sections=data["sections"], request=request,
                )
            except services.TooManyRequests as error:
                form.add_error("email", str(error))
            else:
                return redirect("newsletters:sent")
        form.refresh_stamp()
        response = render(request, "newsletters/subscribe.html", {"form": form, "wording": services.CONSENT_WORDING})
        response.status_code = 400
        return response
    form = SubscribeForm()
    return render(request, "newsletters/subscribe.html", {"form": form, "wording": services.CONSENT_WORDING})


def sent(request):
    return render(request, "newsletters/message.html", {
        "title": "Check your inbox",
        "text": "We sent you an email with a link. Your subscription starts when you click it.",
    })


def _bad_link(request, error):
    response = render(request, "newsletters/message.html", {"title": "This link does not work", "text": str(error)})
    response.status_code = 400
    return response


@never_cache
@csrf_exempt
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that opens links confirms nothing."""
    try:
        subscriber = tokens.read(token, tokens.CONFIRM)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        if not from_this_site(request):
            return _refused(request)
        services.confirm(subscriber, request=request)
        return render(request, "newsletters/message.html", {
            "title": "You are subscribed",
            "text": f"Thank you. You will receive: {subscriber.chosen()}.",
            "preferences_url": services.preferences_url(subscriber),
        })
    return render(request, "newsletters/confirm.html", {"subscriber": subscriber, "done": subscriber.is_active})


@never_cache
@csrf_exempt
def preferences(request, token):
    try:
        subscriber = tokens.read(token, tokens.PREFERENCES)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    saved = False
    if request.method == "POST":
        if not from_this_site(request):
            return _refused(request)
        form = ChoicesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.change_preferences(
                subscriber, daily=data["daily"], weekly=data["weekly"], breaking=data["breaking"],
                sections=data["sections"], request=request,
            )
            saved = True
    else:
        form = ChoicesForm(initial={
            "daily": subscriber.daily, "weekly": subscriber.weekly, "breaking": subscriber.breaking,
            "sections": list(subscriber.sections.all()),
        })
    return render(request, "newsletters/preferences.html", {
        "form": form, "subscriber": subscriber, "saved": saved,
        # A path, not the full address: the site's CSP allows forms to post to this origin only.
        "unsubscribe_url": reverse("newsletters:unsubscribe", args=[tokens.make(subscriber, tokens.UNSUBSCRIBE)]),
    }, status=400 if request.method == "POST" and not saved else 200)


@never_cache
@csrf_exempt
def unsubscribe(request, token):
    """RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" here with no cookie and no
    Origin, so the signed token alone authorises it. GET only shows the button."""
    try:
        subscriber = tokens.read(token, tokens.UNSUBSCRIBE)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        changed = services.unsubscribe(subscriber, request=request, source="one-click unsubscribe")
        return render(request, "newsletters/message.html", {
            "title": "You are unsubscribed" if changed else "You were already unsubscribed",
            "text": "You will get no more newsletters from us at this address.",
        })
    return render(request, "newsletters/unsubscribe.html", {"subscriber": subscriber})


@csrf_exempt
@require_POST
def bounce_webhook(request):
    """A mail provider (or a mailbox forwarder) posts bounce and complaint reports here with
    the shared secret in the X-Broadsheet-Webhook-Secret header."""
    secret = conf.webhook_secret()
    given = request.headers.get("X-Broadsheet-Webhook-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse("Unknown or missing webhook secret.\n", status=403, content_type="text/plain")
    try:
        recorded = bounces.handle(request.body, request.content_type or "")
    except bounces.NotABounce as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"recorded": [{"email": b.email, "kind": b.kind} for b in recorded]})
