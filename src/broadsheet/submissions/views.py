"""Public pages of "Publish Your Article": the form, thank-you, status, resend, deletion."""

import secrets

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from broadsheet.core import surrogates
from broadsheet.core.antispam import client_ip, hit_rate_limit, make_stamp
from broadsheet.core.origin import cross_origin_protected
from broadsheet.newsroom.text import render_markdown

from . import conf, services
from .forms import ResendForm, SubmissionForm, is_form_key
from .models import Guidelines, Submission

PREVIEW_RATE = (60, 3600)


def _private(response):
    """Pages reached through a private link: never cached, indexed, or leaked through a referrer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _preview(request, form):
    """Render the body as it would appear; nothing is stored except a picture held for the send."""
    if hit_rate_limit(
        "submissions-preview", client_ip(request), limit=PREVIEW_RATE[0], window=PREVIEW_RATE[1]
    ):
        form.add_error(None, "Too many previews from your connection. Please wait a while and try again.")
        return ""
    form.is_valid()
    return render_markdown(form.data.get("body", ""))


def _rate_limited(request, form):
    ip_limit, ip_window = conf.ip_rate()
    if hit_rate_limit("submissions-ip", client_ip(request), limit=ip_limit, window=ip_window):
        form.add_error(
            None,
            "We have received several articles from your connection in the last hour. "
            "Your text is kept below: please send it again later.",
        )
        return True
    email_limit, email_window = conf.email_rate()
    if hit_rate_limit(
        "submissions-email", form.cleaned_data["contributor_email"], limit=email_limit, window=email_window
    ):
        form.add_error(
            "contributor_email",
            "We have received several articles from this email address in the last hour. "
            "Your text is kept: please send it again later.",
        )
        return True
    return False


@cross_origin_protected
def submit(request):
    """The "Publish Your Article" form. Its page is the same for every reader, so a shared cache
    may keep it: no CSRF token (a POST is refused when a browser says another site sent it, as
    for the comment form) and no stamp or key of the reader's own; publish.js fetches those from
    form_state, and without JavaScript the first send comes back asking to send again, with the
    text kept and a stamp of that moment."""
    preview_html, status = "", 200
    if request.method == "POST":
        previewing = "preview" in request.POST
        existing = _already_sent(request)
        if existing and not previewing:
            return redirect(existing.get_thanks_url())
        form = SubmissionForm(request.POST, request.FILES, previewing=previewing, client=client_ip(request))
        if previewing:
            preview_html = _preview(request, form)
        elif form.is_valid():
            if _rate_limited(request, form):
                form.drop_new_picture()
                status = 429
            else:
                try:
                    submission = services.create_submission(
                        data=form.cleaned_content(),
                        held_picture=form.cleaned_data["held_picture"],
                        form_key=form.cleaned_data.get("form_key"),
                    )
                except services.AlreadySent as sent:
                    submission = sent.submission
                return redirect(submission.get_thanks_url())
        form.refresh_stamp()
    else:
        form = SubmissionForm.shared()
        surrogates.declare(request, surrogates.PUBLISH)
    context = {
        "form": form,
        "preview_html": preview_html,
        "guidelines": Guidelines.load(),
        "held_picture": form.held_picture_name,
        "tokenless": True,
        "state_url": reverse("submissions:form-state"),
    }
    response = render(request, "submissions/submit.html", context, status=status)
    if request.method == "POST":
        add_never_cache_headers(response)  # it holds what this reader typed
    return response


@never_cache
def form_state(request):
    """What the form needs of this reader's own, fetched by publish.js: a stamp of this moment
    (a send is refused until a few seconds after it, and each stamp works once) and a key that
    makes sending twice (a double click, a reload) store one submission."""
    return JsonResponse({"stamp": make_stamp(), "form_key": secrets.token_urlsafe(24)})


def _already_sent(request):
    key = request.POST.get("form_key") or ""
    if not is_form_key(key):  # a reader's text: never sent to the database as it came (NUL, size)
        return None
    return Submission.objects.filter(form_key=key).only("token").first()


def _by_token(token):
    if not token or len(token) > 64:
        raise Http404("No submission at this address.")
    return get_object_or_404(Submission.objects.select_related("section", "article"), token=token)


@never_cache
def thanks(request, token):
    submission = _by_token(token)
    return _private(render(request, "submissions/thanks.html", {"submission": submission}))


@never_cache
def status(request, token):
    submission = _by_token(token)
    events = list(submission.events.all())
    context = {
        "submission": submission,
        "messages_for_contributor": [e for e in events if e.shown_to_contributor and e.message],
        "events": events,
        "body_html": render_markdown(submission.body),
        "live_article": submission.live_article(),
    }
    return _private(render(request, "submissions/status.html", context))


@never_cache
def edit(request, token):
    submission = _by_token(token)
    if not submission.can_be_edited_by_contributor():
        return redirect(submission.get_status_url())
    preview_html, code = "", 200
    if request.method == "POST":
        previewing = "preview" in request.POST
        form = ResendForm(
            request.POST,
            request.FILES,
            submission=submission,
            previewing=previewing,
            client=client_ip(request),
        )
        if previewing:
            preview_html = _preview(request, form)
        elif form.is_valid():
            limit, window = conf.token_rate()
            if hit_rate_limit("submissions-token", submission.token, limit=limit, window=window):
                form.add_error(
                    None, "This submission was changed too often in the last hour. Try again later."
                )
                code = 429
            else:
                try:
                    services.resend(
                        submission,
                        data=form.cleaned_content(),
                        held_picture=form.cleaned_data["held_picture"],
                        remove_picture=form.cleaned_data.get("remove_picture", False),
                    )
                except services.DecisionError:
                    pass  # resent already (a second click): the status page says so
                return redirect(submission.get_status_url() + "?resent=1")
        form.refresh_stamp()
    else:
        form = ResendForm(submission=submission)
    context = {
        "form": form,
        "submission": submission,
        "preview_html": preview_html,
        "held_picture": form.held_picture_name,
        "guidelines": Guidelines.load(),
    }
    return _private(render(request, "submissions/edit.html", context, status=code))


@never_cache
def delete(request, token):
    submission = _by_token(token)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.delete_for_contributor(submission)
        return redirect("submissions:deleted")
    return _private(render(request, "submissions/delete.html", {"submission": submission}))


def deleted(request):
    return render(request, "submissions/deleted.html")
